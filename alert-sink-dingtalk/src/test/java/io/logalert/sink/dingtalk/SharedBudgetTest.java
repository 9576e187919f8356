package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.SharedBudgets;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two processes on one robot: each sink has its own JVM budget, and a budget shared through the state store. */
class SharedBudgetTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
    private final DingTalkEmulator robot = DingTalkEmulator.builder()
            .accessToken(UUID.randomUUID().toString()).keywords("alert").clock(clock).start();

    /** The shared budget as a store keeps it: send times per key, a slot taken only while fewer than the limit. */
    private static final class KeptBudgets implements SharedBudgets {
        private final Map<String, List<Instant>> sends = new HashMap<>();

        @Override
        public synchronized Optional<Instant> take(String key, int limit, Duration per, Instant now) {
            List<Instant> recent = sends.computeIfAbsent(key, k -> new ArrayList<>());
            recent.removeIf(at -> !at.isAfter(now.minus(per)));
            if (recent.size() >= limit) {
                return Optional.of(recent.get(recent.size() - limit).plus(per));
            }
            recent.add(now);
            return Optional.empty();
        }
    }

    @AfterEach
    void stop() {
        robot.close();
    }

    /** A sink as another JVM would have it: a budget of its own. */
    private DingTalkSink process() {
        return DingTalkSink.builder().webhook(robot.url()).keywords(List.of("alert")).clock(clock)
                .sleeper(new RecordingSleeper(clock)).budgets(new RateBudgets()).build();
    }

    private static List<Digest> digests(String prefix) {
        return IntStream.range(0, 15).mapToObj(i -> Digests.of(prefix + i, 1)).toList();
    }

    @Test
    void twoProcessesOnOneRobotStayWithinItsLimitTogetherWhenTheyShareABudget() {
        KeptBudgets shared = new KeptBudgets();
        DingTalkSink first = process();
        DingTalkSink second = process();
        first.shareBudgets(shared);
        second.shareBudgets(shared);

        List<DeliveryResult> results = new ArrayList<>(first.deliver(digests("a-")));
        results.addAll(second.deliver(digests("b-")));

        assertThat(robot.exchanges()).hasSizeLessThanOrEqualTo(20)
                .allSatisfy(e -> assertThat(e.errcode()).contains(0));
        List<DeliveryResult> held = results.stream().filter(r -> !r.isDelivered()).toList();
        assertThat(held).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
            assertThat(r.reason()).contains("shared with other processes");
            assertThat(r.retryAfter()).isPresent();
        });
        // every digest is answered: delivered, or to be offered again when the shared budget frees
        assertThat(results).hasSize(30);
        assertThat(results.stream().filter(DeliveryResult::isDelivered)).isNotEmpty();
    }

    @Test
    void withoutASharedBudgetTwoProcessesExceedTheRobotsLimit() {
        DingTalkSink first = process();
        DingTalkSink second = process();

        first.deliver(digests("a-"));
        second.deliver(digests("b-"));

        // what a shared budget prevents: each JVM keeps its own 20, the robot counts them together and throttles
        assertThat(robot.exchanges()).hasSizeGreaterThan(20)
                .anySatisfy(e -> assertThat(e.errcode()).hasValueSatisfying(c -> assertThat(c).isIn(410100, 130101)));
    }
}
