package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.spi.AlertSink;
import io.logalert.spi.LogSource;
import io.logalert.spi.PipelineState;
import io.logalert.spi.SharedBudgets;
import io.logalert.spi.StateConflictException;
import io.logalert.spi.StateStore;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Several instances of one pipeline on a shared store, late records, and clocks that jump. */
class InstancesAndFaultsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final Map<String, Versioned> shared = new HashMap<>();

    /** A stored state and its version, as a database with conditional writes keeps it. */
    private record Versioned(PipelineState state, long version) {
    }

    /** One instance's view of the shared store: each write is conditional on the version it last saw. */
    private class SharedStore implements StateStore {
        private final Map<String, Long> seen = new HashMap<>();

        @Override
        public Optional<PipelineState> load(String pipelineId) {
            synchronized (shared) {
                Versioned v = shared.get(pipelineId);
                seen.put(pipelineId, v == null ? 0L : v.version());
                return Optional.ofNullable(v).map(Versioned::state);
            }
        }

        @Override
        public void save(PipelineState state) {
            synchronized (shared) {
                Versioned v = shared.get(state.pipelineId());
                long current = v == null ? 0L : v.version();
                if (current != seen.getOrDefault(state.pipelineId(), -1L)) {
                    throw new StateConflictException("another writer saved '" + state.pipelineId() + "'");
                }
                shared.put(state.pipelineId(), new Versioned(state, current + 1));
                seen.put(state.pipelineId(), current + 1);
            }
        }

        @Override
        public void reset(String pipelineId) {
            synchronized (shared) {
                shared.remove(pipelineId);
            }
        }

        @Override
        public boolean isShared() {
            return true;
        }
    }

    private AlertPipeline.Builder instance(String name, RecordingAlertSink sink, LogSource from) {
        return AlertPipeline.builder().id("checkout-errors").instance(name).source(from).addSink(sink)
                .stateStore(new SharedStore()).clock(clock).queryDelay(DELAY).interval(MINUTE)
                .initialLookback(MINUTE).realert(Realert.NONE).leaseTtl(Duration.ofMinutes(3));
    }

    private void errorsInTheNextWindow(int count) {
        Instant from = clock.instant().minus(DELAY).minus(MINUTE);
        for (int i = 0; i < count; i++) {
            source.add(LogEvent.builder().timestamp(from.plusMillis(i)).project("checkout").message("order failed")
                    .build());
        }
    }

    private static long delivered(RecordingAlertSink... sinks) {
        long total = 0;
        for (RecordingAlertSink sink : sinks) {
            total += sink.delivered().stream().mapToLong(Digest::totalEvents).sum();
        }
        return total;
    }

    @Test
    void aStoreThatKeepsSharedBudgetsHandsThemToEverySink() {
        SharedBudgets budgets = (key, limit, per, now) -> Optional.empty();
        List<SharedBudgets> handed = new ArrayList<>();
        RecordingAlertSink recording = new RecordingAlertSink();
        AlertSink sharing = new AlertSink() {
            @Override
            public List<DeliveryResult> deliver(List<Digest> digests) {
                return recording.deliver(digests);
            }

            @Override
            public void shareBudgets(SharedBudgets shared) {
                handed.add(shared);
            }
        };
        StateStore store = new SharedStore() {
            @Override
            public Optional<SharedBudgets> budgets() {
                return Optional.of(budgets);
            }
        };
        try (AlertPipeline p = AlertPipeline.builder().id("budgeted").source(source).addSink(sharing)
                .stateStore(store).clock(clock).build()) {
            assertThat(handed).containsExactly(budgets);
        }
    }

    @Test
    void twoInstancesOnOneSharedStoreSendEachWindowOnce() {
        RecordingAlertSink a = new RecordingAlertSink();
        RecordingAlertSink b = new RecordingAlertSink();
        List<RunReport> standby = new ArrayList<>();
        try (AlertPipeline first = instance("a", a, source).build();
             AlertPipeline second = instance("b", b, source).build()) {
            for (int i = 0; i < 5; i++) {
                errorsInTheNextWindow(3);
                first.runOnce();
                standby.add(second.runOnce());
                clock.advance(MINUTE);
            }
        }
        assertThat(delivered(a)).isEqualTo(15);
        assertThat(b.delivered()).isEmpty();
        assertThat(standby).allSatisfy(r -> {
            assertThat(r.standby()).hasValueSatisfying(s -> assertThat(s).contains("instance a"));
            assertThat(r.isClean()).isTrue();
        });
    }

    @Test
    void whenTheOwnerClosesAnotherTakesOverAtOnceFromItsCheckpoint() {
        RecordingAlertSink a = new RecordingAlertSink();
        RecordingAlertSink b = new RecordingAlertSink();
        try (AlertPipeline second = instance("b", b, source).build()) {
            try (AlertPipeline first = instance("a", a, source).build()) {
                errorsInTheNextWindow(2);
                first.runOnce();
                clock.advance(MINUTE);
            }
            for (int i = 0; i < 3; i++) {
                errorsInTheNextWindow(4);
                assertThat(second.runOnce().standby()).isEmpty();
                clock.advance(MINUTE);
            }
        }
        assertThat(delivered(a)).isEqualTo(2);
        assertThat(delivered(b)).isEqualTo(12);
    }

    @Test
    void whenTheOwnerDiesAnotherTakesOverWithinTheLeaseAndLosesNoWindow() {
        RecordingAlertSink a = new RecordingAlertSink();
        RecordingAlertSink b = new RecordingAlertSink();
        AlertPipeline first = instance("a", a, source).build();
        errorsInTheNextWindow(2);
        first.runOnce();
        // the owner dies without a word: nobody closes it
        List<Boolean> standing = new ArrayList<>();
        try (AlertPipeline second = instance("b", b, source).build()) {
            for (int i = 0; i < 6; i++) {
                clock.advance(MINUTE);
                errorsInTheNextWindow(1);
                standing.add(second.runOnce().standby().isPresent());
            }
            clock.advance(MINUTE);
            second.runOnce();
        }
        assertThat(standing).startsWith(true, true).contains(false);
        assertThat(delivered(a) + delivered(b)).isEqualTo(8);
        assertThat(a.delivered().stream().map(Digest::window))
                .doesNotContainAnyElementsOf(b.delivered().stream().map(Digest::window).toList());
    }

    @Test
    void anOwnerPausedPastItsLeaseSendsNothingAndSavesNothing() {
        RecordingAlertSink a = new RecordingAlertSink();
        RecordingAlertSink b = new RecordingAlertSink();
        // the owner's read stalls past its lease (a GC pause, SIGSTOP): meanwhile the other instance takes over
        AlertPipeline[] other = new AlertPipeline[1];
        LogSource stalling = (window, consumer) -> {
            source.read(window, consumer);
            clock.advance(Duration.ofMinutes(4));
            other[0].runOnce();
        };
        errorsInTheNextWindow(5);
        try (AlertPipeline second = instance("b", b, source).build();
             AlertPipeline first = instance("a", a, stalling).build()) {
            other[0] = second;
            RunReport paused = first.runOnce();

            assertThat(paused.failure()).hasValueSatisfying(f -> assertThat(f).contains("lease ran out"));
            assertThat(a.delivered()).isEmpty();
            assertThat(delivered(b)).isEqualTo(5);
            assertThat(shared.get("checkout-errors").state().lease().orElseThrow().owner()).isEqualTo("b");
        }
    }

    /** A source whose own clock is right while the pipeline's machine clock may jump. */
    private final class ClockedSource implements LogSource {
        private Instant realNow = NOW;

        @Override
        public void read(TimeWindow window, Consumer<LogEvent> consumer) {
            source.read(window, consumer);
        }

        @Override
        public OptionalLong count(TimeWindow window) {
            return source.count(window);
        }

        @Override
        public Optional<Instant> now() {
            return Optional.of(realNow);
        }
    }

    @Test
    void aClockThatJumpsADayAheadCannotMoveTheCheckpointPastTheSourcesClock() {
        ClockedSource clocked = new ClockedSource();
        RecordingAlertSink sink = new RecordingAlertSink();
        List<RunReport> reports = new ArrayList<>();
        try (AlertPipeline p = AlertPipeline.builder().id("jumpy").source(clocked).addSink(sink).clock(clock)
                .queryDelay(DELAY).initialLookback(MINUTE).realert(Realert.NONE).build()) {
            for (int i = 0; i < 6; i++) {
                errorsInTheNextWindow(2);
                // the machine's clock is a day ahead for runs 2 and 3, then corrected
                clock.set(clocked.realNow.plus(i == 2 || i == 3 ? Duration.ofDays(1) : Duration.ZERO));
                reports.add(p.runOnce());
                clocked.realNow = clocked.realNow.plus(MINUTE);
                clock.set(clocked.realNow);
            }
        }
        assertThat(reports.get(2).warnings()).anySatisfy(w -> assertThat(w).contains("off the clock of"));
        assertThat(reports).allSatisfy(r -> assertThat(r.window()).isPresent());
        assertThat(delivered(sink)).isEqualTo(12);
    }

    @Test
    void aCheckpointAheadOfNowIsBroughtBackAndReported() {
        RecordingAlertSink sink = new RecordingAlertSink();
        try (AlertPipeline p = AlertPipeline.builder().id("jumpy").source(source).addSink(sink).clock(clock)
                .queryDelay(DELAY).initialLookback(MINUTE).realert(Realert.NONE).build()) {
            clock.advance(Duration.ofDays(1));
            p.runOnce();
            // without the fix the pipeline stays silent for a day, until real time catches up with the checkpoint
            clock.set(NOW.plus(MINUTE));
            RunReport corrected = p.runOnce();
            assertThat(corrected.warnings()).anySatisfy(w -> assertThat(w).contains("ahead of now"));
            clock.advance(MINUTE);
            errorsInTheNextWindow(3);
            RunReport next = p.runOnce();
            assertThat(next.window()).isPresent();
            assertThat(next.eventsRead()).isEqualTo(3);
        }
    }

    @Test
    void recordsIndexedAfterTheirWindowWasReadAreCountedLateWithinTheLookBack() {
        RecordingAlertSink sink = new RecordingAlertSink();
        try (AlertPipeline p = AlertPipeline.builder().id("laggy").source(source).addSink(sink).clock(clock)
                .queryDelay(DELAY).initialLookback(MINUTE).realert(Realert.NONE)
                .lateLookback(Duration.ofMinutes(3)).build()) {
            errorsInTheNextWindow(10);
            TimeWindow first = p.runOnce().window().orElseThrow();
            // 37 records of the first window arrive after it was read, and one far too late for the look-back
            for (int i = 0; i < 37; i++) {
                source.add(LogEvent.builder().timestamp(first.from().plusSeconds(1)).project("checkout")
                        .message("order failed").build());
            }
            clock.advance(MINUTE);
            RunReport found = p.runOnce();
            assertThat(found.lateEvents()).isEqualTo(37);
            assertThat(found.warnings()).anySatisfy(w -> assertThat(w).contains("37 records"));
            clock.advance(MINUTE);
            assertThat(p.runOnce().lateEvents()).isZero();
            for (int i = 0; i < 4; i++) {
                clock.advance(MINUTE);
                p.runOnce();
            }
            source.add(LogEvent.builder().timestamp(first.from()).project("checkout").message("order failed").build());
            clock.advance(MINUTE);
            assertThat(p.runOnce().lateEvents()).isZero();
        }
        List<Digest> late = sink.delivered().stream().filter(Digest::late).toList();
        assertThat(late).singleElement().satisfies(d -> {
            assertThat(d.totalEvents()).isEqualTo(37);
            assertThat(d.id()).contains("/late-");
        });
    }
}
