package io.logalert.examples.demo;

import io.logalert.AlertPipeline;
import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.FileStateStore;
import io.logalert.HeldBack;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.Silenced;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.PendingDelivery;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo, end to end: a real Elasticsearch node (or a cluster of the user's), ten minutes of logs of four
 * projects, a DingTalk robot (the emulator, or the user's), and a pipeline run every few seconds while new errors
 * arrive, with what the robot's group received and each {@link RunReport} printed after each run. Then the tally
 * that nothing was lost, and everything it made is removed: the node's processes and directory, the state
 * directory, the emulator, and, on a user's cluster, the index of sample logs.
 *
 * <p>Timing: the first run reads the ten minutes of history, where every kind is new. Realert holds a kind for 3.5
 * intervals, so the next three runs hold the recurring kinds and the fifth shows them again with "+N since"; an
 * error no project logged before arrives in time for the third run, which marks it new.
 */
public final class DemoRun {

    /** The pipeline's id, and the name of its state file. */
    public static final String PIPELINE_ID = "logalert-demo";

    /** How far behind now a window ends. */
    public static final Duration QUERY_DELAY = Duration.ofSeconds(2);

    /** The run in which the new kind is first read. */
    public static final int NEW_KIND_CYCLE = 3;

    private static final Duration HISTORY = Duration.ofMinutes(10);
    private static final int HISTORY_RECORDS = 1_200;
    private static final String KEYWORD = "alert";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Called after each run, on the demo's thread. */
    public interface Listener {
        /** Does nothing. */
        Listener NONE = (cycle, report) -> {
        };

        /** Run {@code cycle} (from 1) reported {@code report}. */
        void afterCycle(int cycle, RunReport report);
    }

    /**
     * What the demo did.
     *
     * @param reports          every run's report
     * @param delivered        every digest a sink acknowledged, in order
     * @param accepted         the messages the emulator accepted; empty with a real robot
     * @param stillHeld        errors realert still held in the state at the end
     * @param pendingEvents    errors of digests still pending at the end
     * @param watchedProjects  the projects the sample logs hold that the pipeline reads
     * @param watchedErrors    errors the sample logs hold for the watched projects before the last window's end;
     *                         empty without sample logs
     * @param excludedErrors   errors of excluded projects in the sample logs
     * @param laterErrors      watched errors indexed with timestamps after the last window's end (the next run's)
     * @param stateFile        the state file the pipeline wrote (deleted by now)
     * @param stateFileBytes   its size at the end
     * @param elapsed          the demo's wall time, cleanup included
     */
    public record Result(List<RunReport> reports, List<Digest> delivered, List<DingTalkEmulator.Accepted> accepted,
            long stillHeld, long pendingEvents, List<String> watchedProjects, Optional<Long> watchedErrors,
            long excludedErrors, long laterErrors, Path stateFile, long stateFileBytes, Duration elapsed) {

        /** Errors the delivered digests showed: group counts, "+N since" and what silences held. */
        public long shownEvents() {
            return delivered.stream().mapToLong(DemoRun::shownIn).sum();
        }

        /** Errors the pipeline read, across runs. */
        public long eventsRead() {
            return reports.stream().mapToLong(RunReport::eventsRead).sum();
        }

        Result withElapsed(Duration elapsed) {
            return new Result(reports, delivered, accepted, stillHeld, pendingEvents, watchedProjects, watchedErrors,
                    excludedErrors, laterErrors, stateFile, stateFileBytes, elapsed);
        }
    }

    private final DemoOptions options;
    private final PrintStream out;
    private final Listener listener;
    private final Cleanup cleanup;
    private final List<SampleLogs.Doc> indexed = Collections.synchronizedList(new ArrayList<>());

    private DemoRun(DemoOptions options, PrintStream out, Listener listener, Cleanup cleanup) {
        this.options = options;
        this.out = out;
        this.listener = listener;
        this.cleanup = cleanup;
    }

    /**
     * Runs the demo and removes what it made, whichever way it ends; a shutdown hook does so on Ctrl-C.
     *
     * @throws RuntimeException when a part cannot start or the pipeline cannot be built; cleaned up all the same
     */
    public static Result run(DemoOptions options, PrintStream out, Listener listener) {
        long started = System.nanoTime();
        Cleanup cleanup = new Cleanup();
        Thread hook = new Thread(cleanup::onShutdown, "logalert-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        DemoRun demo = new DemoRun(options, out, listener, cleanup);
        Result result;
        try {
            result = demo.run();
        } finally {
            cleanup.runAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it cleans up too
            }
            cleanup.failures().forEach(failure -> out.println("A cleanup step failed: " + failure));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        out.println();
        out.println("Cleaned up: " + String.join("; ", cleanup.done()) + ".");
        out.printf(Locale.ROOT, "The demo took %.1f s.%n", elapsed.toMillis() / 1000.0);
        return result.withElapsed(elapsed);
    }

    /** Whether the demo was interrupted (Ctrl-C): its shutdown hook ran, and is cleaning up. */
    public static boolean interrupted() {
        return Cleanup.anyInterrupted();
    }

    private Result run() {
        out.println("logalert demo: errors from Elasticsearch, grouped into kinds, delivered to a DingTalk robot.");
        out.println();
        Cluster cluster = cluster();
        List<String> excluded = options.excludeProjects()
                .orElse(options.indexesSamples() ? List.of(SampleLogs.EXCLUDED) : List.of());
        SampleLogs logs = new SampleLogs(42);
        Optional<LogIndex> index = options.indexesSamples() ? Optional.of(indexLogs(cluster, logs, excluded))
                : Optional.empty();
        // the demo's own node holds only the demo's logs; on a user's cluster, read exactly the index written
        String indexPattern = options.index().orElseGet(() -> options.startsNode() ? "logalert-demo-*"
                : index.map(LogIndex::index).orElseThrow());
        if (index.isEmpty()) {
            out.println("Reading " + indexPattern + "; the demo indexes nothing there.");
        }
        Robot robot = robot();
        Path stateDir = stateDirectory();
        AlertPipeline pipeline = pipeline(cluster, indexPattern, excluded, robot, stateDir);
        Cleanup.Step closePipeline = cleanup.add("closed the pipeline", pipeline::close);

        Optional<LiveLogs> live = index.map(target -> new LiveLogs(target, logs));
        Optional<Cleanup.Step> stopLive = live.map(writer -> cleanup.add("stopped the log writer", writer::stop));
        Runs runs = runs(pipeline, live, robot.emulator());
        stopLive.ifPresent(Cleanup.Step::run);
        closePipeline.run();
        return tally(runs, stateDir, index.isPresent(), excluded, robot.emulator());
    }

    /** Where the pipeline reads: the demo's own node, or the user's cluster. */
    private record Cluster(String hosts, Optional<String> authorization) {
    }

    private Cluster cluster() {
        if (options.startsNode()) {
            ElasticsearchNode node = startNode();
            return new Cluster(node.uri().toString().replaceAll("/$", ""), Optional.empty());
        }
        String hosts = options.esHosts().orElseThrow();
        Optional<String> authorization = options.esUser().map(user -> "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + options.esPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8)))
                .or(() -> options.esApiKey().map(key -> "ApiKey " + key));
        out.println("Reading the cluster at " + hosts + (authorization.isPresent() ? " (credentials not shown)" : "")
                + "; no node is started.");
        return new Cluster(hosts, authorization);
    }

    /** Where the digests go: the sink's configuration, and the emulator when there is no real robot. */
    private record Robot(Map<String, String> sinkConfig, Optional<DingTalkEmulator> emulator) {
    }

    private Robot robot() {
        Map<String, String> config = new LinkedHashMap<>();
        Optional<DingTalkEmulator> robot = Optional.empty();
        if (options.usesEmulator()) {
            String token = "demo-" + Long.toHexString(new Random().nextLong());
            String secret = "SECdemo" + Long.toHexString(new Random().nextLong());
            DingTalkEmulator emulator = DingTalkEmulator.builder().accessToken(token).secret(secret)
                    .keywords(KEYWORD).start();
            cleanup.add("stopped the DingTalk emulator", emulator::close);
            robot = Optional.of(emulator);
            config.put("access-token", token);
            config.put("secret", secret);
            config.put("keywords", KEYWORD);
            config.put("base-url", emulator.baseUrl().toString());
            out.println("DingTalk robot emulator on " + emulator.baseUrl() + ": checks the signature, the keyword '"
                    + KEYWORD + "', the message shape and 20 messages a minute, as DingTalk does.");
        } else {
            config.put("access-token", options.dingtalkToken().orElseThrow());
            options.dingtalkSecret().ifPresent(secret -> config.put("secret", secret));
            options.dingtalkKeyword().ifPresent(keyword -> config.put("keywords", keyword));
            out.println("Delivering to the real DingTalk robot given" + (options.dingtalkSecret().isPresent()
                    ? ", signed" : "") + " (token and secret not shown).");
        }
        config.put("time-zone", options.timeZone().getId());
        return new Robot(config, robot);
    }

    private Path stateDirectory() {
        Path dir;
        try {
            dir = Files.createTempDirectory("logalert-demo-state-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's state directory", e);
        }
        cleanup.add("deleted the state directory " + dir, () -> deleteTree(dir));
        return dir;
    }

    private Duration realert() {
        return options.interval().multipliedBy(7).dividedBy(2);
    }

    private AlertPipeline pipeline(Cluster cluster, String indexPattern, List<String> excluded, Robot robot,
            Path stateDir) {
        Map<String, String> source = new LinkedHashMap<>(options.sourceSettings());
        source.put("hosts", cluster.hosts());
        source.put("index", indexPattern);
        if (!excluded.isEmpty()) {
            source.put("exclude-projects", String.join(",", excluded));
        }
        options.esUser().ifPresent(user -> source.put("username", user));
        options.esPassword().ifPresent(password -> source.put("password", password));
        options.esApiKey().ifPresent(key -> source.put("api-key", key));
        AlertPipeline pipeline = AlertPipeline.builder()
                .id(PIPELINE_ID)
                .source("elasticsearch", PluginConfig.of(source))
                .addSink("dingtalk", PluginConfig.of(robot.sinkConfig()))
                .stateStore("file", PluginConfig.of(Map.of("path", stateDir.toString())))
                .interval(options.interval())
                .queryDelay(QUERY_DELAY)
                // the first window takes in the whole history, in one window
                .initialLookback(HISTORY.plusMinutes(1))
                .maxWindow(HISTORY.plusMinutes(5))
                .realert(Realert.every(realert()))
                .build();
        out.println();
        out.println("The pipeline: " + pipeline);
        out.printf(Locale.ROOT, "  source elasticsearch: index=%s%s; reads level ERROR%n", indexPattern,
                excluded.isEmpty() ? "" : ", exclude-projects=" + String.join(",", excluded));
        out.printf(Locale.ROOT, "  aggregator template; realert every %s; a run every %s, each window ending %s "
                + "behind now%n", seconds(realert()), seconds(options.interval()), seconds(QUERY_DELAY));
        out.println("  state store file: " + stateDir.resolve(PIPELINE_ID + ".json"));
        return pipeline;
    }

    /** What the runs did. */
    private record Runs(List<RunReport> reports, List<Digest> delivered) {
    }

    /** Runs the pipeline every interval, on the dot, while the log writer adds records; prints each run. */
    private Runs runs(AlertPipeline pipeline, Optional<LiveLogs> live, Optional<DingTalkEmulator> robot) {
        Duration interval = options.interval();
        long firstRun = System.nanoTime();
        // the new kind's records start after the second run's window ends, so that the third run reads them first
        Optional<Instant> newKindFrom = options.cycles() < NEW_KIND_CYCLE ? Optional.empty()
                : Optional.of(Instant.now().plus(interval.multipliedBy(NEW_KIND_CYCLE - 2)).minus(QUERY_DELAY)
                        .plus(interval.dividedBy(2)));
        live.ifPresent(writer -> {
            writer.start(newKindFrom);
            out.println();
            out.println("New log records arrive every second from now on" + newKindFrom.map(at -> "; an error no "
                    + "project logged before starts in time for run " + NEW_KIND_CYCLE).orElse("") + ".");
        });
        List<RunReport> reports = new ArrayList<>();
        List<Digest> delivered = new ArrayList<>();
        int seen = 0;
        for (int cycle = 1; cycle <= options.cycles(); cycle++) {
            sleepUntil(firstRun + interval.multipliedBy(cycle - 1L).toNanos());
            RunReport report = pipeline.runOnce();
            if (cleanup.interrupted()) {
                throw new IllegalStateException("interrupted");
            }
            reports.add(report);
            report.deliveries().values().stream().flatMap(List::stream).filter(DeliveryResult::isDelivered)
                    .forEach(result -> delivered.add(result.digest()));
            seen = printRun(cycle, report, robot, seen);
            listener.afterCycle(cycle, report);
        }
        return new Runs(reports, delivered);
    }

    /** Reads the state the pipeline left and checks that every error is accounted for; prints it. */
    private Result tally(Runs runs, Path stateDir, boolean samples, List<String> excluded,
            Optional<DingTalkEmulator> robot) {
        List<DingTalkEmulator.Accepted> accepted = robot.map(DingTalkEmulator::accepted).orElse(List.of());
        Path stateFile = stateDir.resolve(PIPELINE_ID + ".json");
        Optional<PipelineState> saved;
        try (FileStateStore store = new FileStateStore(stateDir)) {
            saved = store.load(PIPELINE_ID);
        }
        if (saved.isEmpty()) {
            out.println();
            out.println("The pipeline saved no state: no run got as far as saving (the reports above say why).");
            return new Result(runs.reports(), runs.delivered(), accepted, 0, 0, List.of(), Optional.empty(), 0, 0,
                    stateFile, 0, Duration.ZERO);
        }
        PipelineState state = saved.get();
        long stateBytes;
        try {
            stateBytes = Files.size(stateFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long stillHeld = state.kinds().stream().mapToLong(k -> k.held().map(ErrorGroup::count).orElse(0L)).sum();
        long pendingEvents = state.pending().stream().map(PendingDelivery::digest).distinct()
                .mapToLong(DemoRun::shownIn).sum();
        Instant checkpoint = state.checkpoint();
        List<String> watched = SampleLogs.PROJECTS.stream().filter(p -> !excluded.contains(p)).toList();
        List<SampleLogs.Doc> docs;
        synchronized (indexed) {
            docs = List.copyOf(indexed);
        }
        Optional<Long> watchedErrors = samples ? Optional.of(docs.stream().filter(SampleLogs.Doc::isError)
                .filter(d -> watched.contains(d.project()) && d.timestamp().isBefore(checkpoint)).count())
                : Optional.empty();
        long excludedErrors = docs.stream().filter(d -> d.isError() && excluded.contains(d.project())).count();
        long later = docs.stream().filter(SampleLogs.Doc::isError)
                .filter(d -> watched.contains(d.project()) && !d.timestamp().isBefore(checkpoint)).count();
        Result result = new Result(runs.reports(), runs.delivered(), accepted, stillHeld, pendingEvents, watched,
                watchedErrors, excludedErrors, later, stateFile, stateBytes, Duration.ZERO);
        printTally(result, state, excluded, checkpoint);
        return result;
    }

    private ElasticsearchNode startNode() {
        Optional<Path> home = locateDistribution();
        out.println("Starting Elasticsearch " + ElasticsearchNode.VERSION + " (the integ-test zip"
                + home.map(h -> " in " + h).orElse(" from the local Maven repository") + ")"
                + ("root".equals(System.getProperty("user.name")) ? " as user nobody, since this runs as root" : "")
                + "...");
        long started = System.nanoTime();
        cleanup.nodeStarting();
        ElasticsearchNode node;
        try {
            node = ElasticsearchNode.start();
            cleanup.add("stopped the Elasticsearch node and deleted its directory", node::close);
        } finally {
            cleanup.nodeStartEnded();
        }
        out.printf(Locale.ROOT, "Elasticsearch is up at %s after %.1f s (single node, 512 MB heap, on loopback).%n",
                node.uri(), (System.nanoTime() - started) / 1e9);
        return node;
    }

    /**
     * The distribution the build unpacked beside the demo's jar ({@code target/elasticsearch/...}), passed to the
     * node in its system property; without it the node unpacks the zip from the local Maven repository.
     */
    private static Optional<Path> locateDistribution() {
        String configured = System.getProperty(ElasticsearchNode.HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        try {
            Path code = Path.of(DemoRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = code.getParent().resolve("elasticsearch").resolve("elasticsearch-" + ElasticsearchNode.VERSION);
            if (Files.isRegularFile(home.resolve("bin").resolve("elasticsearch"))) {
                System.setProperty(ElasticsearchNode.HOME_PROPERTY, home.toString());
                return Optional.of(home);
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source to look beside: the local Maven repository it is
        }
        return Optional.empty();
    }

    /** Creates the index of sample logs and writes the ten minutes of history into it. */
    private LogIndex indexLogs(Cluster cluster, SampleLogs logs, List<String> excluded) {
        String date = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        // on a user's cluster, a name of its own, so that the demo reads and deletes only what it wrote
        String name = options.startsNode() ? "logalert-demo-" + date
                : "logalert-demo-" + date + "-" + Integer.toHexString(new Random().nextInt(0x10000) | 0x10000)
                        .substring(1);
        LogIndex target = new LogIndex(URI.create(cluster.hosts().split(",")[0].strip() + "/"), name,
                cluster.authorization());
        if (!options.startsNode() && target.exists()) {
            throw new IllegalStateException("the index " + name + " exists already; run the demo again");
        }
        target.create();
        if (!options.startsNode()) {
            cleanup.add("deleted the index " + target.index(), target::delete);
        }
        Instant now = Instant.now();
        List<SampleLogs.Doc> history = logs.between(now.minus(HISTORY), now, HISTORY_RECORDS);
        for (int from = 0; from < history.size(); from += 500) {
            target.bulk(history.subList(from, Math.min(history.size(), from + 500)));
        }
        indexed.addAll(history);
        long errors = history.stream().filter(SampleLogs.Doc::isError).count();
        long excludedErrors = history.stream().filter(d -> d.isError() && excluded.contains(d.project())).count();
        out.printf(Locale.ROOT, "Indexed %,d log records of the last %d minutes into %s: %d projects, %,d at ERROR"
                + "%s, the rest INFO and WARN.%n", history.size(), HISTORY.toMinutes(), target.index(),
                SampleLogs.PROJECTS.size(), errors, excluded.isEmpty() ? "" : String.format(Locale.ROOT,
                        " (%,d of them from %s, which the pipeline excludes)", excludedErrors,
                        String.join(", ", excluded)));
        history.stream().filter(d -> d.source().containsKey("stack_trace")).findFirst().ifPresent(doc -> {
            out.println("One of them, as the log shipper wrote it:");
            doc.source().forEach((field, value) -> {
                List<String> lines = String.valueOf(value).lines().toList();
                out.println("  " + field + ": " + lines.get(0));
                lines.subList(1, Math.min(lines.size(), 3)).forEach(line -> out.println("      " + line.strip()));
                if (lines.size() > 3) {
                    out.println("      … " + (lines.size() - 3) + " more lines");
                }
            });
        });
        return target;
    }

    /** Prints a run's report and what the group received since the last run; returns how many it has received. */
    private int printRun(int cycle, RunReport report, Optional<DingTalkEmulator> robot, int seen) {
        out.println();
        String head = "── Run " + cycle + " of " + options.cycles() + " at "
                + CLOCK.format(report.startedAt().atZone(options.timeZone())) + " ";
        out.println(head + "─".repeat(Math.max(3, 100 - head.length())));
        out.println(report);
        if (robot.isEmpty()) {
            List<Digest> sent = report.deliveries().values().stream().flatMap(List::stream)
                    .filter(DeliveryResult::isDelivered).map(DeliveryResult::digest).toList();
            out.println(sent.isEmpty() ? "The robot got nothing this run." : "The robot got " + plural(sent.size(),
                    "digest") + ": " + String.join(", ", sent.stream().map(d -> d.project() + " ("
                    + plural(d.totalEvents(), "error") + ")").toList()));
            return seen;
        }
        List<DingTalkEmulator.Accepted> accepted = robot.get().accepted();
        List<DingTalkEmulator.Accepted> fresh = accepted.subList(Math.min(seen, accepted.size()), accepted.size());
        if (fresh.isEmpty()) {
            out.println("The group received nothing"
                    + (report.heldByRealert() > 0 ? ": " + report.heldByRealert() + " errors of kinds shown less "
                    + "than " + seconds(realert()) + " ago are held by realert; the next digest that shows them says "
                    + "\"+N since\"." : "."));
        } else {
            out.println("The group received " + fresh.size() + (fresh.size() == 1 ? " message:" : " messages:"));
            fresh.forEach(message -> RobotView.lines(message).forEach(out::println));
        }
        return accepted.size();
    }

    private void printTally(Result result, PipelineState state, List<String> excluded, Instant checkpoint) {
        out.println();
        String head = "── After " + plural(result.reports().size(), "run") + " ";
        out.println(head + "─".repeat(Math.max(3, 100 - head.length())));
        long shown = result.shownEvents();
        long heldBack = result.delivered().stream().flatMap(d -> d.groups().stream())
                .mapToLong(g -> g.heldBack().map(HeldBack::count).orElse(0L)).sum();
        long windows = result.reports().stream().filter(r -> r.window().isPresent()).count();
        out.printf(Locale.ROOT, "The pipeline read %,d errors in %s, up to %s.%n", result.eventsRead(),
                plural(windows, "window"), CLOCK.format(checkpoint.atZone(options.timeZone())));
        out.printf(Locale.ROOT, "The robot was shown %,d of them in %s (%,d as \"+N since\" of kinds realert had "
                + "held).%n", shown, plural(result.delivered().size(), "digest"), heldBack);
        long held = state.kinds().stream().filter(k -> k.held().isPresent()).count();
        out.printf(Locale.ROOT, "Realert still holds %,d (%s) in the state file %s (%,d bytes, %s known); %,d are "
                + "in digests still pending.%n", result.stillHeld(), plural(held, "kind"), result.stateFile(),
                result.stateFileBytes(), plural(state.kinds().size(), "kind"), result.pendingEvents());
        long accounted = shown + result.stillHeld() + result.pendingEvents();
        result.watchedErrors().ifPresentOrElse(expected -> {
            out.printf(Locale.ROOT, "%,d + %,d + %,d = %,d; the logs hold %,d errors of %s before %s: %s%n", shown,
                    result.stillHeld(), result.pendingEvents(), accounted, expected,
                    String.join(", ", result.watchedProjects()), CLOCK.format(checkpoint.atZone(options.timeZone())),
                    accounted == expected ? "nothing lost, nothing counted twice." : "THEY DIFFER.");
            out.printf(Locale.ROOT, "(%,d more arrived after it, for the next run; %s's %,d errors were never read.)%n",
                    result.laterErrors(), String.join(", ", excluded), result.excludedErrors());
        }, () -> out.printf(Locale.ROOT, "%,d + %,d + %,d = %,d of the %,d read: %s%n", shown, result.stillHeld(),
                result.pendingEvents(), accounted, result.eventsRead(),
                accounted == result.eventsRead() ? "nothing lost." : "THEY DIFFER."));
    }

    static long shownIn(Digest digest) {
        long total = digest.omittedEvents() + digest.silenced().stream().mapToLong(Silenced::events).sum();
        for (ErrorGroup group : digest.groups()) {
            total += group.count() + group.heldBack().map(HeldBack::count).orElse(0L);
        }
        return total;
    }

    private static String plural(long count, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", count, noun, count == 1 ? "" : "s");
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Sleeps until {@code nanos} on the monotonic clock; throws soon after an interruption (Ctrl-C). */
    private void sleepUntil(long nanos) {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            if (cleanup.interrupted()) {
                throw new IllegalStateException("interrupted");
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Writes new log records every second, with timestamps of now, as an application does. */
    private final class LiveLogs {
        private final LogIndex target;
        private final SampleLogs logs;
        private final Random random = new Random(7);
        private final CountDownLatch stop = new CountDownLatch(1);
        private volatile Optional<Instant> newKindFrom = Optional.empty();
        private Thread thread;

        LiveLogs(LogIndex target, SampleLogs logs) {
            this.target = target;
            this.logs = logs;
        }

        /** Starts writing; from {@code newKindFrom} on, the new kind is among the records. */
        void start(Optional<Instant> newKindFrom) {
            this.newKindFrom = newKindFrom;
            thread = new Thread(this::write, "logalert-demo-logs");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops writing after the bulk request in flight, if any, so that every record written is counted. */
        void stop() throws InterruptedException {
            stop.countDown();
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(40));
            }
        }

        private void write() {
            boolean burst = false;
            while (stop.getCount() > 0) {
                Instant now = Instant.now();
                List<SampleLogs.Doc> docs = new ArrayList<>();
                int count = 4 + random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    docs.add(logs.next(now.plusMillis(i)));
                }
                if (newKindFrom.isPresent() && !now.isBefore(newKindFrom.get())) {
                    // a burst, then now and then, as a new failure mode does
                    int fresh = burst ? random.nextInt(2) : 4;
                    burst = true;
                    for (int i = 0; i < fresh; i++) {
                        docs.add(logs.newKind(now.plusMillis(count + i)));
                    }
                }
                try {
                    target.bulk(docs);
                    indexed.addAll(docs);
                } catch (RuntimeException e) {
                    if (stop.getCount() > 0) {
                        out.println("(could not index new log records: " + e.getMessage() + ")");
                    }
                }
                try {
                    if (stop.await(1, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
