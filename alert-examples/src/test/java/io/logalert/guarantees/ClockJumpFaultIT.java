package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.InMemoryStateStore;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.guarantees.Faults.RobotDigest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's clock jumps a day ahead for a few runs, then back, while documents keep arriving stamped with the
 * real time, which is also the node's clock: windows end by the node's clock (less the query delay), so they never
 * reach past documents not written yet; each run during the jump warns that the clocks differ, and no run after it
 * finds a checkpoint ahead of now. Summed over every run the counts equal the documents indexed, exactly, and the
 * robot got each window once.
 */
class ClockJumpFaultIT {

    private static final String ID = "jumpy-orders";
    /** None: a window may end at the node's clock itself, the closest to the records being written. */
    private static final Duration DELAY = Duration.ZERO;
    private static final int RUNS = 8;
    /** The runs (from 0) whose clock is a day ahead. */
    private static final List<Integer> JUMPED = List.of(2, 3, 4);

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final ManualClock clock = new ManualClock(Instant.now());
    private final Random random = new Random(29);

    @Test
    void aClockADayAheadNeverMovesWindowsPastTheNodesClockAndTheCountsAreExact() throws InterruptedException {
        String index = Faults.index("jumpy");
        List<RunReport> reports = new ArrayList<>();
        List<Instant> realTimeAfter = new ArrayList<>();
        long indexed = 0;
        Instant lastRun = Instant.now();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().start();
                AlertPipeline pipeline = AlertPipeline.builder().id(ID)
                        .source("elasticsearch", Faults.on(node, index))
                        .addSink(Faults.robotSink(robot))
                        .stateStore(new InMemoryStateStore()).clock(clock).queryDelay(DELAY)
                        .interval(Duration.ofSeconds(1)).initialLookback(Duration.ofMinutes(1)).realert(Realert.NONE)
                        .build()) {
            for (int run = 0; run < RUNS; run++) {
                // errors logged since the last run, stamped with the real time
                indexed += BulkLoader.loadDocuments(node, index, Faults.errors(random, "checkout", 5 + run,
                        lastRun, Instant.now()).stream());
                clock.set(Instant.now().plus(JUMPED.contains(run) ? Duration.ofDays(1) : Duration.ZERO));
                reports.add(pipeline.runOnce());
                lastRun = Instant.now();
                realTimeAfter.add(lastRun);
            }
            // the node's clock may lag a little (it is read from its statistics): runs on the real clock read the rest
            long read = reports.stream().mapToLong(RunReport::eventsRead).sum();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (read < indexed && System.nanoTime() < deadline) {
                clock.set(Instant.now());
                RunReport report = pipeline.runOnce();
                reports.add(report);
                realTimeAfter.add(Instant.now());
                read += report.eventsRead();
                Thread.sleep(100);
            }

            Optional<TimeWindow> previous = Optional.empty();
            for (int run = 0; run < reports.size(); run++) {
                RunReport report = reports.get(run);
                assertThat(report.isClean()).as("run %d: %s", run, report).isTrue();
                if (JUMPED.contains(run)) {
                    assertThat(report.window()).as("run %d: %s", run, report).isPresent();
                    assertThat(report.warnings()).as("run %d", run)
                            .anySatisfy(w -> assertThat(w).contains("off the clock of"));
                }
                // the checkpoint never ran ahead, so nothing had to be brought back
                assertThat(report.warnings()).as("run %d", run).noneSatisfy(w -> assertThat(w).contains("ahead of"));
                if (report.window().isPresent()) {
                    TimeWindow window = report.window().get();
                    assertThat(window.to()).as("end of the window of run %d, by the real clock", run)
                            .isBeforeOrEqualTo(realTimeAfter.get(run));
                    if (previous.isPresent()) {
                        assertThat(window.from()).as("start of the window of run %d", run)
                                .isEqualTo(previous.get().to());
                    }
                    previous = Optional.of(window);
                }
            }
            assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).as("events read").isEqualTo(indexed);
            assertThat(reports.stream().mapToLong(RunReport::lateEvents).sum()).as("late events").isZero();
            List<RobotDigest> received = Faults.robotDigests(robot);
            assertThat(received.stream().mapToLong(RobotDigest::events).sum()).as("events the robot received")
                    .isEqualTo(indexed);
            assertThat(robot.accepted()).noneMatch(Faults::isLate);
            Faults.assertNoneCountTheSameRecords(received, "");
        }
    }
}
