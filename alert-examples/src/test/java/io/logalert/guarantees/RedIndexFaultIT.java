package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.InMemoryStateStore;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.guarantees.Faults.RobotDigest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An index of the pattern turns red while it holds documents of the next window (its only shard copy cannot be
 * assigned), beside a green index that holds more: a read that skipped the red index would count the window short
 * and move the checkpoint past documents never read. The run fails instead, names the window and keeps the
 * checkpoint; once the shard is assigned again, the next run reads the window, and summed over every run the counts
 * equal the documents indexed, exactly.
 *
 * <p>How the index is made red on a single node: its documents are indexed into a staging index outside the pattern,
 * which is cloned into the pattern with {@code index.routing.allocation.require._name} naming no node. A clone's
 * primary is a new shard copy, so the allocation filter holds it unassigned (an existing primary, even of a closed
 * and reopened index, is force-allocated on the node holding its data, so filtering a started index does not make it
 * red); removing the filter lets it recover from the staging index's files.
 */
class RedIndexFaultIT {

    private static final String ID = "red-orders";
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final Instant t0 = Faults.anHourAgo();
    private final ManualClock clock = new ManualClock(t0);
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Random random = new Random(37);

    @Test
    void aRedIndexFailsTheRunKeepsTheCheckpointAndTheWindowIsCountedOnceItIsAssigned() {
        String pattern = Faults.index("red");
        String green = pattern + "-green";
        String red = pattern + "-red";
        String staging = Faults.index("staging-red");
        TimeWindow w1 = window(0);
        TimeWindow w2 = window(1);
        TimeWindow w3 = window(2);
        List<RunReport> reports = new ArrayList<>();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().start();
                AlertPipeline pipeline = AlertPipeline.builder().id(ID)
                        .source("elasticsearch", Faults.on(node, pattern + "-*"))
                        .addSink(Faults.robotSink(robot))
                        .stateStore(store).clock(clock).queryDelay(DELAY).interval(MINUTE).initialLookback(MINUTE)
                        .realert(Realert.NONE).build()) {
            long indexed = load(green, "checkout", 10, w1);
            reports.add(pipeline.runOnce());
            assertThat(reports.get(0).eventsRead()).isEqualTo(10);

            // window 2 is held by the green index and by one that is red
            indexed += load(green, "checkout", 8, w2);
            indexed += load(staging, "billing", 6, w2);
            node.cloneUnassigned(staging, red, "\"index.routing.allocation.require._name\": \"no-such-node\"");
            assertThat(health(red)).as("the health of %s", red).contains("\"status\":\"red\"");
            try {
                clock.advance(MINUTE);
                RunReport failed = pipeline.runOnce();
                assertThat(failed.failure()).as("a run over a red index: %s", failed).isPresent();
                assertThat(failed.failedWindow()).contains(w2);
                assertThat(failed.window()).isEmpty();
                assertThat(failed.digests()).isEmpty();
                assertThat(store.load(ID).orElseThrow().checkpoint()).as("checkpoint").isEqualTo(w1.to());

                // the shard is assigned again: the window is read with both indices
                node.request("PUT", "/" + red + "/_settings", "{\"index.routing.allocation.require._name\":null}");
                // its primary started (a replica has no second node to go to)
                node.request("GET", "/_cluster/health/" + red + "?wait_for_status=yellow&timeout=30s", null);
                RunReport after = pipeline.runOnce();
                reports.add(after);
                assertThat(after.failure()).as("%s", after).isEmpty();
                assertThat(after.window()).contains(w2);
                assertThat(after.eventsRead()).isEqualTo(14);
            } finally {
                // a red index left behind would keep the shared node red for every later test
                node.send("DELETE", "/" + red + "," + staging, null);
            }

            indexed += load(green, "checkout", 5, w3);
            clock.advance(MINUTE);
            reports.add(pipeline.runOnce());
            assertThat(reports).allSatisfy(r -> assertThat(r.isClean()).as("%s", r).isTrue());

            assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).as("events read").isEqualTo(indexed);
            List<RobotDigest> received = Faults.robotDigests(robot);
            assertThat(received.stream().mapToLong(RobotDigest::events).sum()).as("events the robot received")
                    .isEqualTo(indexed);
            Faults.assertNoneCountTheSameRecords(received, "");
        }
    }

    private String health(String index) {
        return node.request("GET", "/_cluster/health/" + index + "?timeout=1s", null);
    }

    /** Window {@code k} (from 0): the one the k-th run reads. */
    private TimeWindow window(int k) {
        Instant to = t0.minus(DELAY).plus(MINUTE.multipliedBy(k));
        return new TimeWindow(to.minus(MINUTE), to);
    }

    private long load(String index, String project, int count, TimeWindow window) {
        return Faults.load(node, index, random, project, count, window);
    }
}
