package io.logalert.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.logalert.AlertPipeline;
import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.LogEvent;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.Silence;
import io.logalert.spi.AlertSink;
import io.logalert.spi.SinkObserver;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of a pipeline over an in-memory source, read from a {@link SimpleMeterRegistry} after its runs. */
class LogalertMetricsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final TalkingSink robot = new TalkingSink("robot");
    private final RecordingAlertSink mail = new RecordingAlertSink("mail")
            .answer(digest -> DeliveryResult.rejected(digest, "no such mailbox"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AlertPipeline pipeline() {
        return AlertPipeline.builder().id("checkout-errors").source(source).addSink(robot).addSink(mail)
                .clock(clock).queryDelay(DELAY).interval(Duration.ofMinutes(1))
                .initialLookback(Duration.ofMinutes(10)).realert(Realert.DEFAULT).build();
    }

    private void errors(int count, Instant at, String project, String message) {
        for (int i = 0; i < count; i++) {
            source.add(LogEvent.builder().timestamp(at.plusMillis(i)).project(project).message(message).build());
        }
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags("pipeline", "checkout-errors").tags(tags).counter().count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags("pipeline", "checkout-errors").tags(tags).gauge().value();
    }

    @Test
    void nothingIsRegisteredUntilBoundAndThenEveryMeterStartsAtZeroOrUnknown() {
        try (AlertPipeline p = pipeline()) {
            LogalertMetrics metrics = new LogalertMetrics(p);
            assertThat(registry.getMeters()).isEmpty();

            metrics.bindTo(registry);

            assertThat(registry.getMeters()).allSatisfy(m -> {
                assertThat(m.getId().getName()).startsWith("logalert.");
                assertThat(m.getId().getTag("pipeline")).isEqualTo("checkout-errors");
                assertThat(m.getId().getDescription()).isNotBlank();
            });
            assertThat(registry.get("logalert.runs").timers()).extracting(t -> t.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("success", "source-failure", "failure", "standby");
            assertThat(counter("logalert.read.events")).isZero();
            assertThat(counter("logalert.deliveries", "sink", "mail", "result", "rejected")).isZero();
            assertThat(gauge("logalert.pending.digests", "sink", "robot")).isNaN();
            assertThat(registry.get("logalert.checkpoint.lag").timeGauge().value(TimeUnit.SECONDS)).isNaN();
        }
    }

    @Test
    void runsCountWhatWasReadGroupedDeliveredRejectedAndHeld() {
        errors(5, NOW.minusSeconds(200), "checkout", "order 8812 failed");
        errors(2, NOW.minusSeconds(150), "billing", "card declined");
        try (AlertPipeline p = pipeline()) {
            new LogalertMetrics(p).bindTo(registry);

            p.runOnce();
            // the same kinds again within the realert period: held back
            errors(3, NOW.plusSeconds(10), "checkout", "order 9017 failed");
            clock.advance(Duration.ofMinutes(1));
            RunReport second = p.runOnce();

            assertThat(second.heldByRealert()).isEqualTo(3);
            assertThat(registry.get("logalert.runs").tag("outcome", "success").timer().count()).isEqualTo(2);
            assertThat(registry.get("logalert.runs").tag("outcome", "source-failure").timer().count()).isZero();
            assertThat(counter("logalert.read.events")).isEqualTo(10);
            assertThat(counter("logalert.groups")).isEqualTo(3);
            assertThat(counter("logalert.digests")).isEqualTo(2);
            assertThat(counter("logalert.held.events", "reason", "realert")).isEqualTo(3);
            assertThat(counter("logalert.held.events", "reason", "silence")).isZero();
            assertThat(counter("logalert.deliveries", "sink", "robot", "result", "delivered")).isEqualTo(2);
            // a rejected digest backs off one interval, so the second run offers both again
            assertThat(counter("logalert.deliveries", "sink", "mail", "result", "rejected")).isEqualTo(4);
            assertThat(counter("logalert.deliveries", "sink", "mail", "result", "retry-later")).isZero();
            assertThat(gauge("logalert.pending.digests", "sink", "mail")).isEqualTo(2);
            assertThat(gauge("logalert.pending.digests", "sink", "robot")).isZero();
            assertThat(gauge("logalert.expired.digests", "sink", "mail")).isZero();
            assertThat(registry.get("logalert.source.read").timer().count()).isEqualTo(2);
            assertThat(registry.get("logalert.delivery").tag("sink", "robot").timer().count()).isEqualTo(1);
            assertThat(registry.get("logalert.delivery").tag("sink", "mail").timer().count()).isEqualTo(2);
        }
    }

    @Test
    void silencedRecordsAreCountedAsHeldBySilence() {
        try (AlertPipeline p = pipeline()) {
            new LogalertMetrics(p).bindTo(registry);
            p.silences().add(new Silence("deploy", Silence.Scope.PROJECT, "billing", NOW, NOW.plusSeconds(3600),
                    "deploying billing", "ops"));
            errors(4, NOW.minusSeconds(100), "billing", "card declined");

            p.runOnce();

            assertThat(counter("logalert.held.events", "reason", "silence")).isEqualTo(4);
        }
    }

    @Test
    void aFailedReadIsCountedAsASourceFailureRun() {
        source.unavailable(true);
        try (AlertPipeline p = pipeline()) {
            new LogalertMetrics(p).bindTo(registry);

            p.runOnce();

            assertThat(registry.get("logalert.runs").tag("outcome", "source-failure").timer().count()).isEqualTo(1);
            assertThat(registry.get("logalert.runs").tag("outcome", "success").timer().count()).isZero();
            assertThat(registry.get("logalert.source.read").timer().count()).isEqualTo(1);
            assertThat(counter("logalert.read.events")).isZero();
        }
    }

    @Test
    void theCheckpointLagFollowsThePipelinesClock() {
        try (AlertPipeline p = pipeline()) {
            new LogalertMetrics(p).bindTo(registry);
            p.runOnce();

            assertThat(registry.get("logalert.checkpoint.lag").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(30);

            clock.advance(Duration.ofMinutes(5));

            assertThat(registry.get("logalert.checkpoint.lag").timeGauge().value(TimeUnit.SECONDS))
                    .isCloseTo(330, within(1e-9));
        }
    }

    @Test
    void whatTheSinkHearsIsCountedByCodeAndItsThrottleWaitsTimed() {
        errors(1, NOW.minusSeconds(100), "checkout", "order 8812 failed");
        errors(1, NOW.minusSeconds(100), "billing", "card declined");
        robot.answer("310000", Duration.ZERO).answer("0", Duration.ofMillis(1500));
        try (AlertPipeline p = pipeline()) {
            new LogalertMetrics(p).bindTo(registry);

            p.runOnce();

            assertThat(counter("logalert.sink.answers", "sink", "robot", "code", "0")).isEqualTo(1);
            assertThat(counter("logalert.sink.answers", "sink", "robot", "code", "310000")).isEqualTo(1);
            assertThat(registry.get("logalert.sink.throttle").tag("sink", "robot").timer().count()).isEqualTo(1);
            assertThat(registry.get("logalert.sink.throttle").tag("sink", "robot").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        }
    }

    @Test
    void oneBinderFeedsSeveralRegistriesAndExtraTags() {
        errors(3, NOW.minusSeconds(100), "checkout", "order 8812 failed");
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        try (AlertPipeline p = pipeline()) {
            LogalertMetrics metrics = new LogalertMetrics(p, Tags.of("application", "shop"));
            metrics.bindTo(registry);
            metrics.bindTo(other);

            p.runOnce();

            for (MeterRegistry r : List.of(registry, other)) {
                assertThat(r.get("logalert.read.events").tags("pipeline", "checkout-errors", "application", "shop")
                        .counter().count()).isEqualTo(3);
            }
        }
    }

    @Test
    void theSinksOfRenamedOrRemovedSinksWithPendingDigestsGetTheirGauges() {
        io.logalert.InMemoryStateStore store = new io.logalert.InMemoryStateStore();
        errors(1, NOW.minusSeconds(100), "checkout", "order 8812 failed");
        try (AlertPipeline before = AlertPipeline.builder().id("checkout-errors").source(source)
                .addSink(new RecordingAlertSink("old").failAll("down")).stateStore(store).clock(clock)
                .queryDelay(DELAY).build()) {
            before.runOnce();
        }
        clock.advance(Duration.ofMinutes(1));
        try (AlertPipeline after = AlertPipeline.builder().id("checkout-errors").source(source)
                .addSink(new RecordingAlertSink("new")).stateStore(store).clock(clock).queryDelay(DELAY).build()) {
            new LogalertMetrics(after).bindTo(registry);

            after.runOnce();

            assertThat(gauge("logalert.pending.digests", "sink", "old")).isEqualTo(1);
            assertThat(gauge("logalert.pending.digests", "sink", "new")).isZero();
        }
    }

    @Test
    void everyMeterIsNamedByMicrometersConventions() {
        try (AlertPipeline p = pipeline()) {
            new LogalertMetrics(p).bindTo(registry);
            p.runOnce();

            assertThat(registry.getMeters()).map(Meter::getId).allSatisfy(id -> {
                assertThat(id.getName()).matches("logalert(\\.[a-z]+)+");
                assertThat(id.getTags()).allSatisfy(t -> assertThat(t.getKey()).isIn("pipeline", "sink", "outcome",
                        "result", "reason", "code"));
            });
        }
    }

    /** A sink that tells its observer what a chat service would answer, one code (and wait) per digest. */
    private static final class TalkingSink implements AlertSink {
        private final RecordingAlertSink recording;
        private final java.util.Deque<Object[]> answers = new java.util.ArrayDeque<>();
        private volatile SinkObserver observer = SinkObserver.NONE;

        TalkingSink(String name) {
            this.recording = new RecordingAlertSink(name);
        }

        TalkingSink answer(String code, Duration waited) {
            answers.add(new Object[] {code, waited});
            return this;
        }

        @Override
        public void observe(SinkObserver observer) {
            this.observer = observer;
        }

        @Override
        public List<DeliveryResult> deliver(List<Digest> digests) {
            for (int i = 0; i < digests.size() && !answers.isEmpty(); i++) {
                Object[] answer = answers.poll();
                Duration waited = (Duration) answer[1];
                if (!waited.isZero()) {
                    observer.throttled(waited);
                }
                observer.answered((String) answer[0]);
            }
            return recording.deliver(digests);
        }

        @Override
        public String name() {
            return recording.name();
        }
    }
}
