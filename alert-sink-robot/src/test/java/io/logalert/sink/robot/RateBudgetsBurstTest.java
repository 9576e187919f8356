package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-second share of a robot's budget, for platforms that count by the second too (Feishu: 5). */
class RateBudgetsBurstTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void theSixthSendOfASecondWaitsUntilTheFirstIsASecondOld() {
        RateBudgets.Budget budget = new RateBudgets().forRobot("feishu~k");
        for (int i = 0; i < 5; i++) {
            Instant at = T.plusMillis(100L * i);
            budget.settle(budget.tryAcquire(at, 100, 5).orElseThrow(), at);
        }

        assertThat(budget.tryAcquire(T.plusMillis(500), 100, 5)).isEmpty();
        assertThat(budget.burstFreeAt(T.plusMillis(500), 5)).isEqualTo(T.plusSeconds(1));
        assertThat(budget.tryAcquire(T.plusSeconds(1), 100, 5)).isPresent();
        // without a per-second limit only the minute counts
        assertThat(budget.tryAcquire(T.plusMillis(500), 100, 0)).isPresent();
    }

    @Test
    void aRequestInFlightCountsAsArrivingNow() {
        RateBudgets.Budget budget = new RateBudgets().forRobot("feishu~k");
        budget.tryAcquire(T.minusSeconds(5), 100, 1).orElseThrow();

        assertThat(budget.burstFreeAt(T, 1)).isEqualTo(T.plus(Duration.ofSeconds(1)));
    }
}
