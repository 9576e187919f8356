package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.PipelineHealth.Status;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PipelineState;
import io.logalert.spi.StateStore;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link AlertPipeline#health()}: its rules, on a manual clock. */
class PipelineHealthTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final FlakyStore store = new FlakyStore();

    private AlertPipeline.Builder pipeline() {
        return AlertPipeline.builder().id("checkout-errors").source(source).addSink(new RecordingAlertSink())
                .stateStore(store).clock(clock).queryDelay(DELAY).interval(INTERVAL)
                .initialLookback(Duration.ofMinutes(10)).maxWindow(Duration.ofMinutes(10));
    }

    @Test
    void unknownBeforeTheFirstRun() {
        try (AlertPipeline p = pipeline().build()) {
            PipelineHealth health = p.health();

            assertThat(health.status()).isEqualTo(Status.UNKNOWN);
            assertThat(health.reason()).isEqualTo("no run yet");
            assertThat(health.lastRun()).isEmpty();
            assertThat(health.checkpoint()).isEmpty();
            assertThat(health.lag()).isEmpty();
        }
    }

    @Test
    void upAfterARunThatReadItsWindowWithTheCheckpointAndItsLag() {
        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();
            clock.advance(Duration.ofSeconds(10));

            PipelineHealth health = p.health();

            assertThat(health.status()).isEqualTo(Status.UP);
            assertThat(health.isUp()).isTrue();
            assertThat(health.lastRun()).contains(NOW);
            assertThat(health.checkpoint()).contains(NOW.minus(DELAY));
            assertThat(health.lag()).contains(DELAY.plusSeconds(10));
            assertThat(health.reason()).isEqualTo("the last run (started 2026-03-01T10:00:00Z) read up to "
                    + "2026-03-01T09:59:30Z");
        }
    }

    @Test
    void downWhenTheSourceFailedTheLastRunWithItsReasonAndUpAgainOnceItReads() {
        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();
            clock.advance(INTERVAL);
            source.unavailable(true);
            p.runOnce();

            PipelineHealth down = p.health();

            assertThat(down.status()).isEqualTo(Status.DOWN);
            assertThat(down.reason()).startsWith("the source could not read the window [2026-03-01T09:59:30Z, "
                    + "2026-03-01T10:00:30Z) in the last run (started 2026-03-01T10:01:00Z): ")
                    .contains(source.name());
            // the checkpoint did not move
            assertThat(down.checkpoint()).contains(NOW.minus(DELAY));

            source.unavailable(false);
            clock.advance(INTERVAL);
            p.runOnce();

            assertThat(p.health().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void downWhenTheStateCannotBeLoadedKeepingTheCheckpointLastKnown() {
        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();
            clock.advance(INTERVAL);
            store.failLoads = true;
            p.runOnce();

            PipelineHealth health = p.health();

            assertThat(health.status()).isEqualTo(Status.DOWN);
            assertThat(health.reason()).startsWith("the last run (started 2026-03-01T10:01:00Z) failed: cannot load "
                    + "the pipeline's state from flaky: disk gone");
            assertThat(health.checkpoint()).contains(NOW.minus(DELAY));
            assertThat(health.lag()).contains(DELAY.plus(INTERVAL));
        }
    }

    @Test
    void downWhenTheCheckpointLagsMoreThanTheQueryDelayAndThreeIntervalsByDefault() {
        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();
            // no run since: the scheduler stopped, or the process hangs
            clock.advance(INTERVAL.multipliedBy(3));

            assertThat(p.health().status()).as("exactly the allowed lag").isEqualTo(Status.UP);

            clock.advance(Duration.ofMillis(1));
            PipelineHealth health = p.health();

            assertThat(health.status()).isEqualTo(Status.DOWN);
            assertThat(health.lag()).contains(DELAY.plus(INTERVAL.multipliedBy(3)).plusMillis(1));
            assertThat(health.reason()).isEqualTo("the checkpoint 2026-03-01T09:59:30Z lags PT3M30.001S behind now, "
                    + "more than the query delay and 3 intervals (PT3M30S): runs stopped, or each falls further "
                    + "behind; the last run started 2026-03-01T10:00:00Z");
        }
    }

    @Test
    void theAllowedLagIsABuilderSetting() {
        try (AlertPipeline p = pipeline().maxLagIntervals(1).build()) {
            p.runOnce();
            clock.advance(INTERVAL.plusSeconds(1));

            assertThat(p.health().status()).isEqualTo(Status.DOWN);
            assertThat(p.health().reason()).contains("more than the query delay and 1 intervals (PT1M30S)");
        }
        assertThatThrownBy(() -> pipeline().maxLagIntervals(0).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("maxLagIntervals must be at least 1, was 0");
    }

    @Test
    void aPipelineCatchingUpAfterDowntimeIsDownUntilItHasCaughtUpAndSaysSo() {
        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();
            clock.advance(Duration.ofMinutes(45));

            RunReport first = p.runOnce();
            PipelineHealth catchingUp = p.health();

            assertThat(first.catchingUp()).isPresent();
            assertThat(catchingUp.status()).isEqualTo(Status.DOWN);
            assertThat(catchingUp.reason()).contains("it is catching up on [2026-03-01T09:59:30Z, "
                    + "2026-03-01T10:44:30Z) after downtime");

            RunReport last = first;
            while (last.catchingUp().isPresent()) {
                last = p.runOnce();
            }
            assertThat(p.health().status()).isEqualTo(Status.UP);
        }
    }

    /** An in-memory store whose loads fail on demand. */
    private static final class FlakyStore implements StateStore {
        private final InMemoryStateStore memory = new InMemoryStateStore();
        volatile boolean failLoads;

        @Override
        public Optional<PipelineState> load(String pipelineId) {
            if (failLoads) {
                throw new IllegalStateException("disk gone");
            }
            return memory.load(pipelineId);
        }

        @Override
        public void save(PipelineState state) {
            memory.save(state);
        }

        @Override
        public void reset(String pipelineId) {
            memory.reset(pipelineId);
        }

        @Override
        public String name() {
            return "flaky";
        }
    }
}
