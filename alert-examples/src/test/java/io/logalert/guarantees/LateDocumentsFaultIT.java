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
 * Documents indexed after their window was read, within the default ten-minute {@code lateLookback}: the next run
 * finds them by counting the recent windows again, and the robot gets them as late digests of their own window, so
 * that summed over every message the counts equal the documents indexed, exactly, and no window's regular digest is
 * sent twice.
 */
class LateDocumentsFaultIT {

    private static final String ID = "late-orders";
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final Instant t0 = Faults.anHourAgo();
    private final ManualClock clock = new ManualClock(t0);
    private final Random random = new Random(23);

    @Test
    void documentsIndexedAfterTheirWindowWasReadArriveAsLateDigestsAndTheCountsAreExact() {
        String index = Faults.index("late");
        TimeWindow w1 = window(0);
        TimeWindow w2 = window(1);
        TimeWindow w3 = window(2);
        List<RunReport> reports = new ArrayList<>();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().start();
                AlertPipeline pipeline = AlertPipeline.builder().id(ID)
                        .source("elasticsearch", Faults.on(node, index))
                        .addSink(Faults.robotSink(robot))
                        .stateStore(new InMemoryStateStore()).clock(clock).queryDelay(DELAY).interval(MINUTE)
                        .initialLookback(MINUTE).realert(Realert.NONE).build()) {
            long indexed = load(index, "checkout", 12, w1);
            reports.add(pipeline.runOnce());
            assertThat(reports.get(0).window()).contains(w1);

            // 7 records of window 1 arrive after it was read, with window 2's
            indexed += load(index, "checkout", 7, w1);
            indexed += load(index, "checkout", 9, w2);
            clock.advance(MINUTE);
            RunReport second = pipeline.runOnce();
            reports.add(second);
            assertThat(second.window()).contains(w2);
            assertThat(second.eventsRead()).isEqualTo(9);
            assertThat(second.lateEvents()).isEqualTo(7);
            assertThat(second.warnings()).anySatisfy(w -> assertThat(w).contains("7 records")
                    .contains("indexed after their window was read"));

            // more of window 1 (another project), and some of window 2, arrive late again
            indexed += load(index, "billing", 5, w1);
            indexed += load(index, "checkout", 4, w2);
            indexed += load(index, "checkout", 6, w3);
            clock.advance(MINUTE);
            RunReport third = pipeline.runOnce();
            reports.add(third);
            assertThat(third.window()).contains(w3);
            assertThat(third.lateEvents()).isEqualTo(9);

            // nothing late any more: nothing found twice
            clock.advance(MINUTE);
            RunReport fourth = pipeline.runOnce();
            reports.add(fourth);
            assertThat(fourth.lateEvents()).isZero();
            assertThat(reports).allSatisfy(r -> assertThat(r.isClean()).as("%s", r).isTrue());

            assertThat(reports.stream().mapToLong(r -> r.eventsRead() + r.lateEvents()).sum()).as("events counted")
                    .isEqualTo(indexed);
            List<RobotDigest> regular = Faults.regularDigests(robot);
            assertThat(regular).extracting(RobotDigest::project, RobotDigest::from, RobotDigest::events)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("checkout", w1.from(), 12L),
                            org.assertj.core.groups.Tuple.tuple("checkout", w2.from(), 9L),
                            org.assertj.core.groups.Tuple.tuple("checkout", w3.from(), 6L));
            assertThat(Faults.lateDigests(robot))
                    .extracting(RobotDigest::project, RobotDigest::from, RobotDigest::to, RobotDigest::events)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("checkout", w1.from(), w1.to(), 7L),
                            org.assertj.core.groups.Tuple.tuple("billing", w1.from(), w1.to(), 5L),
                            org.assertj.core.groups.Tuple.tuple("checkout", w2.from(), w2.to(), 4L));
            assertThat(Faults.robotEvents(robot)).as("events the robot received").isEqualTo(indexed);
        }
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
