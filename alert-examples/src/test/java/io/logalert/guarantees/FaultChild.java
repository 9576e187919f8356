package io.logalert.guarantees;

import io.logalert.AlertPipeline;
import io.logalert.FileStateStore;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateStore;
import io.logalert.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The child JVM of the fault tests, which its parent kills or lets finish. Markers on stdout, one line each:
 * {@code RUN …} per run, {@code SAVING …} before a save it stops at, {@code HOLDING pid=…}, {@code DONE}.
 *
 * <pre>
 * run  PIPELINE_ID CLOCK_START HOSTS INDEX WEBHOOK STATE_DIR RUNS PAUSE_AT_SAVE   (0: never pause)
 * hold STATE_DIR                                                                  (holds the directory's lock)
 * </pre>
 *
 * A pause, and a hold, wait on stdin: the parent kills the child there, and a child whose parent died reads the end
 * of stdin and exits without saving.
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
