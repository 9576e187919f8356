package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logalert.aggregate.ExactAggregator;
import io.logalert.spi.SampleRequest;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source that counts first and gives the details of the digests' samples later, once per run. */
class DeferredDetailsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource().deferDetails(true);
    private final RecordingAlertSink sink = new RecordingAlertSink();
    private final InMemoryStateStore store = new InMemoryStateStore();

    private AlertPipeline.Builder pipeline() {
        return AlertPipeline.builder().id("deferred").source(source).addSink(sink).stateStore(store).clock(clock)
                .queryDelay(Duration.ofSeconds(30)).interval(Duration.ofMinutes(1))
                .initialLookback(Duration.ofMinutes(10)).maxWindow(Duration.ofMinutes(10)).realert(Realert.NONE)
                .aggregator(new ExactAggregator()).digests(DigestOptions.DEFAULTS.maxGroups(3));
    }

    /** {@code times} records of one kind, {@code thread} naming the kind, a second apart from {@code at}. */
    private void errors(String project, String message, int times, Instant at) {
        for (int i = 0; i < times; i++) {
            source.add(LogEvent.builder().timestamp(at.plusSeconds(i)).project(project).message(message)
                    .thread("thread of " + message).logger("logger." + project).build());
        }
    }

    @Test
    void digestsShowTheDetailsOfTheirSamplesAskedOnceForTheShownGroupsOnly() {
        Instant at = NOW.minus(Duration.ofMinutes(5));
        // five kinds in each of two projects; a digest shows three of each
        for (int kind = 1; kind <= 5; kind++) {
            errors("checkout", "checkout failure " + kind, kind, at);
            errors("billing", "billing failure " + kind, kind * 10, at);
        }

        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();

            assertThat(report.eventsRead()).isEqualTo(15 + 150);
            assertThat(report.warnings()).isEmpty();
            assertThat(sink.delivered()).hasSize(2).allSatisfy(digest -> {
                assertThat(digest.groups()).hasSize(3).allSatisfy(group ->
                        assertThat(group.sampleThread()).isEqualTo("thread of " + group.sampleMessage()));
                assertThat(digest.omittedGroups()).isEqualTo(2);
            });
            Digest billing = sink.delivered().get(0);
            assertThat(billing.groups()).extracting(ErrorGroup::count).containsExactly(50L, 40L, 30L);
            assertThat(billing.groups().get(0).firstSeen()).isEqualTo(at);
            assertThat(billing.groups().get(0).lastSeen()).isEqualTo(at.plusSeconds(49));
            // one call, with the six shown samples and none of the four groups counted as "more"
            assertThat(source.detailCalls()).singleElement().satisfies(call -> assertThat(call)
                    .extracting(SampleRequest::message).containsExactlyInAnyOrder(
                            "billing failure 5", "billing failure 4", "billing failure 3",
                            "checkout failure 5", "checkout failure 4", "checkout failure 3"));
            assertThat(source.detailCalls().get(0)).extracting(SampleRequest::window)
                    .containsOnly(report.window().orElseThrow());
        }
    }

    @Test
    void aFailedDetailFetchDeliversEveryCountWithoutTheDetailsAndSaysSo() {
        Instant at = NOW.minus(Duration.ofMinutes(5));
        errors("checkout", "order failed", 7, at);
        source.detailsUnavailable(true);

        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();

            assertThat(report.failure()).isEmpty();
            assertThat(report.checkpoint()).isEqualTo(report.window().map(TimeWindow::to));
            assertThat(report.warnings()).singleElement().asString()
                    .contains("cannot load the sample thread of 1 group from in-memory", "without it")
                    .doesNotContain("groups", "stack trace");
            assertThat(sink.delivered()).singleElement().satisfies(digest -> assertThat(digest.groups())
                    .singleElement().satisfies(group -> {
                        assertThat(group.count()).isEqualTo(7);
                        assertThat(group.sampleThread()).isEmpty();
                    }));
        }
    }

    @Test
    void aFailedDetailFetchOfSeveralGroupsCountsThemInItsWarning() {
        Instant at = NOW.minus(Duration.ofMinutes(5));
        errors("checkout", "order failed", 2, at);
        errors("checkout", "card declined", 1, at);
        source.detailsUnavailable(true);

        try (AlertPipeline p = pipeline().build()) {
            assertThat(p.runOnce().warnings()).singleElement().asString()
                    .contains("cannot load the sample threads of 2 groups from in-memory", "without them");
        }
    }

    /** One record of {@code project} logged at {@code at} by {@code thread}. */
    private static LogEvent record(Instant at, String project, String message, String thread) {
        return LogEvent.builder().timestamp(at).project(project).message(message).thread(thread).build();
    }

    @Test
    void aCatchUpDigestShowsTheThreadsOfSamplesReadWindowsEarlierAskedOnceWhenItIsDue(@TempDir Path directory) {
        // thirty minutes behind, read in three windows of ten; the catch-up digest is built by the third run
        Instant from = NOW.minusSeconds(30).minus(Duration.ofMinutes(30));
        TimeWindow firstWindow = new TimeWindow(from, from.plus(Duration.ofMinutes(10)));
        source.add(record(from.plusSeconds(60), "checkout", "order failed", "first window's order thread"));
        source.add(record(from.plusSeconds(120), "checkout", "card declined", "first window's card thread"));
        source.add(record(from.plus(Duration.ofMinutes(25)), "checkout", "card declined",
                "third window's card thread"));

        try (FileStateStore files = new FileStateStore(directory)) {
            for (int run = 1; run <= 3; run++) {
                // a pipeline per run, as after restarts: what to ask for must be in the saved state
                try (AlertPipeline p = pipeline().stateStore(files).initialLookback(Duration.ofMinutes(30))
                        .build()) {
                    RunReport report = p.runOnce();

                    assertThat(report.warnings()).isEmpty();
                    assertThat(report.window()).isPresent();
                }
                assertThat(source.detailCalls()).as("details calls after run %d", run).hasSize(run < 3 ? 0 : 1);
            }
        }

        Digest digest = sink.delivered().get(0);
        assertThat(sink.delivered()).singleElement().satisfies(d -> assertThat(d.catchUp()).isPresent());
        assertThat(digest.groups()).extracting(ErrorGroup::sampleMessage, ErrorGroup::count, ErrorGroup::sampleThread)
                .containsExactlyInAnyOrder(tuple("card declined", 2L, "first window's card thread"),
                        tuple("order failed", 1L, "first window's order thread"));
        assertThat(source.detailCalls().get(0)).hasSize(2).extracting(SampleRequest::window)
                .containsOnly(firstWindow);
    }

    @Test
    void aKindHeldByRealertIsShownWhenItsPeriodEndsWithTheThreadOfTheSampleItHeld() {
        source.add(record(NOW.minus(Duration.ofMinutes(5)), "checkout", "order failed", "shown thread"));
        source.add(record(NOW, "checkout", "order failed", "held thread"));

        try (AlertPipeline p = pipeline().realert(Realert.every(Duration.ofMinutes(2))).build()) {
            p.runOnce();
            clock.advance(Duration.ofMinutes(1));
            RunReport held = p.runOnce();
            TimeWindow heldWindow = held.window().orElseThrow();

            assertThat(held.heldByRealert()).isEqualTo(1);
            assertThat(source.detailCalls()).as("nothing shown, nothing asked").hasSize(1);

            clock.advance(Duration.ofMinutes(1));
            RunReport released = p.runOnce();

            assertThat(released.eventsRead()).isZero();
            assertThat(source.detailCalls()).hasSize(2);
            assertThat(source.detailCalls().get(1)).singleElement()
                    .isEqualTo(new SampleRequest(heldWindow, "checkout", "order failed", Optional.of(NOW)));
        }
        assertThat(sink.delivered()).extracting(d -> d.groups().get(0).sampleThread())
                .containsExactly("shown thread", "held thread");
    }

    @Test
    void lateDigestsShowTheThreadsOfTheirSamplesAskedInTheRunsOneCall() {
        source.add(record(NOW.minus(Duration.ofMinutes(5)), "checkout", "order failed", "on-time thread"));

        try (AlertPipeline p = pipeline().build()) {
            TimeWindow firstWindow = p.runOnce().window().orElseThrow();
            // indexed after its window was read, beside a record of the next window
            source.add(record(NOW.minus(Duration.ofMinutes(4)), "checkout", "payment timed out", "late thread"));
            source.add(record(NOW, "billing", "refund refused", "next window's thread"));
            clock.advance(Duration.ofMinutes(1));
            RunReport report = p.runOnce();

            assertThat(report.lateEvents()).isEqualTo(1);
            assertThat(source.detailCalls()).hasSize(2);
            assertThat(source.detailCalls().get(1)).extracting(SampleRequest::window, SampleRequest::message)
                    .containsExactlyInAnyOrder(tuple(firstWindow, "payment timed out"),
                            tuple(report.window().orElseThrow(), "refund refused"));
        }
        assertThat(sink.delivered()).hasSize(3);
        assertThat(sink.delivered().stream().filter(Digest::late)).singleElement().satisfies(late -> assertThat(
                late.groups()).singleElement().extracting(ErrorGroup::sampleThread).isEqualTo("late thread"));
        assertThat(sink.delivered().get(1).groups()).singleElement().extracting(ErrorGroup::sampleThread)
                .isEqualTo("next window's thread");
    }

    @Test
    void aSampleIsAskedOnlyForTheMessageItsGroupShows() {
        TimeWindow window = new TimeWindow(NOW.minusSeconds(60), NOW);
        ErrorGroup group = new ErrorGroup("checkout", "k-order", "order <*> failed", "order 17 failed", 2,
                NOW.minusSeconds(50), NOW.minusSeconds(10), "");
        SampleRequest own = new SampleRequest(window, "checkout", "order 17 failed");
        SampleRequest ofAnotherRecord = new SampleRequest(window, "checkout", "order 18 failed");
        SampleRequest ofAnotherProject = new SampleRequest(window, "billing", "order 17 failed");

        assertThat(new SampledGroups(List.of(group), Map.of(WindowRead.groupId(group), own)).requestFor(group))
                .contains(own);
        for (SampleRequest wrong : List.of(ofAnotherRecord, ofAnotherProject)) {
            assertThat(new SampledGroups(List.of(group), Map.of(WindowRead.groupId(group), wrong))
                    .requestFor(group)).as(wrong.toString()).isEmpty();
        }
    }

    @Test
    void digestsKeptPendingCarryTheDetailsTheyWereBuiltWith() {
        errors("checkout", "order failed", 2, NOW.minus(Duration.ofMinutes(5)));
        sink.failAll("robot down");

        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();

            assertThat(report.pending()).isEqualTo(1);
            assertThat(store.load("deferred").orElseThrow().pending()).singleElement()
                    .satisfies(pending -> assertThat(pending.digest().groups().get(0).sampleThread())
                            .isEqualTo("thread of order failed"));
        }
    }

    @Test
    void aSourceThatDefersNothingIsNeverAskedForDetails() {
        source.deferDetails(false);
        errors("checkout", "order failed", 3, NOW.minus(Duration.ofMinutes(5)));

        try (AlertPipeline p = pipeline().build()) {
            p.runOnce();

            assertThat(source.detailCalls()).isEmpty();
            assertThat(sink.delivered().get(0).groups().get(0).sampleThread()).isEqualTo("thread of order failed");
        }
    }

    @Test
    void groupsThatMergeSeveralDeferredKindsShowTheDetailsOfTheKindTheyShow() {
        // the default aggregator folds the numbers away: one group of two kinds, shown with the first one's message
        source.add(LogEvent.builder().timestamp(NOW.minus(Duration.ofMinutes(5))).project("checkout")
                .message("order 17 failed").thread("first-thread").build());
        source.add(LogEvent.builder().timestamp(NOW.minus(Duration.ofMinutes(4))).project("checkout")
                .message("order 18 failed").thread("second-thread").build());

        try (AlertPipeline p = AlertPipeline.builder().id("merged").source(source).addSink(sink).stateStore(store)
                .clock(clock).queryDelay(Duration.ofSeconds(30)).initialLookback(Duration.ofMinutes(10))
                .realert(Realert.NONE).build()) {
            p.runOnce();

            ErrorGroup group = sink.delivered().get(0).groups().get(0);
            assertThat(group.count()).isEqualTo(2);
            assertThat(group.sampleThread())
                    .isEqualTo(group.sampleMessage().equals("order 17 failed") ? "first-thread" : "second-thread");
            assertThat(source.detailCalls()).singleElement().satisfies(call -> assertThat(call)
                    .extracting(SampleRequest::message).containsExactly(group.sampleMessage()));
        }
    }
}
