package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.aggregate.ExactAggregator;
import io.logalert.spi.SampleRequest;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

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
                    .contains("cannot load the sample details", "1 groups", "in-memory", "without them");
            assertThat(sink.delivered()).singleElement().satisfies(digest -> assertThat(digest.groups())
                    .singleElement().satisfies(group -> {
                        assertThat(group.count()).isEqualTo(7);
                        assertThat(group.sampleThread()).isEmpty();
                    }));
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
