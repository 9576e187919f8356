package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.AlertSink;
import io.logalert.spi.SinkObserver;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Several parties hear of a pipeline's runs and sinks; a report carries what metrics need. */
class RunListenersTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final RecordingAlertSink robot = new RecordingAlertSink("robot");
    private final RecordingAlertSink mail = new RecordingAlertSink("mail").failAll("mailbox full");

    private AlertPipeline.Builder pipeline() {
        return AlertPipeline.builder().id("checkout-errors").source(source).addSink(robot).addSink(mail)
                .clock(clock).queryDelay(Duration.ofSeconds(30)).interval(Duration.ofMinutes(1))
                .realert(Realert.NONE);
    }

    private void error(Instant at, String project, String message) {
        source.add(LogEvent.builder().timestamp(at).project(project).message(message).build());
    }

    @Test
    void everyListenerHearsEveryRunOnceAndOneThatThrowsDoesNotSilenceTheOthers() {
        List<RunReport> first = new ArrayList<>();
        List<RunReport> second = new ArrayList<>();
        try (AlertPipeline p = pipeline().build()) {
            p.addListener(first::add);
            p.addListener(report -> {
                throw new IllegalStateException("a broken listener");
            });
            p.addListener(second::add);

            RunReport one = p.runOnce();
            clock.advance(Duration.ofMinutes(1));
            RunReport two = p.runOnce();

            assertThat(first).containsExactly(one, two);
            assertThat(second).containsExactly(one, two);
            assertThat(p.lastReport()).contains(two);
        }
    }

    @Test
    void aRemovedListenerHearsNoMore() {
        List<RunReport> heard = new ArrayList<>();
        Consumer<RunReport> listener = heard::add;
        try (AlertPipeline p = pipeline().build()) {
            p.addListener(listener);
            p.runOnce();
            p.removeListener(listener);
            clock.advance(Duration.ofMinutes(1));
            p.runOnce();

            assertThat(heard).hasSize(1);
        }
    }

    @Test
    void scheduledRunsReachTheListenersAsWellAsOnReport() throws InterruptedException {
        BlockingQueue<RunReport> listened = new LinkedBlockingQueue<>();
        BlockingQueue<RunReport> onReport = new LinkedBlockingQueue<>();
        try (AlertPipeline p = pipeline().clock(java.time.Clock.systemUTC()).onReport(onReport::add).build()) {
            p.addListener(listened::add);
            p.start();

            RunReport heard = listened.poll(30, TimeUnit.SECONDS);

            assertThat(heard).isNotNull();
            assertThat(onReport.poll(30, TimeUnit.SECONDS)).isSameAs(heard);
        }
    }

    @Test
    void aReportCarriesTheCheckpointTheTimingsAndWhatIsPendingPerSink() {
        error(NOW.minusSeconds(120), "checkout", "order 1 failed");
        error(NOW.minusSeconds(100), "billing", "card declined");
        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();

            assertThat(report.checkpoint()).contains(NOW.minusSeconds(30));
            assertThat(report.sourceReadTime()).hasValueSatisfying(t -> assertThat(t.isNegative()).isFalse());
            assertThat(report.deliveryTimes()).containsOnlyKeys("robot", "mail");
            assertThat(report.deliveryTimes().values()).allSatisfy(t -> assertThat(t.isNegative()).isFalse());
            assertThat(report.pendingBySink()).containsExactlyEntriesOf(Map.of("mail", 2));
            assertThat(report.pending()).isEqualTo(2);

            // nothing due yet: no read, and only the owed digests are offered
            RunReport idle = p.runOnce();
            assertThat(idle.window()).isEmpty();
            assertThat(idle.sourceReadTime()).isEmpty();
            assertThat(idle.deliveryTimes()).containsOnlyKeys("mail");
        }
    }

    @Test
    void aFailedReadIsTimedAndTheCheckpointStays() {
        source.unavailable(true);
        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();

            assertThat(report.sourceFailure()).isPresent();
            assertThat(report.sourceReadTime()).isPresent();
            assertThat(report.checkpoint()).contains(NOW.minusSeconds(30).minus(Duration.ofMinutes(10)));
        }
    }

    @Test
    void eachSinkIsGivenOneObserverAtBuildThatPassesOnToEveryObserverAdded() {
        TalkingSink talking = new TalkingSink("robot");
        try (AlertPipeline p = AlertPipeline.builder().id("talk").source(source).addSink(talking).clock(clock)
                .build()) {
            assertThat(talking.observers).hasSize(1);
            List<String> first = new CopyOnWriteArrayList<>();
            List<String> second = new CopyOnWriteArrayList<>();
            p.addSinkObserver("robot", new SinkObserver() {
                @Override
                public void answered(String code) {
                    first.add(code);
                }

                @Override
                public void throttled(Duration waited) {
                    first.add("waited " + waited);
                }
            });
            p.addSinkObserver("robot", new SinkObserver() {
                @Override
                public void answered(String code) {
                    throw new IllegalStateException("a broken observer");
                }
            });
            p.addSinkObserver("robot", new SinkObserver() {
                @Override
                public void answered(String code) {
                    second.add(code);
                }
            });

            error(NOW.minusSeconds(60), "checkout", "order 1 failed");
            RunReport report = p.runOnce();

            assertThat(report.delivered()).isEqualTo(1);
            assertThat(talking.observers).hasSize(1);
            assertThat(first).containsExactly("waited PT2S", "0");
            assertThat(second).containsExactly("0");
            assertThat(p.sinkNames()).containsExactly("robot");
            assertThatThrownBy(() -> p.addSinkObserver("mail", SinkObserver.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pipeline 'talk' has no sink named 'mail'; its sinks: [robot]");
        }
    }

    /** A sink that tells its observer of a throttle wait and an answer for every digest. */
    private static final class TalkingSink implements AlertSink {
        private final RecordingAlertSink recording;
        final List<SinkObserver> observers = new CopyOnWriteArrayList<>();

        TalkingSink(String name) {
            this.recording = new RecordingAlertSink(name);
        }

        @Override
        public void observe(SinkObserver observer) {
            observers.add(observer);
        }

        @Override
        public List<DeliveryResult> deliver(List<Digest> digests) {
            for (Digest digest : digests) {
                observers.forEach(o -> o.throttled(Duration.ofSeconds(2)));
                observers.forEach(o -> o.answered("0"));
            }
            return recording.deliver(digests);
        }

        @Override
        public String name() {
            return recording.name();
        }
    }
}
