package io.logalert.config;

import io.logalert.AlertPipeline;
import io.logalert.InMemoryStateStore;
import io.logalert.Route;
import io.logalert.RunReport;
import io.logalert.aggregate.TemplateAggregator;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.LogSource;
import io.logalert.spi.LogSourceProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.PluginDiscoveryException;
import io.logalert.spi.PluginProvider;
import io.logalert.spi.Plugins;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import io.logalert.spi.StateStoreProvider;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.RecordingAlertSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipelines of a configuration: creates each plug-in from its section (so that each of its problems is
 * reported at its own key), or takes the application's object a section names with {@code bean}, checks routes
 * against the sinks, and hands everything to {@link AlertPipeline.Builder}, whose own problems are mapped back to
 * configuration keys. Plug-ins are given to the builder as instances, so that pipelines of one configuration can
 * share a state store (a file store locks its directory) and the assembly closes them. When something is wrong, the
 * rest is still checked, with stand-ins for what could not be created, and nothing is kept.
 *
 * <p>The assembly owns what it created: {@link #close()} closes the pipelines, then the plug-ins and stores it
 * created, never the application's objects. It does not start the pipelines. Thread-safe to close.
 */
public final class Assembly implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Assembly.class);
    private static final Pattern UNKNOWN_KEY = Pattern.compile("unknown key '([^']*)'; known keys: (.*)");
    private static final Pattern QUOTED = Pattern.compile("'([A-Za-z0-9_.-]+)'");
    /** The key of a section that names the application's object instead of a {@code type}. */
    static final String BEAN = "bean";
    /** What each provider makes: what a section's bean must be. */
    private static final Map<Class<?>, Class<?>> PLUGIN_TYPES = Map.of(LogSourceProvider.class, LogSource.class,
            AlertSinkProvider.class, AlertSink.class, StateStoreProvider.class, StateStore.class);

    /**
     * How to assemble.
     *
     * @param loader         where plug-ins are found
     * @param clock          the pipelines' clock
     * @param onReport       receives the reports of started pipelines
     * @param only           the ids of the pipelines to build; empty for all
     * @param stateInUseOk   whether a state store in use by another process is a note (validate, replay), with an
     *                       in-memory store in its place, rather than a problem
     * @param beans          the application's objects that sections name with {@code bean}
     */
    public record Options(ClassLoader loader, Clock clock, Consumer<RunReport> onReport, Set<String> only,
            boolean stateInUseOk, Beans beans) {

        /** Checks every part. */
        public Options {
            Objects.requireNonNull(loader, "loader");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(onReport, "onReport");
            only = Set.copyOf(only);
            Objects.requireNonNull(beans, "beans");
        }

        /**
         * Plug-ins found by this module's class loader, reports dropped, every pipeline built, a state store in
         * use a problem, no beans.
         */
        public static Options defaults(Clock clock) {
            return new Options(Assembly.class.getClassLoader(), clock, report -> { }, Set.of(), false, Beans.NONE);
        }

        /** Builds only the pipelines {@code ids}; all when empty. */
        public Options only(Set<String> ids) {
            return new Options(loader, clock, onReport, ids, stateInUseOk, beans);
        }

        /** Whether a state store in use by another process is a note, with an in-memory store in its place. */
        public Options stateInUseOk(boolean ok) {
            return new Options(loader, clock, onReport, only, ok, beans);
        }

        /** Where the reports of every pipeline go. */
        public Options onReport(Consumer<RunReport> listener) {
            return new Options(loader, clock, listener, only, stateInUseOk, beans);
        }

        /** Where plug-ins are found. */
        public Options loader(ClassLoader classLoader) {
            return new Options(classLoader, clock, onReport, only, stateInUseOk, beans);
        }

        /** The application's objects that sections name with {@code bean}. */
        public Options beans(Beans objects) {
            return new Options(loader, clock, onReport, only, stateInUseOk, objects);
        }
    }

    /**
     * A sink with its section.
     *
     * @param spec its section
     * @param sink the sink
     */
    public record BuiltSink(Specs.PluginSpec spec, AlertSink sink) {
    }

    /**
     * A pipeline built from the file.
     *
     * @param pointer   where it is in the file
     * @param spec      its section
     * @param options   its options, defaults applied
     * @param pipeline  the pipeline
     * @param source    its source
     * @param sinks     its sinks, in the file's order
     * @param stateType the type of its state store, or {@code bean} for the application's
     * @param standIn   whether an in-memory store stands in for it (another process holds it: validate, replay)
     */
    public record Built(String pointer, Specs.Pipeline spec, PipelineOptions options, AlertPipeline pipeline,
            LogSource source, List<BuiltSink> sinks, String stateType, boolean standIn) {

        /** The pipeline's id. */
        public String id() {
            return pipeline.id();
        }
    }

    private final List<Built> pipelines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Everything created from the file, closed in reverse order after the pipelines. */
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Map<String, StateStore> stores = new LinkedHashMap<>();
    private final Set<StateStore> standIns = Collections.newSetFromMap(new IdentityHashMap<>());
    private final AtomicBoolean closed = new AtomicBoolean();

    private Assembly() {
    }

    /**
     * Builds the pipelines of {@code loaded}; every problem is added to its problems. When there is any, the
     * assembly holds no pipeline and has closed what it created.
     */
    public static Assembly of(ConfigLoader.Loaded loaded, Options options) {
        Assembly assembly = new Assembly();
        Problems problems = loaded.problems();
        List<Specs.Pipeline> specs = loaded.spec().map(Specs.File::pipelines).orElse(List.of());
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            Specs.Pipeline spec = specs.get(i);
            String base = YamlIndex.child("/pipelines", i);
            if (spec == null) {
                problems.add(base, "an empty pipeline: give at least id, source and sinks");
                continue;
            }
            if (spec.id() != null) {
                String first = ids.putIfAbsent(spec.id(), base);
                if (first != null) {
                    problems.add(base + "/id", "pipeline id `" + spec.id() + "` is also used by "
                            + YamlIndex.display(first) + ": ids key the pipelines' state, so they must differ");
                    continue;
                }
            }
            if (!options.only().isEmpty() && !options.only().contains(spec.id())) {
                continue;
            }
            try {
                assembly.build(spec, base, problems, options);
            } catch (RuntimeException e) {
                assembly.close();
                throw e;
            }
        }
        if (!problems.isEmpty()) {
            assembly.close();
            assembly.pipelines.clear();
        }
        return assembly;
    }

    /** The pipelines built, in the file's order. */
    public List<Built> pipelines() {
        return List.copyOf(pipelines);
    }

    /** The pipeline {@code id}, if built. */
    public Optional<Built> pipeline(String id) {
        return pipelines.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** What is worth saying that is not a problem: a state store another process holds, say. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    private void build(Specs.Pipeline spec, String base, Problems problems, Options options) {
        int before = problems.size();
        List<AutoCloseable> created = new ArrayList<>();
        if (spec.id() == null) {
            problems.add(base, "`id` is required: a name such as app-prod-errors, which keys the pipeline's state");
        }
        String id = spec.id() != null ? spec.id() : "pipeline-" + base.substring(base.lastIndexOf('/') + 1);
        PipelineOptions o = PipelineOptions.of(spec, base, problems);

        LogSource source = null;
        if (spec.source() == null) {
            if (!problems.isBroken(base + "/source")) {
                problems.add(base, "`source` is required: {type: elasticsearch, hosts: …, index: …}");
            }
        } else {
            source = create(LogSourceProvider.class, "source", spec.source(), problems, options, created);
        }
        Specs.PluginSpec aggregatorSpec = spec.aggregator() != null ? spec.aggregator()
                : new Specs.PluginSpec(base, TemplateAggregator.TYPE, Map.of(), Map.of());
        Aggregator aggregator = create(AggregatorProvider.class, "aggregator", aggregatorSpec, problems, options,
                created);
        Specs.PluginSpec stateSpec = spec.state() != null ? spec.state()
                : new Specs.PluginSpec(base, InMemoryStateStore.TYPE, Map.of(), Map.of());
        StateStore store = store(stateSpec, problems, options);

        List<BuiltSink> sinks = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Map<String, String> nameAt = new HashMap<>();
        boolean unnamedFailure = false;
        List<Specs.PluginSpec> sinkSpecs = spec.sinks() == null ? List.of() : spec.sinks();
        if (sinkSpecs.isEmpty() && !problems.isBroken(base + "/sinks")) {
            problems.add(spec.sinks() == null ? base : base + "/sinks",
                    "`sinks` needs at least one sink: [{name: ops-robot, type: dingtalk, access-token: …}]");
        }
        for (int j = 0; j < sinkSpecs.size(); j++) {
            Specs.PluginSpec sinkSpec = sinkSpecs.get(j);
            String at = YamlIndex.child(base + "/sinks", j);
            if (sinkSpec == null) {
                problems.add(at, "an empty sink: give at least its type");
                continue;
            }
            AlertSink sink = create(AlertSinkProvider.class, "sink", sinkSpec, problems, options, created);
            String name = sink != null ? sink.name() : sinkSpec.value("name").orElse(null);
            if (name == null) {
                unnamedFailure = true;
                continue;
            }
            if (!names.add(name)) {
                problems.add(sinkSpec.pointerOf("name"), "two sinks are named `" + name + "` (the other at "
                        + YamlIndex.display(nameAt.get(name)) + "): names key the digests still owed to each sink, "
                        + "so they must differ; give each a `name`");
                continue;
            }
            nameAt.put(name, at);
            // a stand-in keeps the builder checking the rest when the sink could not be created
            sinks.add(new BuiltSink(sinkSpec, sink != null ? sink : new RecordingAlertSink(name)));
        }
        List<Route> routes = routes(spec, base, names, unnamedFailure, problems);

        AlertPipeline.Builder builder = AlertPipeline.builder()
                .id(id)
                .source(source != null ? source : new InMemoryLogSource())
                .interval(o.interval())
                .queryDelay(o.queryDelay())
                .initialLookback(o.initialLookback())
                .maxWindow(o.maxWindow())
                .lateLookback(o.lateLookback())
                .realert(o.realert())
                .kinds(o.kinds())
                .digests(o.digests())
                .spoolMaxAge(o.spoolMaxAge())
                .maxPending(o.maxPending())
                .clock(options.clock())
                .onReport(options.onReport());
        o.instance().ifPresent(builder::instance);
        o.leaseTtl().ifPresent(builder::leaseTtl);
        if (aggregator != null) {
            builder.aggregator(aggregator);
        }
        if (store != null) {
            builder.stateStore(store);
        }
        sinks.forEach(s -> builder.addSink(s.sink()));
        routes.forEach(builder::route);
        AlertPipeline pipeline = null;
        try {
            pipeline = builder.build();
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                if (spec.id() == null && problem.startsWith("id ")) {
                    continue;
                }
                // a sink that could not be created has said why; the builder's view of what is then missing repeats it
                if (!sinkSpecs.isEmpty() && problem.startsWith("at least one sink")
                        || unnamedFailure && problem.contains("which the pipeline does not have")) {
                    continue;
                }
                problems.add(PipelineOptions.pointerOf(problem, base), PipelineOptions.yaml(problem));
            }
        }
        owned.addAll(created);
        if (pipeline != null) {
            if (problems.size() == before) {
                String stateType = stateSpec.type() != null ? stateSpec.type() : BEAN;
                pipelines.add(new Built(base, spec, o, pipeline, source, List.copyOf(sinks), stateType,
                        standIns.contains(store)));
            } else {
                pipeline.close();
            }
        }
    }

    private List<Route> routes(Specs.Pipeline spec, String base, Set<String> names, boolean unnamedFailure,
            Problems problems) {
        List<Route> routes = new ArrayList<>();
        List<Specs.RouteSpec> specs = spec.routes() == null ? List.of() : spec.routes();
        String firstDefault = null;
        for (int j = 0; j < specs.size(); j++) {
            Specs.RouteSpec r = specs.get(j);
            String at = YamlIndex.child(base + "/routes", j);
            if (r == null) {
                problems.add(at, "an empty route: give `projects` (or `default: true`) and `sinks`");
                continue;
            }
            List<String> projects = r.projects() == null ? List.of() : r.projects();
            List<String> sinks = r.sinks() == null ? List.of() : r.sinks();
            boolean isDefault = Boolean.TRUE.equals(r.isDefault());
            int before = problems.size();
            if (isDefault && !projects.isEmpty()) {
                problems.add(at + "/projects", "a default route matches the projects no other route matches; "
                        + "it takes no `projects`");
            } else if (!isDefault && projects.isEmpty()) {
                problems.add(at, "a route needs `projects: [pattern, …]`, or `default: true` for the projects no "
                        + "other route matches");
            }
            if (isDefault && firstDefault != null) {
                problems.add(at + "/default", "a second default route (the first is " + YamlIndex.display(firstDefault)
                        + "): keep one");
            } else if (isDefault) {
                firstDefault = at;
            }
            if (sinks.isEmpty()) {
                problems.add(r.sinks() == null ? at : at + "/sinks", "a route needs `sinks: [name, …]`, names of "
                        + "this pipeline's sinks: " + String.join(", ", names));
            }
            for (int k = 0; k < sinks.size(); k++) {
                String name = sinks.get(k);
                if (name != null && !names.contains(name) && !unnamedFailure) {
                    problems.add(YamlIndex.child(at + "/sinks", k), "no sink is named `" + name + "`"
                            + Suggest.didYouMean(name, names) + "; this pipeline's sinks: " + String.join(", ", names));
                }
            }
            if (problems.size() > before || sinks.contains(null)) {
                continue;
            }
            try {
                List<String> mentions = r.mentions() == null ? List.of() : r.mentions();
                routes.add(new Route(projects, sinks, mentions.stream().filter(m -> m != null).toList()));
            } catch (IllegalArgumentException e) {
                problems.add(at + "/projects", e.getMessage());
            }
        }
        return routes;
    }

    /** The state store of {@code spec}, shared by every pipeline of the file with the same section. */
    private StateStore store(Specs.PluginSpec spec, Problems problems, Options options) {
        if (spec.value(BEAN).isPresent()) {
            // the application's store: shared by whoever names it, closed by the application
            return create(StateStoreProvider.class, "state store", spec, problems, options, new ArrayList<>());
        }
        String key = spec.type() + new TreeMap<>(spec.values());
        StateStore shared = stores.get(key);
        if (shared != null) {
            return shared;
        }
        List<AutoCloseable> created = new ArrayList<>();
        StateStore store;
        try {
            store = create(StateStoreProvider.class, "state store", spec, problems, options, created);
        } catch (StateStoreException e) {
            String message = e.getMessage();
            if (options.stateInUseOk() && message != null && message.contains("in use by another")) {
                notes.add("state of " + YamlIndex.display(spec.pointer()) + " not opened: " + message);
                store = new InMemoryStateStore();
                standIns.add(store);
            } else {
                problems.add(spec.pointer(), "state store `" + spec.type() + "` cannot be opened: " + message,
                        Problems.Kind.UNAVAILABLE);
                return null;
            }
        }
        if (store != null) {
            // closed with the stores, after every pipeline that shares it
            stores.put(key, store);
        }
        return store;
    }

    /**
     * Creates the plug-in of {@code spec}; each problem of its configuration is added at its key.
     *
     * @throws StateStoreException when a state store cannot be opened (the caller decides what that means)
     */
    private <T> T create(Class<? extends PluginProvider<T>> service, String role, Specs.PluginSpec spec,
            Problems problems, Options options, List<AutoCloseable> created) {
        if (spec.value(BEAN).isPresent()) {
            return bean(service, role, spec, problems, options);
        }
        if (spec.type() == null) {
            problems.add(spec.pointer(), "`type` is required: one of " + knownTypes(service, options));
            return null;
        }
        PluginProvider<T> provider;
        try {
            provider = Plugins.provider(service, spec.type(), options.loader());
        } catch (PluginDiscoveryException e) {
            Set<String> known = knownTypesOrEmpty(service, options);
            String message = e.getMessage() != null && e.getMessage().startsWith("no ") && !known.isEmpty()
                    ? "unknown " + role + " type `" + spec.type() + "`" + Suggest.didYouMean(spec.type(), known)
                            + "; known types: " + String.join(", ", known)
                    : e.getMessage();
            problems.add(spec.pointerOf("type"), message);
            return null;
        }
        try {
            T plugin = provider.create(PluginConfig.of(spec.values()));
            if (plugin instanceof AutoCloseable closeable) {
                created.add(closeable);
            }
            return plugin;
        } catch (ConfigException e) {
            addPluginProblems(role, spec, e.problems(), problems);
        } catch (StateStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            problems.add(spec.pointer(), spec.type() + " " + role + " cannot be created: " + e.getMessage());
        }
        return null;
    }

    /**
     * The application's object a section names with {@code bean}: it must be the plug-in its place takes (a source,
     * a sink, a state store), and the section holds nothing else, since the object is configured where it is made.
     */
    @SuppressWarnings("unchecked")
    private static <T> T bean(Class<? extends PluginProvider<T>> service, String role, Specs.PluginSpec spec,
            Problems problems, Options options) {
        String name = spec.value(BEAN).orElseThrow().strip();
        Class<?> type = PLUGIN_TYPES.get(service);
        int before = problems.size();
        if (type == null) {
            problems.add(spec.pointerOf(BEAN), "an " + role + " cannot be a bean: a pipeline's " + role + " learns "
                    + "as it runs, so each pipeline creates its own; give `type`");
            return null;
        }
        if (!options.beans().unavailable().isEmpty()) {
            problems.add(spec.pointerOf(BEAN), options.beans().unavailable());
            return null;
        }
        if (spec.type() != null) {
            problems.add(spec.pointerOf("type"), "give `type` or `bean`, not both: `bean` takes the application's "
                    + type.getSimpleName() + " as it is");
        }
        List<String> others = spec.values().keySet().stream().filter(key -> !key.equals(BEAN)).toList();
        if (!others.isEmpty()) {
            problems.add(spec.pointerOf(others.get(0)), "a bean is configured where the application makes it; "
                    + "a section with `bean` takes no other keys, found: " + String.join(", ", others));
        }
        Set<String> known = options.beans().names(type);
        Optional<Object> found = name.isEmpty() ? Optional.empty() : options.beans().find(name);
        if (found.isEmpty()) {
            problems.add(spec.pointerOf(BEAN), "no bean is named `" + name + "`" + Suggest.didYouMean(name, known)
                    + "; the " + type.getSimpleName() + " beans: " + (known.isEmpty() ? "(none)"
                            : String.join(", ", known)));
            return null;
        }
        if (!type.isInstance(found.get())) {
            problems.add(spec.pointerOf(BEAN), "bean `" + name + "` is a " + found.get().getClass().getName()
                    + ", not a " + type.getName() + (known.isEmpty() ? "" : "; the " + type.getSimpleName()
                            + " beans: " + String.join(", ", known)));
            return null;
        }
        return problems.size() == before ? (T) found.get() : null;
    }

    /**
     * A plug-in's problems, each at the key it names (or its section), with the nearest known key for an unknown
     * one; "'index' is required" goes when a misspelt key already says "did you mean `index`?".
     */
    private static void addPluginProblems(String role, Specs.PluginSpec spec, List<String> all, Problems problems) {
        Set<String> suggested = new LinkedHashSet<>();
        List<String> others = new ArrayList<>();
        for (String problem : all) {
            Matcher unknown = UNKNOWN_KEY.matcher(problem);
            if (!unknown.matches()) {
                others.add(problem);
                continue;
            }
            String key = unknown.group(1);
            List<String> known = List.of(unknown.group(2).split(",\\s*"));
            Optional<String> nearest = Suggest.nearest(key, known);
            nearest.ifPresent(suggested::add);
            String hint = key.equals("name") && role.equals("sink")
                    ? "; a " + spec.type() + " sink takes no `name`: its name is fixed" : "";
            problems.add(spec.pointerOf(key), "unknown key `" + key + "` for the " + spec.type() + " " + role
                    + nearest.map(s -> " (did you mean `" + s + "`?)").orElse("") + hint
                    + (nearest.isEmpty() ? "; its keys: " + String.join(", ", known) : ""));
        }
        for (String problem : others) {
            boolean saidAlready = suggested.stream().anyMatch(key -> problem.startsWith("'" + key + "' is required"));
            if (!saidAlready) {
                addPluginProblem(role, spec, problem, problems);
            }
        }
    }

    /** A plug-in's problem, at the key it names, or its section. */
    private static void addPluginProblem(String role, Specs.PluginSpec spec, String problem, Problems problems) {
        Matcher quoted = QUOTED.matcher(problem);
        String pointer = spec.pointer();
        while (quoted.find()) {
            if (spec.pointers().containsKey(quoted.group(1))) {
                pointer = spec.pointerOf(quoted.group(1));
                break;
            }
        }
        problems.add(pointer, spec.type() + " " + role + ": " + problem);
    }

    private static Set<String> knownTypesOrEmpty(Class<? extends PluginProvider<?>> service, Options options) {
        try {
            return Plugins.providers(service, options.loader()).keySet();
        } catch (PluginDiscoveryException e) {
            return Set.of();
        }
    }

    private static String knownTypes(Class<? extends PluginProvider<?>> service, Options options) {
        Set<String> known = knownTypesOrEmpty(service, options);
        return known.isEmpty() ? "(none found)" : String.join(", ", known);
    }

    /**
     * Closes every pipeline, each letting its run in progress finish (they close side by side, so that a stop takes
     * as long as the slowest run, not their sum), then the plug-ins and stores. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Thread> closing = new ArrayList<>();
        for (Built built : pipelines) {
            Thread thread = new Thread(built.pipeline()::close, "logalert-close-" + built.id());
            thread.start();
            closing.add(thread);
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<AutoCloseable> all = new ArrayList<>(owned);
        all.addAll(stores.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                log.warn("cannot close {}: {}", all.get(i), e.toString());
            }
        }
    }
}
