package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
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
 * The {@code elasticsearch} state store's index is deleted between two runs ({@code DELETE /.logalert-state…}), as an
 * operator cleaning up dot indices might. What the documentation promises is what a new pipeline does: "deleting the
 * state starts over", and the first window of a pipeline without state starts {@code initialLookback} back. So the
 * next run succeeds, the store creates the index again with its strict mapping, and the run reads the whole lookback:
 * the records of that lookback that earlier windows counted are counted, and sent, again. Afterwards the pipeline
 * goes on window by window.
 */
class DeletedStateIndexFaultIT {

    private static final String ID = "deleted-state-orders";
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration LOOKBACK = Duration.ofMinutes(5);

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final Instant t0 = Faults.anHourAgo();
    private final ManualClock clock = new ManualClock(t0);
    private final Random random = new Random(31);

    @Test
    void aDeletedStateIndexIsCreatedAgainAndThePipelineStartsOverFromItsInitialLookback() {
        String index = Faults.index("deleted-state");
        String stateIndex = ".logalert-state-" + Faults.index("deleted");
        // errors in each minute from six minutes before the first due time to three minutes after it
        Instant firstDue = t0.minus(DELAY);
        List<TimeWindow> minutes = new ArrayList<>();
        List<Long> perMinute = new ArrayList<>();
        for (int k = -6; k < 4; k++) {
            TimeWindow minute = new TimeWindow(firstDue.plus(MINUTE.multipliedBy(k)),
                    firstDue.plus(MINUTE.multipliedBy(k + 1)));
            minutes.add(minute);
            perMinute.add(Faults.load(node, index, random, "checkout", 4 + k + 6, minute));
        }
        List<RunReport> reports = new ArrayList<>();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().start();
                AlertPipeline pipeline = AlertPipeline.builder().id(ID)
                        .source("elasticsearch", Faults.on(node, index))
                        .addSink(Faults.robotSink(robot))
                        .stateStore("elasticsearch", Faults.on(node, stateIndex))
                        .clock(clock).queryDelay(DELAY).interval(MINUTE).initialLookback(LOOKBACK)
                        .realert(Realert.NONE).build()) {
            // the lookback, then two windows of a minute
            for (int run = 0; run < 3; run++) {
                reports.add(pipeline.runOnce());
                clock.advance(MINUTE);
            }
            assertThat(reports).allSatisfy(r -> assertThat(r.isClean()).as("%s", r).isTrue());
            Instant checkpoint = reports.get(2).window().orElseThrow().to();
            assertThat(checkpoint).isEqualTo(firstDue.plus(MINUTE.multipliedBy(2)));
            assertThat(node.send("GET", "/" + stateIndex + "/_doc/" + ID, null).statusCode()).isEqualTo(200);

            node.request("DELETE", "/" + stateIndex, null);

            // as a pipeline without state: from the initial lookback, read again
            RunReport afterDelete = pipeline.runOnce();
            Instant due = clock.instant().minus(DELAY);
            TimeWindow lookback = new TimeWindow(due.minus(LOOKBACK), due);
            assertThat(afterDelete.failure()).as("%s", afterDelete).isEmpty();
            assertThat(afterDelete.window()).contains(lookback);
            long inLookback = inside(minutes, perMinute, lookback);
            assertThat(afterDelete.eventsRead()).isEqualTo(inLookback);
            long repeated = inside(minutes, perMinute, new TimeWindow(lookback.from(), checkpoint));
            assertThat(repeated).as("records counted before, counted again").isPositive();
            reports.add(afterDelete);

            // the index is back, with the store's strict mapping and the new checkpoint
            assertThat(node.request("GET", "/" + stateIndex + "/_mapping", null)).contains("\"dynamic\":\"strict\"");
            assertThat(node.request("GET", "/" + stateIndex + "/_doc/" + ID, null))
                    .contains("\"checkpoint\":\"" + due + "\"");

            // and the pipeline goes on, window by window
            clock.advance(MINUTE);
            RunReport next = pipeline.runOnce();
            reports.add(next);
            assertThat(next.window()).contains(new TimeWindow(due, due.plus(MINUTE)));
            assertThat(reports).allSatisfy(r -> assertThat(r.isClean()).as("%s", r).isTrue());

            long indexedUpToTheEnd = inside(minutes, perMinute, new TimeWindow(reports.get(0).window().orElseThrow()
                    .from(), next.window().orElseThrow().to()));
            assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).as("events read")
                    .isEqualTo(indexedUpToTheEnd + repeated);
            List<RobotDigest> received = Faults.robotDigests(robot);
            assertThat(received.stream().mapToLong(RobotDigest::events).sum()).as("events the robot received")
                    .isEqualTo(indexedUpToTheEnd + repeated);
            // the digest after the delete counts again what the digests of the windows before it counted
            RobotDigest again = received.get(3);
            assertThat(received.subList(0, 3)).allSatisfy(d -> assertThat(d.overlaps(again)).isTrue());
        }
    }

    /** The documents loaded in the minutes within {@code window}, which starts and ends on a minute's bound. */
    private static long inside(List<TimeWindow> minutes, List<Long> perMinute, TimeWindow window) {
        long count = 0;
        for (int i = 0; i < minutes.size(); i++) {
            TimeWindow minute = minutes.get(i);
            if (!minute.from().isBefore(window.from()) && !minute.to().isAfter(window.to())) {
                count += perMinute.get(i);
            }
        }
        return count;
    }
}
