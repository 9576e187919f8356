package io.logalert;

import io.logalert.aggregate.TemplateAggregator;
import io.logalert.spi.Aggregator;
import io.logalert.spi.Aggregation;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.LogSource;
import io.logalert.spi.LogSourceProvider;
import io.logalert.spi.PendingDelivery;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.PluginDiscoveryException;
import io.logalert.spi.PluginProvider;
import io.logalert.spi.Plugins;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads error records window by window, groups and counts them, and delivers digests to one or more sinks.
 *
 * <p>Each run reads the window {@code [checkpoint, min(now - queryDelay, checkpoint + maxWindow))}: windows are
 * contiguous and half-open, so a record is counted in exactly one of them, and a pipeline that was down catches up
 * in chunks of at most {@code maxWindow}. The checkpoint moves only when the window was read completely; a digest a
 * sink did not deliver stays pending and is offered again on later runs, and is reported in every
 * {@link RunReport} until it is delivered.
 *
 * <pre>{@code
 * try (AlertPipeline pipeline = AlertPipeline.builder()
 *         .id("checkout-errors")
 *         .source("elasticsearch", PluginConfig.of(Map.of("hosts", "http://localhost:9200", "index", "logs-*")))
 *         .addSink("dingtalk", PluginConfig.of(Map.of("access-token", token, "secret", secret)))
 *         .interval(Duration.ofMinutes(1))
 *         .build()) {
 *     pipeline.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: runs are single-flight, whether started by {@link #start()} or by {@link #runOnce()}.
 */
public final class AlertPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertPipeline.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The longest a rejected digest waits between attempts: a fixed configuration is noticed within this. */
    private static final Duration MAX_REJECTED_BACKOFF = Duration.ofHours(1);

    private final String id;
    private final LogSource source;
    private final Aggregator aggregator;
    private final List<AlertSink> sinks;
    private final StateStore stateStore;
    private final Clock clock;
    private final Duration queryDelay;
    private final Duration interval;
    private final Duration initialLookback;
    private final Duration maxWindow;
    private final DigestOptions digestOptions;
    private final int maxPending;
    private final Consumer<RunReport> onReport;
    private final List<AutoCloseable> owned;
    private final ReentrantLock runLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the last run left the checkpoint more than an interval behind: a started pipeline runs again at once. */
    private volatile boolean behind;
    private ScheduledThreadPoolExecutor scheduler;
    private volatile Thread schedulerThread;

    private AlertPipeline(Builder b, LogSource source, Aggregator aggregator, List<AlertSink> sinks,
            StateStore stateStore, List<AutoCloseable> owned) {
        this.id = b.id;
        this.source = source;
        this.aggregator = aggregator;
        this.sinks = List.copyOf(sinks);
        this.stateStore = stateStore;
        this.clock = b.clock;
        this.queryDelay = b.queryDelay;
        this.interval = b.interval;
        this.initialLookback = b.initialLookback;
        this.maxWindow = b.maxWindow;
        this.digestOptions = b.digestOptions;
        this.maxPending = b.maxPending;
        this.onReport = b.onReport;
        this.owned = List.copyOf(owned);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The pipeline's id, which keys its state. */
    public String id() {
        return id;
    }

    /**
     * Reads the next window, counts it, builds its digests, and delivers them with any digests still pending.
     * Failures of the source or of sinks are reported, not thrown.
     *
     * @return what the run did
     * @throws IllegalStateException when the pipeline is closed
     */
    public RunReport runOnce() {
        runLock.lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException("pipeline '" + id + "' is closed");
            }
            return run();
        } finally {
            runLock.unlock();
        }
    }

    private RunReport run() {
        Instant startedAt = clock.instant();
        Instant due = startedAt.minus(queryDelay).truncatedTo(ChronoUnit.MILLIS);
        PipelineState state = stateStore.load(id)
                .orElseGet(() -> PipelineState.initial(id, due.minus(initialLookback)));
        Instant checkpoint = state.checkpoint();

        Optional<TimeWindow> window = Optional.empty();
        Optional<String> sourceFailure = Optional.empty();
        List<Digest> digests = List.of();
        long eventsRead = 0;
        int groupCount = 0;
        if (due.isAfter(checkpoint)) {
            TimeWindow next = new TimeWindow(checkpoint, min(due, checkpoint.plus(maxWindow)));
            Counting counting = new Counting(aggregator.start());
            try {
                source.read(next, counting);
                List<ErrorGroup> groups = counting.aggregation.groups();
                digests = Digests.build(id, next, groups, digestOptions);
                eventsRead = counting.events;
                groupCount = groups.size();
                window = Optional.of(next);
                checkpoint = next.to();
            } catch (RuntimeException e) {
                // what was counted of the window is dropped: the same window is read again next run
                sourceFailure = Optional.of(describe(e));
                log.warn("pipeline '{}': cannot read window {} from {}: {}", id, next, source.name(),
                        sourceFailure.get());
            }
        }

        Instant now = clock.instant();
        Map<String, List<DeliveryResult>> deliveries = new LinkedHashMap<>();
        List<PendingDelivery> pending = new ArrayList<>();
        Set<String> sinkNames = new HashSet<>();
        sinks.forEach(sink -> sinkNames.add(sink.name()));
        List<PendingDelivery> orphans = state.pending().stream().filter(p -> !sinkNames.contains(p.sink())).toList();
        if (!orphans.isEmpty()) {
            // a sink was renamed or removed: its digests are kept and reported, never dropped in silence
            pending.addAll(orphans);
            log.warn("pipeline '{}': {} digests are pending for sinks this pipeline no longer has: {}", id,
                    orphans.size(), orphans.stream().map(PendingDelivery::sink).distinct().toList());
        }
        for (AlertSink sink : sinks) {
            Map<String, PendingDelivery> owed = new LinkedHashMap<>();
            Map<String, Digest> offer = new LinkedHashMap<>();
            for (PendingDelivery p : state.pending()) {
                if (!p.sink().equals(sink.name())) {
                    continue;
                }
                if (p.notBefore().isAfter(now)) {
                    pending.add(p);
                } else {
                    owed.put(p.digest().id(), p);
                    offer.put(p.digest().id(), p.digest());
                }
            }
            digests.forEach(digest -> offer.putIfAbsent(digest.id(), digest));
            if (offer.isEmpty()) {
                continue;
            }
            List<DeliveryResult> results = deliver(sink, List.copyOf(offer.values()));
            deliveries.put(sink.name(), results);
            for (DeliveryResult result : results) {
                if (!result.isDelivered()) {
                    String digestId = result.digest().id();
                    PendingDelivery before = owed.get(digestId);
                    int attempts = 1 + (before == null ? 0 : before.attempts());
                    pending.add(new PendingDelivery(sink.name(), offer.get(digestId), attempts, result.status(),
                            result.reason(), notBefore(result, attempts, now), before == null ? now : before.since()));
                    log.warn("pipeline '{}': sink {} did not deliver digest {} ({}, attempt {}): {}", id,
                            sink.name(), digestId, result.status(), attempts, result.reason());
                }
            }
        }
        int expired = Math.max(0, pending.size() - maxPending);
        if (expired > 0) {
            log.error("pipeline '{}': {} undelivered digests exceed the limit of {}; the oldest {} are dropped", id,
                    pending.size(), maxPending, expired);
            pending.sort((a, b) -> a.digest().window().from().compareTo(b.digest().window().from()));
            pending = new ArrayList<>(pending.subList(expired, pending.size()));
        }
        stateStore.save(state.withCheckpoint(checkpoint).withPending(pending));
        behind = window.isPresent() && !checkpoint.plus(interval).isAfter(due);
        RunReport report = new RunReport(id, startedAt, clock.instant(), window, eventsRead, groupCount, digests,
                deliveries, pending.size(), expired, sourceFailure);
        log.debug("pipeline '{}': {}", id, report);
        return report;
    }

    /** Asks {@code sink} to deliver {@code offer}, holding it to one answer per digest. */
    private List<DeliveryResult> deliver(AlertSink sink, List<Digest> offer) {
        List<DeliveryResult> answered;
        try {
            answered = sink.deliver(offer);
        } catch (RuntimeException e) {
            String reason = "the sink threw " + describe(e);
            return offer.stream().map(d -> DeliveryResult.retryLater(d, reason, Optional.empty())).toList();
        }
        Map<String, DeliveryResult> byId = new LinkedHashMap<>();
        for (DeliveryResult result : answered == null ? List.<DeliveryResult>of() : answered) {
            byId.putIfAbsent(result.digest().id(), result);
        }
        List<DeliveryResult> results = new ArrayList<>(offer.size());
        for (Digest digest : offer) {
            DeliveryResult result = byId.get(digest.id());
            results.add(result != null ? result
                    : DeliveryResult.retryLater(digest, "the sink gave no answer for this digest", Optional.empty()));
        }
        return results;
    }

    private Instant notBefore(DeliveryResult result, int attempts, Instant now) {
        if (result.retryAfter().isPresent()) {
            return result.retryAfter().get();
        }
        if (result.status() == DeliveryResult.Status.RETRY_LATER) {
            return now;
        }
        // a rejection repeats until someone fixes the configuration: back off so it does not eat a rate budget
        Duration backoff = interval.multipliedBy(1L << Math.min(attempts - 1, 20));
        return now.plus(backoff.compareTo(MAX_REJECTED_BACKOFF) > 0 ? MAX_REJECTED_BACKOFF : backoff);
    }

    /**
     * Runs the pipeline every {@code interval}, one run at a time, until {@link #close()}; a pipeline that is
     * behind (after downtime, or with a window capped by {@code maxWindow}) runs again at once until it has caught
     * up. Each report goes to the builder's {@code onReport} listener.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        synchronized (this) {
            if (closed.get()) {
                throw new IllegalStateException("pipeline '" + id + "' is closed");
            }
            if (scheduler != null) {
                throw new IllegalStateException("pipeline '" + id + "' is already started");
            }
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "logalert-" + id);
                thread.setDaemon(true);
                schedulerThread = thread;
                return thread;
            });
            // close() lets a run in progress finish, but starts no new one
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler = executor;
            executor.execute(this::scheduledRun);
        }
    }

    private void scheduledRun() {
        Duration delay = interval;
        try {
            RunReport report = runOnce();
            if (behind) {
                delay = Duration.ZERO;
            }
            try {
                onReport.accept(report);
            } catch (RuntimeException e) {
                log.warn("pipeline '{}': the report listener failed", id, e);
            }
        } catch (Throwable e) {
            // whatever a plug-in throws, the schedule goes on: a pipeline that silently stops is the worst outcome
            if (!closed.get()) {
                log.error("pipeline '{}': run failed; next run in {}", id, interval, e);
            }
        } finally {
            if (!closed.get()) {
                try {
                    scheduler.schedule(this::scheduledRun, delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shutDown) {
                    // closed meanwhile: nothing more to schedule
                }
            }
        }
    }

    /**
     * Stops scheduling, lets a run in progress finish (waiting up to 30 seconds, then interrupting it), and closes
     * the plug-ins the pipeline created from type names. Plug-in instances given to the builder belong to the caller
     * and stay open. May be called from the {@code onReport} listener. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledThreadPoolExecutor running;
        synchronized (this) {
            running = scheduler;
        }
        boolean onSchedulerThread = Thread.currentThread() == schedulerThread;
        if (running != null) {
            running.shutdown();
            if (!onSchedulerThread) {
                awaitRun(running);
            }
        }
        try {
            // a runOnce() called by the application may still be going
            if (!onSchedulerThread && runLock.tryLock(30, TimeUnit.SECONDS)) {
                runLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(owned);
    }

    private void awaitRun(ScheduledThreadPoolExecutor running) {
        try {
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("pipeline '{}': a run did not finish within 30 s of close; interrupting it", id);
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("cannot close {}: {}", closeable, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "AlertPipeline[" + id + ", source " + source.name() + ", aggregator " + aggregator.name() + ", sinks "
                + sinks.stream().map(AlertSink::name).toList() + "]";
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    /** Counts the events of a window into an aggregation, and how many there were. */
    private static final class Counting implements Consumer<LogEvent> {
        private final Aggregation aggregation;
        private long events;

        Counting(Aggregation aggregation) {
            this.aggregation = aggregation;
        }

        @Override
        public void accept(LogEvent event) {
            aggregation.add(event);
            events += event.occurrences();
        }
    }

    /**
     * Builds an {@link AlertPipeline}. Each setter checks its argument; {@link #build()} checks the whole and lists
     * every problem in one {@link ConfigException}. Not thread-safe.
     */
    public static final class Builder {
        private String id;
        private Plugin<LogSource> source;
        private Plugin<Aggregator> aggregator = Plugin.of(new TemplateAggregator());
        private final List<Plugin<AlertSink>> sinks = new ArrayList<>();
        private Plugin<StateStore> stateStore = Plugin.of(new InMemoryStateStore());
        private Clock clock = Clock.systemUTC();
        private Duration queryDelay = Duration.ofSeconds(30);
        private Duration interval = Duration.ofMinutes(1);
        private Duration initialLookback = Duration.ofMinutes(10);
        private Duration maxWindow = Duration.ofMinutes(10);
        private DigestOptions digestOptions = DigestOptions.DEFAULTS;
        private int maxPending = 10_000;
        private Consumer<RunReport> onReport = report -> { };
        private ClassLoader classLoader;

        private Builder() {
        }

        /** Names the pipeline; its state is kept under this id. Letters, digits, {@code . _ -}; at most 64. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Reads from {@code source}, which stays the caller's to close. */
        public Builder source(LogSource source) {
            this.source = Plugin.of(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Reads from the source of {@code type}, created from {@code config} and closed with the pipeline. */
        public Builder source(String type, PluginConfig config) {
            this.source = Plugin.of(LogSourceProvider.class, type, config);
            return this;
        }

        /** Groups with {@code aggregator}. Default: {@code template}, the best measured on Loghub-2k. */
        public Builder aggregator(Aggregator aggregator) {
            this.aggregator = Plugin.of(Objects.requireNonNull(aggregator, "aggregator"));
            return this;
        }

        /** Groups with the aggregator of {@code type}, created from {@code config}. */
        public Builder aggregator(String type, PluginConfig config) {
            this.aggregator = Plugin.of(AggregatorProvider.class, type, config);
            return this;
        }

        /** Also delivers to {@code sink}, which stays the caller's to close. At least one sink is required. */
        public Builder addSink(AlertSink sink) {
            sinks.add(Plugin.of(Objects.requireNonNull(sink, "sink")));
            return this;
        }

        /** Also delivers to the sink of {@code type}, created from {@code config} and closed with the pipeline. */
        public Builder addSink(String type, PluginConfig config) {
            sinks.add(Plugin.of(AlertSinkProvider.class, type, config));
            return this;
        }

        /** Keeps checkpoint and pending digests in {@code store}. Default: in memory. */
        public Builder stateStore(StateStore store) {
            this.stateStore = Plugin.of(Objects.requireNonNull(store, "store"));
            return this;
        }

        /** Keeps state in the store of {@code type}, created from {@code config}. */
        public Builder stateStore(String type, PluginConfig config) {
            this.stateStore = Plugin.of(StateStoreProvider.class, type, config);
            return this;
        }

        /** Reads time from {@code clock}. Default: the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far behind now a window ends, so that records still being shipped and indexed are not missed.
         * Default: 30 seconds.
         */
        public Builder queryDelay(Duration queryDelay) {
            this.queryDelay = Objects.requireNonNull(queryDelay, "queryDelay");
            return this;
        }

        /** How often {@link #start() started} pipelines run. Default: 1 minute. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How far back the first window of a pipeline with no saved state starts. Default: 10 minutes. */
        public Builder initialLookback(Duration initialLookback) {
            this.initialLookback = Objects.requireNonNull(initialLookback, "initialLookback");
            return this;
        }

        /**
         * The longest window one run reads; after downtime the pipeline catches up in windows of this length.
         * At least the interval. Default: 10 minutes.
         */
        public Builder maxWindow(Duration maxWindow) {
            this.maxWindow = Objects.requireNonNull(maxWindow, "maxWindow");
            return this;
        }

        /** How digests are cut. Default: {@link DigestOptions#DEFAULTS}. */
        public Builder digests(DigestOptions options) {
            this.digestOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The most undelivered digests kept; beyond it the oldest are dropped, logged as an error and counted in
         * {@link RunReport#expired()}. Default: 10,000.
         */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /** Receives the report of every scheduled run. Default: nothing. */
        public Builder onReport(Consumer<RunReport> onReport) {
            this.onReport = Objects.requireNonNull(onReport, "onReport");
            return this;
        }

        /** Finds plug-ins by type with {@code loader}. Default: the loader of alert-core. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Checks the configuration, creates the plug-ins named by type, and returns the pipeline.
         *
         * @throws ConfigException listing every problem found
         */
        public AlertPipeline build() {
            List<String> problems = new ArrayList<>();
            if (id == null) {
                problems.add("id is required: a name such as 'checkout-errors', which keys the pipeline's state");
            } else if (!ID.matcher(id).matches()) {
                problems.add("id '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                        + "letter or digit");
            }
            if (source == null) {
                problems.add("a source is required: source(LogSource) or source(type, config)");
            }
            if (sinks.isEmpty()) {
                problems.add("at least one sink is required: addSink(AlertSink) or addSink(type, config)");
            }
            positive(problems, "interval", interval);
            positive(problems, "maxWindow", maxWindow);
            notNegative(problems, "queryDelay", queryDelay);
            notNegative(problems, "initialLookback", initialLookback);
            if (maxWindow.compareTo(interval) < 0) {
                problems.add("maxWindow (" + maxWindow + ") must be at least the interval (" + interval
                        + "), or the pipeline falls behind and never catches up");
            }
            if (maxPending < 1) {
                problems.add("maxPending must be at least 1, was " + maxPending);
            }

            ClassLoader loader = classLoader != null ? classLoader : AlertPipeline.class.getClassLoader();
            List<AutoCloseable> owned = new ArrayList<>();
            LogSource builtSource = source == null ? null : source.resolve("source", loader, problems, owned);
            Aggregator builtAggregator = aggregator.resolve("aggregator", loader, problems, owned);
            StateStore builtStore = stateStore.resolve("state store", loader, problems, owned);
            List<AlertSink> builtSinks = new ArrayList<>();
            for (Plugin<AlertSink> sink : sinks) {
                AlertSink built = sink.resolve("sink", loader, problems, owned);
                if (built != null) {
                    builtSinks.add(built);
                }
            }
            Set<String> names = new HashSet<>();
            for (AlertSink sink : builtSinks) {
                if (!names.add(sink.name())) {
                    problems.add("two sinks are named '" + sink.name() + "'; sink names key pending deliveries, so "
                            + "they must differ");
                }
            }
            if (!problems.isEmpty()) {
                closeAll(owned);
                throw new ConfigException("pipeline" + (id == null ? "" : " '" + id + "'"), problems);
            }
            return new AlertPipeline(this, builtSource, builtAggregator, builtSinks, builtStore, owned);
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value.isZero() || value.isNegative()) {
                problems.add(name + " must be positive, was " + value);
            }
        }

        private static void notNegative(List<String> problems, String name, Duration value) {
            if (value.isNegative()) {
                problems.add(name + " must not be negative, was " + value);
            }
        }
    }

    /** A plug-in given as an instance, or as a type and configuration to create it from. */
    private record Plugin<T>(T instance, Class<? extends PluginProvider<T>> service, String type,
            PluginConfig config) {

        static <T> Plugin<T> of(T instance) {
            return new Plugin<>(instance, null, null, null);
        }

        static <T> Plugin<T> of(Class<? extends PluginProvider<T>> service, String type, PluginConfig config) {
            return new Plugin<>(null, service, Objects.requireNonNull(type, "type"),
                    Objects.requireNonNull(config, "config"));
        }

        T resolve(String role, ClassLoader loader, List<String> problems, List<AutoCloseable> owned) {
            if (instance != null) {
                return instance;
            }
            try {
                T created = Plugins.create(service, type, config, loader);
                if (created instanceof AutoCloseable closeable) {
                    owned.add(closeable);
                }
                return created;
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(role + " '" + type + "': " + p));
            } catch (PluginDiscoveryException e) {
                problems.add(role + ": " + e.getMessage());
            } catch (RuntimeException e) {
                problems.add(role + " '" + type + "' cannot be created: " + describe(e));
            }
            return null;
        }
    }
}
