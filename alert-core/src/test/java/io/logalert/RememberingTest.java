package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.spi.PipelineState;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Realert, new and back kinds, silences, the spool and catch-up: what a pipeline remembers between runs. */
class RememberingTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final RecordingAlertSink sink = new RecordingAlertSink();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final List<RunReport> reports = new ArrayList<>();

    private AlertPipeline.Builder pipeline() {
        return AlertPipeline.builder().id("checkout-errors").source(source).addSink(sink).stateStore(store)
                .clock(clock).queryDelay(DELAY).interval(MINUTE).initialLookback(MINUTE)
                .maxWindow(Duration.ofMinutes(10)).realert(Realert.every(Duration.ofMinutes(10)));
    }

    /** {@code count} records of {@code message} in the minute that the next run reads. */
    private void errors(int count, String project, String message) {
        Instant from = clock.instant().minus(DELAY).minus(MINUTE);
        for (int i = 0; i < count; i++) {
            source.add(LogEvent.builder().timestamp(from.plusMillis(i)).project(project).message(message).build());
        }
    }

    private RunReport run(AlertPipeline p) {
        RunReport report = p.runOnce();
        reports.add(report);
        clock.advance(MINUTE);
        return report;
    }

    private List<ErrorGroup> shown(String template) {
        return sink.delivered().stream().flatMap(d -> d.groups().stream())
                .filter(g -> g.template().equals(template)).toList();
    }

    @Test
    void aRecurringKindIsHeldWithinItsRealertPeriodAndShownWithWhatWasHeld() {
        try (AlertPipeline p = pipeline().build()) {
            for (int i = 0; i < 12; i++) {
                errors(3, "checkout", "payment gateway timeout");
                run(p);
            }
        }
        // shown in the first window, held for ten minutes of windows, shown again with what was held
        List<ErrorGroup> shown = shown("payment gateway timeout");
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).mark()).isEqualTo(Mark.NEW);
        assertThat(shown.get(0).count()).isEqualTo(3);
        assertThat(shown.get(1).mark()).isEqualTo(Mark.NONE);
        assertThat(shown.get(1).count()).isEqualTo(3);
        assertThat(shown.get(1).heldBack()).hasValueSatisfying(h -> {
            assertThat(h.count()).isEqualTo(27);
            assertThat(h.since()).isEqualTo(NOW.plus(MINUTE).minus(DELAY).minus(MINUTE));
        });
        // the last window is held again, and stays held in the state
        assertThat(reports.stream().mapToLong(RunReport::heldByRealert).sum()).isEqualTo(30);
        // nothing lost: what was shown and what is still held add up to what was read
        long read = reports.stream().mapToLong(RunReport::eventsRead).sum();
        long stillHeld = store.load("checkout-errors").orElseThrow().kinds().stream()
                .mapToLong(k -> k.held().map(ErrorGroup::count).orElse(0L)).sum();
        assertThat(shownEvents() + stillHeld).isEqualTo(read).isEqualTo(36);
    }

    private long shownEvents() {
        return sink.delivered().stream().flatMap(d -> d.groups().stream())
                .mapToLong(g -> g.count() + g.heldBack().map(HeldBack::count).orElse(0L)).sum()
                + sink.delivered().stream().flatMap(d -> d.silenced().stream()).mapToLong(Silenced::events).sum();
    }

    @Test
    void whatRealertHeldIsShownWhenThePeriodEndsEvenIfTheKindStopped() {
        try (AlertPipeline p = pipeline().build()) {
            errors(1, "checkout", "disk full");
            run(p);
            errors(5, "checkout", "disk full");
            run(p);
            for (int i = 0; i < 10; i++) {
                run(p);
            }
        }
        List<ErrorGroup> shown = shown("disk full");
        assertThat(shown).extracting(ErrorGroup::count).containsExactly(1L, 5L);
        assertThat(shownEvents()).isEqualTo(6);
    }

    @Test
    void exponentialRealertDoublesWhileTheKindKeepsRecurring() {
        try (AlertPipeline p = pipeline().realert(Realert.exponential(Duration.ofMinutes(2), Duration.ofMinutes(8)))
                .build()) {
            for (int i = 0; i < 30; i++) {
                errors(1, "checkout", "cache miss storm");
                run(p);
            }
        }
        List<Instant> shownAt = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i).digests().stream().anyMatch(d -> !d.groups().isEmpty())) {
                shownAt.add(reports.get(i).window().orElseThrow().to());
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < shownAt.size(); i++) {
            gaps.add(Duration.between(shownAt.get(i - 1), shownAt.get(i)).toMinutes());
        }
        assertThat(gaps).startsWith(2L, 4L, 8L, 8L);
        assertThat(shownEvents() + reports.get(reports.size() - 1).heldByRealert()).isLessThanOrEqualTo(30);
    }

    @Test
    void aNewKindIsMarkedOnceAndNeverHeldAndAKindBackAfterAQuietPeriodIsMarkedBack() {
        try (AlertPipeline p = pipeline().realert(Realert.NONE)
                .kinds(new KindOptions(Duration.ofMinutes(5), 100, Duration.ofDays(1))).build()) {
            errors(1, "checkout", "stock service down");
            run(p);
            errors(1, "checkout", "stock service down");
            run(p);
            for (int i = 0; i < 6; i++) {
                run(p);
            }
            errors(1, "checkout", "stock service down");
            run(p);
        }
        assertThat(shown("stock service down")).extracting(ErrorGroup::mark)
                .containsExactly(Mark.NEW, Mark.NONE, Mark.BACK);
    }

    @Test
    void aSilenceHoldsItsProjectCountsWhatItHeldAndSaysSoOnceAfterItEnds() {
        try (AlertPipeline p = pipeline().realert(Realert.NONE).build()) {
            p.silences().add(new Silence("deploy", Silence.Scope.PROJECT, "checkout", NOW,
                    NOW.plus(Duration.ofMinutes(3)), "deploying checkout 4.2", "alice"));
            assertThat(store.load("checkout-errors").orElseThrow().silences()).extracting(Silence::id)
                    .containsExactly("deploy");
            for (int i = 0; i < 5; i++) {
                errors(4, "checkout", "order failed");
                errors(1, "billing", "card declined");
                run(p);
            }
        }
        assertThat(reports).extracting(RunReport::heldBySilence).containsExactly(4L, 4L, 4L, 0L, 0L);
        List<Silenced> notes = sink.delivered().stream().flatMap(d -> d.silenced().stream()).toList();
        assertThat(notes).singleElement().satisfies(n -> {
            assertThat(n.events()).isEqualTo(12);
            assertThat(n.project()).isEqualTo("checkout");
            assertThat(n.reason()).isEqualTo("deploying checkout 4.2");
        });
        assertThat(shown("order failed")).extracting(ErrorGroup::count).containsExactly(4L, 4L);
        assertThat(shown("card declined")).hasSize(5);
        assertThat(store.load("checkout-errors").orElseThrow().silences()).isEmpty();
        assertThat(shownEvents()).isEqualTo(25);
    }

    @Test
    void aSilenceByMessageRegexOrKindCanBeListedAndRemoved() {
        try (AlertPipeline p = pipeline().realert(Realert.NONE).build()) {
            p.silences().add(new Silence("noisy", Silence.Scope.MESSAGE_REGEX, "timeout after \\d+", NOW,
                    NOW.plus(Duration.ofHours(1)), "known upstream issue", "bob"));
            errors(2, "checkout", "timeout after 30 s");
            errors(1, "checkout", "order failed");
            RunReport held = run(p);
            assertThat(held.heldBySilence()).isEqualTo(2);
            assertThat(p.silences().list()).extracting(Silence::createdBy).containsExactly("bob");

            assertThat(p.silences().remove("noisy")).isTrue();
            assertThat(p.silences().remove("noisy")).isFalse();
            errors(1, "checkout", "order failed");
            run(p);
        }
        assertThat(sink.delivered().stream().flatMap(d -> d.silenced().stream()).mapToLong(Silenced::events).sum())
                .isEqualTo(2);
    }

    @Test
    void aDigestPendingLongerThanTheSpoolAgeExpiresAndIsReportedUntilAcknowledged() {
        sink.failAll("robot blocked");
        try (AlertPipeline p = pipeline().spoolMaxAge(Duration.ofMinutes(3)).build()) {
            errors(1, "checkout", "order failed");
            String digestId = run(p).digests().get(0).id();
            run(p);
            run(p);
            RunReport expiring = run(p);
            assertThat(expiring.pending()).isZero();
            assertThat(expiring.expired()).singleElement().satisfies(e -> {
                assertThat(e.digest().id()).isEqualTo(digestId);
                assertThat(e.lastReason()).contains("robot blocked");
                assertThat(e.why()).contains("age limit");
            });
            assertThat(expiring.isClean()).isFalse();
            assertThat(run(p).expired()).hasSize(1);
            assertThat(p.spool().expired()).hasSize(1);

            assertThat(p.spool().acknowledge(digestId)).isEqualTo(1);
            assertThat(run(p).expired()).isEmpty();
        }
    }

    @Test
    void pendingDigestsAreRetriedOldestFirst() {
        sink.failAll("down");
        try (AlertPipeline p = pipeline().realert(Realert.NONE).build()) {
            for (int i = 0; i < 3; i++) {
                errors(1, "checkout", "order failed");
                run(p);
            }
            sink.deliverAll();
            sink.clear();
            run(p);
        }
        List<Instant> order = sink.delivered().stream().map(d -> d.window().from()).toList();
        assertThat(order).hasSize(3).isSorted();
    }

    @Test
    void aLongDowntimeIsReadInChunksAndDeliveredAsOneCatchUpDigestPerProject() {
        try (AlertPipeline p = pipeline().maxWindow(Duration.ofMinutes(10)).build()) {
            run(p);
            Instant down = store.load("checkout-errors").orElseThrow().checkpoint();
            for (int m = 0; m < 45; m++) {
                Instant at = down.plus(Duration.ofMinutes(m));
                source.add(LogEvent.builder().timestamp(at).project("checkout").message("order failed").build());
                source.add(LogEvent.builder().timestamp(at).project("billing").message("card declined").build());
            }
            clock.advance(Duration.ofMinutes(44));
            sink.clear();
            reports.clear();
            do {
                reports.add(p.runOnce());
            } while (reports.get(reports.size() - 1).catchingUp().isPresent());
        }
        assertThat(reports.stream().mapToLong(RunReport::eventsRead).sum()).isEqualTo(90);
        assertThat(sink.delivered()).hasSize(2).allSatisfy(d -> {
            assertThat(d.catchUp()).isPresent();
            assertThat(d.totalEvents()).isEqualTo(45);
            assertThat(d.groups()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(45));
        });
    }

    @Test
    void aCatchUpInterruptedByARestartContinuesFromItsSavedBacklog() {
        try (AlertPipeline p = pipeline().build()) {
            run(p);
        }
        Instant down = store.load("checkout-errors").orElseThrow().checkpoint();
        for (int m = 0; m < 30; m++) {
            source.add(LogEvent.builder().timestamp(down.plus(Duration.ofMinutes(m))).project("checkout")
                    .message("order failed").build());
        }
        clock.advance(Duration.ofMinutes(30));
        sink.clear();
        try (AlertPipeline p = pipeline().build()) {
            assertThat(p.runOnce().catchingUp()).isPresent();
        }
        assertThat(store.load("checkout-errors").orElseThrow().backlog()).isPresent();
        try (AlertPipeline p = pipeline().build()) {
            while (p.runOnce().catchingUp().isPresent()) {
                assertThat(sink.delivered()).isEmpty();
            }
        }
        assertThat(sink.delivered()).singleElement().satisfies(d -> assertThat(d.totalEvents()).isEqualTo(30));
    }

    @Test
    void stateThatCannotBeLoadedStopsTheRunInsteadOfStartingOver() {
        StateStore broken = new StateStore() {
            @Override
            public Optional<PipelineState> load(String pipelineId) {
                throw new StateStoreException("file /var/lib/logalert/checkout-errors.json is not JSON");
            }

            @Override
            public void save(PipelineState state) {
                throw new AssertionError("nothing may be saved over state that could not be read");
            }

            @Override
            public void reset(String pipelineId) {
            }
        };
        errors(1, "checkout", "order failed");
        try (AlertPipeline p = pipeline().stateStore(broken).build()) {
            RunReport report = p.runOnce();
            assertThat(report.failure()).hasValueSatisfying(f -> assertThat(f).contains("is not JSON"));
            assertThat(report.isClean()).isFalse();
        }
        assertThat(source.reads()).isZero();
        assertThat(sink.delivered()).isEmpty();
    }

    @Test
    void aFailedReadNamesTheWindow() {
        source.unavailable(true);
        try (AlertPipeline p = pipeline().build()) {
            RunReport report = p.runOnce();
            assertThat(report.failedWindow()).contains(new TimeWindow(NOW.minus(DELAY).minus(MINUTE),
                    NOW.minus(DELAY)));
            assertThat(report.sourceFailure()).isPresent();
            assertThat(report.window()).isEmpty();
        }
    }

    @Test
    void aRunIsTimedOnAMonotonicClockNotOnThePipelinesClock() {
        // the pipeline's clock jumps a day while the source reads: the run still took milliseconds
        io.logalert.spi.LogSource jumping = (window, consumer) -> clock.advance(Duration.ofDays(1));
        try (AlertPipeline p = pipeline().source(jumping).build()) {
            assertThat(p.runOnce().elapsed()).isLessThan(Duration.ofMinutes(1));
        }
    }

    @Test
    void resetIsTheOnlyWayToStartOver() {
        try (AlertPipeline p = pipeline().build()) {
            run(p);
            assertThat(store.load("checkout-errors")).isPresent();
            p.reset();
            assertThat(store.load("checkout-errors")).isEmpty();
        }
    }
}
