package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateBudgetsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final RateBudgets.Budget budget = new RateBudgets().forRobot("robot");

    @Test
    void aRequestInFlightCountsHoweverOldItIs() {
        RateBudgets.Slot slot = budget.tryAcquire(T0, 1).orElseThrow();

        assertThat(budget.available(T0.plus(Duration.ofMinutes(5)), 1)).isZero();
        assertThat(budget.tryAcquire(T0.plus(Duration.ofMinutes(5)), 1)).isEmpty();

        budget.settle(slot, T0.plusSeconds(90));
        assertThat(budget.available(T0.plusSeconds(149), 1)).isZero();
        assertThat(budget.freeAt(T0.plusSeconds(100), 1, 1)).isEqualTo(T0.plusSeconds(150));
        assertThat(budget.available(T0.plusSeconds(150), 1)).isOne();
    }

    @Test
    void aSlotIsNeverSettledBeforeItsStart() {
        RateBudgets.Slot slot = budget.tryAcquire(T0, 1).orElseThrow();

        budget.settle(slot, T0.minusSeconds(30));

        assertThat(budget.available(T0.plusSeconds(59), 1)).isZero();
        assertThat(budget.available(T0.plusSeconds(60), 1)).isOne();
    }

    @Test
    void theRetryHintTakesARequestInFlightToArriveNow() {
        budget.tryAcquire(T0, 1).orElseThrow();

        assertThat(budget.freeAt(T0.plusSeconds(30), 1, 1)).isEqualTo(T0.plusSeconds(90));
    }
}
