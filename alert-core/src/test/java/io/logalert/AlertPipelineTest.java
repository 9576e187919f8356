package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.ConfigException;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AlertPipelineTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final RecordingAlertSink sink = new RecordingAlertSink();
    private final InMemoryStateStore store = new InMemoryStateStore();

    private AlertPipeline.Builder pipeline() {
        return AlertPipeline.builder().id("checkout-errors").source(source).addSink(sink).stateStore(store)
                .clock(clock).queryDelay(DELAY).interval(Duration.ofMinutes(1))
                .initialLookback(Duration.ofMinutes(10)).maxWindow(Duration.ofMinutes(10)).realert(Realert.NONE);
    }

    private void error(Instant at, String project, String message) {
        source.add(LogEvent.builder().timestamp(at).project(project).message(message).thread("worker-1").build());
    }

    @Test
    void firstRunReadsTheLookbackUpToTheQueryDelayAndDigestsPerProject() {
        error(NOW.minusSeconds(300), "checkout", "order 8812 failed");
        error(NOW.minusSeconds(200), "checkout", "order 9017 failed");
        error(NOW.minusSeconds(100), "billing", "card 4242 declined");
        error(NOW.minusSeconds(20), "billing", "too recent: inside the query delay");
        error(NOW.minusSeconds(700), "billing", "too old: before the lookback");

        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();

            assertThat(report.window()).contains(new TimeWindow(NOW.minusSeconds(630), NOW.minusSeconds(30)));
            assertThat(report.eventsRead()).isEqualTo(3);
            assertThat(report.groupCount()).isEqualTo(2);
            assertThat(report.isClean()).isTrue();
            // the duration is measured on a monotonic clock, so only its form is fixed
            assertThat(report.toString()).matches("\\QRunReport[checkout-errors, window [2026-03-01T09:49:30Z, "
                    + "2026-03-01T09:59:30Z), 3 events in 2 groups, 2 digests, 2 delivered, 0 deferred, 0 rejected, "
                    + "0 pending, 0 expired, 0 held by realert, 0 held by silences, took \\E\\d+ ms]");
            assertThat(sink.delivered()).extracting(Digest::project).containsExactly("checkout", "billing");
            Digest checkout = sink.delivered().get(0);
            assertThat(checkout.groups()).singleElement().satisfies(g -> {
                assertThat(g.count()).isEqualTo(2);
                assertThat(g.template()).isEqualTo("order <*> failed");
                assertThat(g.firstSeen()).isEqualTo(NOW.minusSeconds(300));
                assertThat(g.lastSeen()).isEqualTo(NOW.minusSeconds(200));
            });
        }
    }

    @Test
    void consecutiveRunsNeverCountARecordTwiceNorMissOne() {
        try (AlertPipeline p = pipeline().build()) {
            error(NOW.minusSeconds(60), "checkout", "order 1 failed");
            RunReport first = p.runOnce();
            Instant boundary = first.window().orElseThrow().to();
            error(boundary, "checkout", "order 2 failed at the boundary");
            error(boundary.minusMillis(1), "checkout", "order 3 failed just before the boundary, too late");
            clock.advance(Duration.ofMinutes(1));

            RunReport second = p.runOnce();

            assertThat(first.eventsRead()).isEqualTo(1);
            assertThat(second.window().orElseThrow().from()).isEqualTo(boundary);
            assertThat(second.eventsRead()).isEqualTo(1);
            assertThat(sink.delivered()).filteredOn(d -> !d.late()).hasSize(2);
            assertThat(sink.delivered().get(1).groups().get(0).sampleMessage())
                    .isEqualTo("order 2 failed at the boundary");
            // the record written into the first window after it was read is counted once, late, not lost
            assertThat(second.lateEvents()).isEqualTo(1);
            assertThat(sink.delivered()).filteredOn(Digest::late).singleElement().satisfies(d -> {
                assertThat(d.window()).isEqualTo(first.window().orElseThrow());
                assertThat(d.totalEvents()).isEqualTo(1);
            });
        }
    }

    @Test
    void nothingIsReadWhenNoNewWindowIsDue() {
        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();
            int reads = source.reads();

            RunReport again = p.runOnce();

            assertThat(again.window()).isEmpty();
            assertThat(source.reads()).isEqualTo(reads);
            assertThat(again.deliveries()).isEmpty();
        }
    }

    @Test
    void aSourceFailureKeepsTheCheckpointAndTheWindowIsReadAgain() {
        error(NOW.minusSeconds(120), "checkout", "order 1 failed");
        try (AlertPipeline p = pipeline().build()) {
            source.unavailable(true);
            RunReport failed = p.runOnce();

            assertThat(failed.sourceFailure()).hasValueSatisfying(m -> assertThat(m).contains("unavailable"));
            assertThat(failed.window()).isEmpty();
            assertThat(sink.calls()).isEmpty();
            Instant checkpoint = store.load("checkout-errors").orElseThrow().checkpoint();
            assertThat(checkpoint).isEqualTo(NOW.minusSeconds(630));

            source.unavailable(false);
            clock.advance(Duration.ofMinutes(1));
            RunReport recovered = p.runOnce();

            assertThat(recovered.window().orElseThrow().from()).isEqualTo(checkpoint);
            assertThat(recovered.eventsRead()).isEqualTo(1);
        }
    }

    @Test
    void downtimeIsCaughtUpInWindowsOfAtMostMaxWindow() {
        try (AlertPipeline p = pipeline().initialLookback(Duration.ofMinutes(5)).maxWindow(Duration.ofMinutes(5))
                .build()) {
            p.runOnce();
            clock.advance(Duration.ofMinutes(12));
            for (int i = 0; i < 12; i++) {
                error(NOW.plusSeconds(60L * i), "checkout", "order " + i + " failed");
            }

            List<RunReport> reports = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reports.add(p.runOnce());
            }

            assertThat(reports).allSatisfy(r ->
                    assertThat(r.window().orElseThrow().duration()).isLessThanOrEqualTo(Duration.ofMinutes(5)));
            assertThat(reports.get(2).window().orElseThrow().to()).isEqualTo(clock.instant().minus(DELAY));
            assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).isEqualTo(12);
        }
    }

    @Test
    void preCountedEventsAreWeighedByTheirOccurrences() {
        source.add(LogEvent.builder().timestamp(NOW.minusSeconds(90)).lastTimestamp(NOW.minusSeconds(40))
                .project("checkout").message("connection reset").occurrences(25_000).build());
        error(NOW.minusSeconds(100), "checkout", "connection reset");
        try (AlertPipeline p = pipeline().aggregator("exact", PluginConfig.empty()).build()) {
            RunReport report = p.runOnce();

            assertThat(report.eventsRead()).isEqualTo(25_001);
            ErrorGroup group = sink.delivered().get(0).groups().get(0);
            assertThat(group.count()).isEqualTo(25_001);
            assertThat(group.firstSeen()).isEqualTo(NOW.minusSeconds(100));
            assertThat(group.lastSeen()).isEqualTo(NOW.minusSeconds(40));
        }
    }

    @Test
    void undeliveredDigestsStayPendingAreReportedAndRetriedUntilDelivered() {
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        try (AlertPipeline p = pipeline().build()) {
            sink.failAll("robot throttled");
            RunReport first = p.runOnce();

            assertThat(first.deferred()).isEqualTo(1);
            assertThat(first.pending()).isEqualTo(1);
            assertThat(first.isClean()).isFalse();

            clock.advance(Duration.ofMinutes(1));
            RunReport second = p.runOnce();
            assertThat(second.pending()).isEqualTo(1);
            PipelineState state = store.load("checkout-errors").orElseThrow();
            assertThat(state.pending()).singleElement().satisfies(pd -> {
                assertThat(pd.attempts()).isEqualTo(2);
                assertThat(pd.lastReason()).isEqualTo("robot throttled");
            });

            sink.deliverAll();
            clock.advance(Duration.ofMinutes(1));
            RunReport third = p.runOnce();

            assertThat(third.delivered()).isEqualTo(1);
            assertThat(third.pending()).isZero();
            assertThat(sink.delivered()).extracting(Digest::id).containsExactly(first.digests().get(0).id());
        }
    }

    @Test
    void aDigestIsNotOfferedBeforeItsRetryAfter() {
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        try (AlertPipeline p = pipeline().build()) {
            sink.failAllUntil("blocked for 10 minutes", NOW.plus(Duration.ofMinutes(10)));
            p.runOnce();
            sink.deliverAll();

            clock.advance(Duration.ofMinutes(5));
            RunReport early = p.runOnce();
            assertThat(early.delivered()).isZero();
            assertThat(early.pending()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(5));
            RunReport due = p.runOnce();
            assertThat(due.delivered()).isEqualTo(1);
        }
    }

    @Test
    void aRejectedDigestBacksOffInsteadOfBeingResentEveryRun() {
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        try (AlertPipeline p = pipeline().build()) {
            sink.answer(d -> DeliveryResult.rejected(d, "keywords not in content"));
            RunReport first = p.runOnce();
            assertThat(first.rejected()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(59));
            assertThat(p.runOnce().deliveries()).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            assertThat(p.runOnce().rejected()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(1));
            assertThat(p.runOnce().deliveries()).as("second rejection waits two intervals").isEmpty();
        }
    }

    @Test
    void aSinkThatThrowsOrForgetsADigestMeansRetryLater() {
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        error(NOW.minusSeconds(60), "billing", "card declined");
        try (AlertPipeline p = pipeline().build()) {
            sink.answer(d -> { throw new IllegalStateException("socket closed"); });
            RunReport thrown = p.runOnce();
            assertThat(thrown.deliveries().get("recording")).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
                assertThat(r.reason()).contains("socket closed");
            });

            try (AlertPipeline q = AlertPipeline.builder().id("other").source(source).clock(clock)
                    .addSink(digests -> List.of(DeliveryResult.delivered(digests.get(0)))).build()) {
                RunReport partial = q.runOnce();
                assertThat(partial.delivered()).isEqualTo(1);
                assertThat(partial.deferred()).isEqualTo(1);
                assertThat(partial.pending()).isEqualTo(1);
            }
        }
    }

    @Test
    void everySinkGetsEveryDigestAndOwesItsOwnPending() {
        RecordingAlertSink second = new RecordingAlertSink("second").failAll("down");
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        try (AlertPipeline p = pipeline().addSink(second).build()) {
            RunReport report = p.runOnce();

            assertThat(report.deliveries()).containsOnlyKeys("recording", "second");
            assertThat(report.delivered()).isEqualTo(1);
            assertThat(report.pending()).isEqualTo(1);
            assertThat(store.load("checkout-errors").orElseThrow().pending())
                    .extracting(pd -> pd.sink()).containsExactly("second");
        }
    }

    @Test
    void beyondMaxPendingTheOldestDigestsExpireVisibly() {
        List<String> digestIds = new ArrayList<>();
        try (AlertPipeline p = pipeline().maxPending(2).build()) {
            sink.failAll("down");
            for (int i = 0; i < 4; i++) {
                error(clock.instant().minusSeconds(40), "checkout", "order failed");
                RunReport report = p.runOnce();
                digestIds.add(report.digests().get(0).id());
                assertThat(report.pending()).isLessThanOrEqualTo(2);
                assertThat(report.expired()).hasSize(Math.max(0, i - 1));
                clock.advance(Duration.ofMinutes(1));
            }
        }
        assertThat(store.load("checkout-errors").orElseThrow().pending()).extracting(pd -> pd.digest().id())
                .containsExactlyInAnyOrder(digestIds.get(2), digestIds.get(3));
    }

    @Test
    void digestsPendingForASinkThePipelineNoLongerHasAreKeptAndReported() {
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        try (AlertPipeline p = pipeline().build()) {
            sink.failAll("token rotated");
            p.runOnce();
        }
        RecordingAlertSink renamed = new RecordingAlertSink("recording-v2");
        clock.advance(Duration.ofMinutes(1));
        try (AlertPipeline p = AlertPipeline.builder().id("checkout-errors").source(source).addSink(renamed)
                .stateStore(store).clock(clock).build()) {
            RunReport report = p.runOnce();

            assertThat(report.pending()).isEqualTo(1);
            assertThat(report.expired()).isEmpty();
            assertThat(store.load("checkout-errors").orElseThrow().pending()).singleElement()
                    .satisfies(pd -> assertThat(pd.sink()).isEqualTo("recording"));
        }
    }

    @Test
    void attemptsCountByDigestIdEvenWhenTheSinkAnswersWithACopy() {
        error(NOW.minusSeconds(60), "checkout", "order 1 failed");
        try (AlertPipeline p = AlertPipeline.builder().id("copies").source(source).clock(clock)
                .stateStore(store).addSink(digests -> digests.stream()
                        .map(d -> DeliveryResult.retryLater(new Digest(d.id(), d.pipelineId(), d.project(),
                                d.window(), List.of(), 0, 0), "down", Optional.empty())).toList())
                .build()) {
            p.runOnce();
            clock.advance(Duration.ofMinutes(1));
            p.runOnce();

            assertThat(store.load("copies").orElseThrow().pending()).singleElement().satisfies(pd -> {
                assertThat(pd.attempts()).isEqualTo(2);
                assertThat(pd.digest().groups()).as("the digest the pipeline offered is kept").hasSize(1);
            });
        }
    }

    @Test
    void buildListsEveryProblemAtOnce() {
        assertThatThrownBy(() -> AlertPipeline.builder().id("bad id!").interval(Duration.ofMinutes(5))
                .maxWindow(Duration.ofMinutes(1)).queryDelay(Duration.ofSeconds(-1)).maxPending(0)
                .aggregator("drain9", PluginConfig.empty())
                .build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(7))
                .hasMessageContaining("id 'bad id!' must be 1 to 64 letters")
                .hasMessageContaining("a source is required")
                .hasMessageContaining("at least one sink is required")
                .hasMessageContaining("queryDelay must not be negative")
                .hasMessageContaining("maxWindow (PT1M) must be at least the interval (PT5M)")
                .hasMessageContaining("maxPending must be at least 1")
                .hasMessageContaining("no AggregatorProvider of type 'drain9'; known types: exact, fingerprint");
    }

    @Test
    void pluginsCanBeNamedByTypeAndTheirConfigProblemsAreListed() {
        assertThatThrownBy(() -> pipeline().addSink("console", PluginConfig.of(Map.of("stream", "fax"))).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sink 'console': 'stream' must be one of stdout, stderr, was '…' (3 characters)");
        assertThatThrownBy(() -> pipeline().addSink(new RecordingAlertSink()).build())
                .hasMessageContaining("two sinks are named 'recording'");
    }

    @Test
    void closeClosesWhatThePipelineCreatedButNotWhatItWasGiven() {
        AtomicBoolean givenClosed = new AtomicBoolean();
        InMemoryLogSource given = new InMemoryLogSource();
        AlertPipeline p = AlertPipeline.builder().id("p").source(new io.logalert.spi.LogSource() {
            @Override
            public void read(TimeWindow window, java.util.function.Consumer<LogEvent> consumer) {
                given.read(window, consumer);
            }

            @Override
            public void close() {
                givenClosed.set(true);
            }
        }).addSink("console", PluginConfig.empty()).clock(clock).build();
        p.close();
        p.close();

        assertThat(givenClosed).isFalse();
        assertThatThrownBy(p::runOnce).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void startedPipelineRunsAtOnceAndStopsOnClose() throws Exception {
        BlockingQueue<RunReport> reports = new LinkedBlockingQueue<>();
        for (int i = 0; i < 30; i++) {
            error(NOW.minus(Duration.ofMinutes(29 - i)), "checkout", "order " + i + " failed");
        }
        AlertPipeline p = pipeline().initialLookback(Duration.ofMinutes(30)).interval(Duration.ofHours(1))
                .maxWindow(Duration.ofHours(1)).onReport(reports::add).build();
        try (p) {
            p.start();
            RunReport first = reports.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.window().orElseThrow().duration()).isEqualTo(Duration.ofMinutes(30));
            assertThatThrownBy(p::start).hasMessageContaining("already started");
        }
        // close() waits for the scheduler to stop, so a run after it would already have reported
        assertThat(reports).as("no run after close").isEmpty();
    }

    @Test
    void aStartedPipelineKeepsRunningAfterAPlugInThrowsAnError() throws Exception {
        BlockingQueue<RunReport> reports = new LinkedBlockingQueue<>();
        AtomicBoolean thrown = new AtomicBoolean();
        io.logalert.spi.LogSource flaky = (window, consumer) -> {
            if (thrown.compareAndSet(false, true)) {
                throw new AssertionError("a plug-in bug");
            }
            source.read(window, consumer);
        };
        try (AlertPipeline p = AlertPipeline.builder().id("flaky").source(flaky).addSink(sink).clock(clock)
                .interval(Duration.ofMillis(20)).onReport(reports::add).build()) {
            p.start();

            RunReport afterTheError = reports.poll(30, TimeUnit.SECONDS);
            assertThat(afterTheError).as("a run after the failed one").isNotNull();
            assertThat(thrown).isTrue();
        }
    }

    @Test
    void closeFromTheReportListenerStopsThePipeline() throws Exception {
        BlockingQueue<Boolean> closedFromListener = new LinkedBlockingQueue<>();
        AlertPipeline[] self = new AlertPipeline[1];
        self[0] = pipeline().onReport(report -> {
            self[0].close();
            closedFromListener.add(true);
        }).build();
        self[0].start();

        assertThat(closedFromListener.poll(10, TimeUnit.SECONDS)).as("close returned inside the listener").isTrue();
        assertThatThrownBy(self[0]::runOnce).hasMessageContaining("closed");
    }

    @Test
    void startedPipelineBehindRunsAgainUntilCaughtUp() throws Exception {
        BlockingQueue<RunReport> reports = new LinkedBlockingQueue<>();
        for (int i = 0; i < 60; i++) {
            error(NOW.minus(Duration.ofMinutes(59 - i)), "checkout", "order " + i + " failed");
        }
        try (AlertPipeline p = pipeline().initialLookback(Duration.ofMinutes(60)).maxWindow(Duration.ofMinutes(20))
                .interval(Duration.ofMinutes(20)).onReport(reports::add).build()) {
            p.start();
            long events = 0;
            for (int i = 0; i < 3; i++) {
                RunReport report = reports.poll(30, TimeUnit.SECONDS);
                assertThat(report).as("run %d came without waiting an interval", i).isNotNull();
                events += report.eventsRead();
            }
            assertThat(events).isEqualTo(59);
            assertThat(store.load("checkout-errors").orElseThrow().checkpoint()).isEqualTo(NOW.minus(DELAY));
        }
        assertThat(Optional.ofNullable(reports.poll())).isEmpty();
    }
}
