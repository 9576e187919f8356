package io.logalert.guarantees;

import io.logalert.AlertPipeline;
import io.logalert.FileStateStore;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.LogEvent;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.spi.LogSource;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateStore;
import io.logalert.testing.ManualClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The child JVM of the fault tests, which its parent kills or lets finish. Markers on stdout, one line each:
 * {@code RUN …} per run, {@code SAVING …} before a save it stops at, {@code HOLDING pid=…}, {@code STARTED …},
 * {@code READING …} where a lease child stops in a read, {@code DONE}.
 *
 * <pre>
 * run   PIPELINE_ID CLOCK_START HOSTS INDEX WEBHOOK STATE_DIR RUNS PAUSE_AT_SAVE   (0: never pause)
 * hold  STATE_DIR                                                                  (holds the directory's lock)
 * lease PIPELINE_ID INSTANCE HOSTS INDEX STATE_INDEX WEBHOOK INTERVAL_MS LEASE_TTL_MS QUERY_DELAY_MS
 * </pre>
 *
 * A pause, and a hold, wait on stdin: the parent kills the child there, and a child whose parent died reads the end
 * of stdin and exits without saving. A lease child runs a started pipeline on the real clock, with the
 * {@code elasticsearch} state store, until stdin says {@code stop} or ends; {@code pause} makes its next read print
 * {@code READING} and wait for a {@code go} line, so that the parent can stop the process in the middle of a run.
 */
public final class FaultChild {

    static final Duration DELAY = Duration.ofSeconds(30);
    static final Duration MINUTE = Duration.ofMinutes(1);
    /** Longer than a window: a child that lost its state would read (and alert) earlier windows again. */
    static final Duration LOOKBACK = Duration.ofMinutes(10);

    private FaultChild() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "run" -> run(args[1], Instant.parse(args[2]), args[3], args[4], args[5], Path.of(args[6]),
                    Integer.parseInt(args[7]), Integer.parseInt(args[8]));
            case "hold" -> hold(Path.of(args[1]));
            case "lease" -> lease(args[1], args[2], args[3], args[4], args[5], args[6],
                    Duration.ofMillis(Long.parseLong(args[7])), Duration.ofMillis(Long.parseLong(args[8])),
                    Duration.ofMillis(Long.parseLong(args[9])));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    private static void run(String id, Instant start, String hosts, String index, String webhook, Path stateDir,
            int runs, int pauseAtSave) {
        ManualClock clock = new ManualClock(start);
        try (StateStore store = new PausingStore(new FileStateStore(stateDir), pauseAtSave);
                AlertPipeline pipeline = AlertPipeline.builder().id(id)
                        .source("elasticsearch", PluginConfig.of(Map.of("hosts", hosts, "index", index)))
                        .addSink(DingTalkSink.builder().webhook(webhook).title(Faults.TITLE).build())
                        .stateStore(store).clock(clock).queryDelay(DELAY).interval(MINUTE).initialLookback(LOOKBACK)
                        .realert(Realert.NONE).build()) {
            for (int i = 0; i < runs; i++) {
                RunReport report = pipeline.runOnce();
                say("RUN window=" + report.window().map(TimeWindow::toString).orElse("none") + " events="
                        + report.eventsRead() + " digests=" + report.digests().size() + " delivered="
                        + report.delivered() + " failure=" + report.failure().orElse("none"));
                clock.advance(MINUTE);
            }
        }
        say("DONE");
    }

    private static void hold(Path stateDir) throws IOException {
        try (FileStateStore store = new FileStateStore(stateDir)) {
            say("HOLDING pid=" + ProcessHandle.current().pid() + " " + store.name());
            System.in.read();
        }
    }

    /**
     * One instance of a pipeline on the shared {@code elasticsearch} state store, started on the real clock; its
     * DingTalk titles end with {@code via INSTANCE}, so that the robot's messages say who sent them. One line per
     * run: {@code RUN instance=a at=<started> window=<from>..<to>|none events=N late=N digests=N delivered=N
     * standby=yes|no failure=<why>|none}.
     */
    private static void lease(String id, String instance, String hosts, String index, String stateIndex,
            String webhook, Duration interval, Duration leaseTtl, Duration queryDelay) {
        CountDownLatch stop = new CountDownLatch(1);
        PausableSource source = new PausableSource(ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                "hosts", hosts, "index", index))));
        Thread commands = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    switch (line.strip()) {
                        case "pause" -> source.armed.set(true);
                        case "go" -> source.go.release();
                        case "stop" -> stop.countDown();
                        default -> say("UNKNOWN " + line);
                    }
                }
            } catch (IOException e) {
                // the parent is gone
            }
            stop.countDown();
        }, "commands");
        commands.setDaemon(true);
        commands.start();
        try (source; AlertPipeline pipeline = AlertPipeline.builder().id(id).instance(instance).source(source)
                .addSink(DingTalkSink.builder().webhook(webhook).title(Faults.TITLE + " via " + instance)
                        .timeZone(java.time.ZoneOffset.UTC).build())
                .stateStore("elasticsearch", PluginConfig.of(Map.of("hosts", hosts, "index", stateIndex)))
                .queryDelay(queryDelay).interval(interval).leaseTtl(leaseTtl).realert(Realert.NONE)
                .onReport(report -> say(runLine(instance, report))).build()) {
            pipeline.start();
            say("STARTED instance=" + instance + " pid=" + ProcessHandle.current().pid());
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        say("DONE");
    }

    private static String runLine(String instance, RunReport report) {
        return "RUN instance=" + instance + " at=" + report.startedAt()
                + " window=" + report.window().map(w -> w.from() + ".." + w.to()).orElse("none")
                + " events=" + report.eventsRead() + " late=" + report.lateEvents()
                + " digests=" + report.digests().size() + " delivered=" + report.delivered()
                + " standby=" + (report.standby().isPresent() ? "yes" : "no")
                + " failure=" + report.failure().orElse("none").replace('\n', ' ');
    }

    /** A source that, when armed, stops in its next read until the parent says {@code go}. */
    private static final class PausableSource extends ForwardingLogSource {

        final AtomicBoolean armed = new AtomicBoolean();
        final Semaphore go = new Semaphore(0);

        PausableSource(LogSource delegate) {
            super(delegate);
        }

        @Override
        public void read(TimeWindow window, Consumer<LogEvent> consumer) {
            if (armed.compareAndSet(true, false)) {
                say("READING window=" + window.from() + ".." + window.to());
                try {
                    if (!go.tryAcquire(2, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the parent never said go");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while paused", e);
                }
            }
            delegate.read(window, consumer);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** A store that stops before its {@code pauseAt}-th save, after the run's deliveries, until killed. */
    private static final class PausingStore implements StateStore {

        private final StateStore delegate;
        private final int pauseAt;
        private int saves;

        PausingStore(StateStore delegate, int pauseAt) {
            this.delegate = delegate;
            this.pauseAt = pauseAt;
        }

        @Override
        public Optional<PipelineState> load(String pipelineId) {
            return delegate.load(pipelineId);
        }

        @Override
        public void save(PipelineState state) {
            if (++saves == pauseAt) {
                say("SAVING checkpoint=" + state.checkpoint());
                try {
                    System.in.read();
                } catch (IOException e) {
                    // the parent is gone: crash all the same
                }
                // the parent died instead of killing us: end as the crash would, without saving
                Runtime.getRuntime().halt(3);
            }
            delegate.save(state);
        }

        @Override
        public void reset(String pipelineId) {
            delegate.reset(pipelineId);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
