package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.InMemoryStateStore;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.guarantees.Faults.RecordingSink;
import io.logalert.guarantees.Faults.RobotDigest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 1 across an outage of the source: Elasticsearch is stopped between runs and started again; the runs
 * meanwhile fail without moving the checkpoint, and the runs after it cover the gap, so that summed over every run
 * the counts equal the documents indexed, exactly, and no window is counted twice.
 */
class SourceOutageFaultIT {

    private static final String ID = "outage-orders";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final List<String> PROJECTS = List.of("checkout", "billing");

    private final ManualClock clock = new ManualClock(T0);
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Random random = new Random(7);
    private final List<RunReport> reports = new ArrayList<>();

    @Test
    void runsAfterAnOutageCoverTheGapAndEveryDocumentIsCountedOnce() {
        String index = Faults.index("outage");
        // the first window starts one lookback before the first due time
        Instant start = T0.minus(DELAY).minus(MINUTE);
        long indexed = 0;
        try (ElasticsearchNode node = ElasticsearchNode.start();
                DingTalkEmulator robot = DingTalkEmulator.builder().clock(clock).start()) {
            RecordingSink sink = new RecordingSink(DingTalkSink.builder().webhook(robot.url()).title(Faults.TITLE)
                    .clock(clock).build());
            try (AlertPipeline pipeline = AlertPipeline.builder().id(ID)
                    .source("elasticsearch", PluginConfig.of(Map.of("hosts", "http://127.0.0.1:"
                            + node.uri().getPort(), "index", index, "request-timeout", "10s")))
                    .addSink(sink).stateStore(store).clock(clock).queryDelay(DELAY).interval(MINUTE)
                    .initialLookback(MINUTE).maxWindow(Duration.ofMinutes(2)).realert(Realert.NONE).build()) {

                // three windows read as usual
                Instant upTo = start.plus(Duration.ofMinutes(3));
                indexed += load(node, index, start, upTo, 37);
                for (int i = 0; i < 3; i++) {
                    assertThat(run(pipeline).failure()).as("run %d before the outage", i).isEmpty();
                }
                Instant checkpoint = checkpoint();
                assertThat(checkpoint).isEqualTo(upTo);

                // the node goes down: runs fail, name the window they could not read, and move nothing
                node.stop();
                for (int i = 0; i < 4; i++) {
                    RunReport failed = run(pipeline);
                    assertThat(failed.failure()).as("run %d during the outage", i).isPresent();
                    assertThat(failed.window()).isEmpty();
                    assertThat(failed.failedWindow()).hasValueSatisfying(w -> assertThat(w.from())
                            .isEqualTo(checkpoint));
                    assertThat(failed.digests()).isEmpty();
                    assertThat(checkpoint()).isEqualTo(checkpoint);
                }

                // back up: what was logged meanwhile is indexed late, and more keeps coming
                node.restart();
                Instant caughtUpTo = clock.instant().plus(MINUTE).minus(DELAY);
                indexed += load(node, index, upTo, caughtUpTo, 53);
                RunReport report;
                int runs = 0;
                do {
                    // a pipeline behind runs again at once, as start() does: the clock does not move
                    report = pipeline.runOnce();
                    reports.add(report);
                    assertThat(report.failure()).as("run %d after the outage", runs).isEmpty();
                } while (report.catchingUp().isPresent() && ++runs < 10);
                assertThat(reports.stream().filter(r -> r.catchingUp().isPresent())).as("catch-up runs")
                        .hasSizeGreaterThan(1);
                clock.advance(MINUTE);
                assertThat(run(pipeline).failure()).isEmpty();
                assertThat(checkpoint()).isEqualTo(caughtUpTo);
            }

            // every window read once: contiguous from the first to the last, never overlapping
            List<TimeWindow> read = reports.stream().flatMap(r -> r.window().stream()).toList();
            for (int i = 1; i < read.size(); i++) {
                assertThat(read.get(i).from()).as("window %d starts where %d ended", i, i - 1)
                        .isEqualTo(read.get(i - 1).to());
            }
            assertThat(read.get(0).from()).isEqualTo(start);
            assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).as("events read").isEqualTo(indexed);

            // every document in exactly one delivered digest, which the robot received once
            List<Digest> delivered = sink.delivered();
            assertThat(delivered).extracting(Digest::id).doesNotHaveDuplicates();
            assertThat(delivered).filteredOn(d -> d.catchUp().isPresent()).extracting(Digest::project)
                    .containsExactlyInAnyOrderElementsOf(PROJECTS);
            assertThat(delivered.stream().mapToLong(Digest::totalEvents).sum()).as("events delivered")
                    .isEqualTo(indexed);
            List<RobotDigest> received = Faults.robotDigests(robot);
            assertThat(received).hasSameSizeAs(delivered);
            assertThat(received.stream().mapToLong(RobotDigest::events).sum()).as("events the robot received")
                    .isEqualTo(indexed);
            Faults.assertNoneCountTheSameRecords(received, "");
            assertThat(reports).allSatisfy(r -> assertThat(r.pending()).isZero());
        }
    }

    private RunReport run(AlertPipeline pipeline) {
        RunReport report = pipeline.runOnce();
        reports.add(report);
        clock.advance(MINUTE);
        return report;
    }

    private Instant checkpoint() {
        return store.load(ID).orElseThrow().checkpoint();
    }

    /** {@code perMinute} errors a minute in each project over {@code [from, to)}; how many were indexed. */
    private long load(ElasticsearchNode node, String index, Instant from, Instant to, int perMinute) {
        int count = (int) (perMinute * Duration.between(from, to).toSeconds() / 60);
        return PROJECTS.stream().mapToLong(project -> BulkLoader.loadDocuments(node, index,
                Faults.errors(random, project, count, from, to).stream())).sum();
    }
}
