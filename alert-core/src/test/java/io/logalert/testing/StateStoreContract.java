package io.logalert.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.HeldBack;
import io.logalert.Mark;
import io.logalert.Silence;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import io.logalert.spi.Backlog;
import io.logalert.spi.CountedWindow;
import io.logalert.spi.ExpiredDelivery;
import io.logalert.spi.KnownKind;
import io.logalert.spi.Lease;
import io.logalert.spi.PendingDelivery;
import io.logalert.spi.PipelineState;
import io.logalert.spi.SampleRequest;
import io.logalert.spi.StateConflictException;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules every {@link StateStore} must follow, as an abstract JUnit 5 test. A store implementation adds a subclass
 * that creates a store over fresh, empty storage for each test:
 *
 * <pre>{@code
 * class MyStoreContractTest extends StateStoreContract {
 *     protected StateStore createStore() { return new MyStore(node.url(), "state-" + UUID.randomUUID()); }
 *     protected Optional<StateStore> createSecondWriter() { return Optional.of(new MyStore(...same index...)); }
 *     protected Set<String> secrets() { return Set.of("the-password"); }
 * }
 * }</pre>
 *
 * <p>The sample states ({@link #fullState(String)}, {@link #largeState(String, int, int)}) are public so that tests of
 * codecs and stores can use them too.
 */
public abstract class StateStoreContract {

    /** The start of the first window of the sample states. */
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** Text that stores keeping state as text must carry through unchanged: quotes, escapes, newlines, unicode. */
    public static final String HOSTILE_TEXT =
            "{\"templates\":[\"order <*> \\\"failed\\\"\"]}\n\ttab, back\\slash, 'single', 支付失败, 😀, \u00e9\u0301";

    /**
     * A store over fresh, empty storage; each test creates one and closes it. Called once per test, before any call
     * of {@link #createSecondWriter()}.
     */
    protected abstract StateStore createStore();

    /**
     * A second store over the storage of the store {@link #createStore()} created last, or empty when a store has no
     * storage another store can share (an in-memory store). A store that allows one writer only throws its
     * {@link StateStoreException} here. Default: empty.
     */
    protected Optional<StateStore> createSecondWriter() {
        return Optional.empty();
    }

    /** Secrets the store was configured with (passwords, API keys); none may show in its name or toString(). */
    protected Set<String> secrets() {
        return Set.of();
    }

    /** A state of {@code pipelineId} in which every field, and every optional part of the records, has a value. */
    public static PipelineState fullState(String pipelineId) {
        TimeWindow window = new TimeWindow(T0, T0.plusSeconds(120));
        ErrorGroup plain = new ErrorGroup("checkout", "k-timeout", "order <*> timed out after <*> ms",
                "order 8812 timed out after 3000 ms", 412, T0.plusMillis(1), T0.plusSeconds(119), "worker-1");
        ErrorGroup marked = new ErrorGroup("checkout", "k-npe", "NullPointerException at <*>",
                "NullPointerException at Cart.total(Cart.java:88)\n\tat Checkout.run(Checkout.java:12)", 3,
                T0.plusSeconds(5), T0.plusSeconds(6), "http-nio-8080-exec-7", Mark.BACK,
                Optional.of(new HeldBack(57, T0.minus(Duration.ofHours(2)))));
        Silenced silencedBilling = new Silenced("maintenance", "DB migration \"v42\"", "billing", 9_001,
                T0.minus(Duration.ofHours(1)), T0.plusSeconds(30));
        Digest withEverything = new Digest(Digest.idOf(pipelineId, "checkout", window), pipelineId, "checkout", window,
                List.of(plain, marked.withMark(Mark.NEW)), 4, 17, List.of(silencedBilling),
                Optional.of(new TimeWindow(T0.minus(Duration.ofHours(3)), T0)));
        Digest plainDigest = new Digest(Digest.idOf(pipelineId, "billing", window), pipelineId, "billing", window,
                List.of(new ErrorGroup("billing", "k-refund", "refund <*> refused", "refund 7 refused", 1, T0, T0,
                        "")), 0, 0);
        List<PendingDelivery> pending = List.of(
                new PendingDelivery("dingtalk-ops", withEverything, 3, DeliveryResult.Status.RETRY_LATER,
                        "errcode 130101: send too fast", T0.plusSeconds(180), T0.plusSeconds(120)),
                new PendingDelivery("console", plainDigest, 1, DeliveryResult.Status.REJECTED,
                        "keyword missing: \"告警\"", T0.plusSeconds(3_600), T0.plusSeconds(121)));
        List<ExpiredDelivery> expired = List.of(new ExpiredDelivery("dingtalk-ops", plainDigest, 12,
                "errcode 310000: keywords not in content", T0.minus(Duration.ofDays(2)), T0,
                "older than the spool's age limit of 1 d"));
        SampleRequest plainSample = new SampleRequest(window, "checkout", plain.sampleMessage(),
                Optional.of(T0.plusSeconds(119)));
        List<KnownKind> kinds = List.of(
                new KnownKind("checkout", "k-timeout", T0.minus(Duration.ofDays(9)), T0.plusSeconds(119),
                        T0.plusSeconds(120), 3, Optional.of(plain), Optional.of(plainSample)),
                new KnownKind("billing", "k-refund", T0, T0, T0.plusSeconds(120), 0, Optional.empty()));
        List<Silence> silences = List.of(
                new Silence("maintenance", Silence.Scope.PROJECT, "billing", T0.minus(Duration.ofHours(1)),
                        T0.plusSeconds(30), "DB migration \"v42\"", "ops@example.com"),
                new Silence("noisy-regex", Silence.Scope.MESSAGE_REGEX, "timed out after \\d+ ms$",
                        T0.minusSeconds(1), T0.plus(Duration.ofDays(7)), "known: \u6162\u67e5\u8be2", "王五"));
        Optional<Backlog> backlog = Optional.of(new Backlog(new TimeWindow(T0.minus(Duration.ofHours(3)), T0),
                List.of(plain, marked), List.of(new Backlog.Sample("checkout", "k-npe", new SampleRequest(
                        new TimeWindow(T0.minus(Duration.ofHours(3)), T0.minus(Duration.ofHours(2))), "checkout",
                        marked.sampleMessage())))));
        return new PipelineState(pipelineId, T0.plusSeconds(120).plusNanos(123_456_789), pending, expired, kinds,
                silences, List.of(silencedBilling), backlog, HOSTILE_TEXT,
                List.of(new CountedWindow(new TimeWindow(T0, T0.plusSeconds(60)), 42,
                        List.of(new CountedWindow.Count("checkout", "k-order", 40),
                                new CountedWindow.Count("billing", "k-refund", 2)))),
                Optional.of(new Lease("host-a/4242/7f3e", T0.plusSeconds(180))));
    }

    /**
     * A state of {@code pipelineId} with {@code kindCount} known kinds and {@code pendingCount} pending digests of ten
     * groups each.
     */
    public static PipelineState largeState(String pipelineId, int kindCount, int pendingCount) {
        List<KnownKind> kinds = new ArrayList<>(kindCount);
        for (int i = 0; i < kindCount; i++) {
            Optional<ErrorGroup> held = i % 3 == 0
                    ? Optional.of(group("project-" + (i % 50), "kind-" + i, i))
                    : Optional.empty();
            kinds.add(new KnownKind("project-" + (i % 50), "kind-" + i, T0.minusSeconds(i), T0.plusMillis(i),
                    T0.plusSeconds(60), i % 7, held));
        }
        List<PendingDelivery> pending = new ArrayList<>(pendingCount);
        for (int d = 0; d < pendingCount; d++) {
            TimeWindow window = new TimeWindow(T0.plusSeconds(60L * d), T0.plusSeconds(60L * d + 60));
            String project = "project-" + (d % 50);
            List<ErrorGroup> groups = new ArrayList<>();
            for (int g = 0; g < 10; g++) {
                groups.add(group(project, "kind-" + d + "-" + g, d * 10 + g));
            }
            Digest digest = new Digest(Digest.idOf(pipelineId, project, window), pipelineId, project, window, groups,
                    d, d * 100L);
            pending.add(new PendingDelivery("sink-" + (d % 3), digest, d % 5 + 1, DeliveryResult.Status.RETRY_LATER,
                    "throttled", window.to().plusSeconds(30), window.to()));
        }
        return new PipelineState(pipelineId, T0.plus(Duration.ofDays(1)), pending, List.of(), kinds, List.of(),
                List.of(), Optional.empty(), "x".repeat(10_000), List.of(), Optional.empty());
    }

    private static ErrorGroup group(String project, String key, int n) {
        return new ErrorGroup(project, key, "failure <*> in step " + (n % 13),
                "failure " + n + " in step " + (n % 13) + ": " + HOSTILE_TEXT, n + 1L, T0.plusMillis(n),
                T0.plusMillis(n + 500L), "worker-" + (n % 8));
    }

    @Test
    void loadOfAPipelineNeverSavedIsEmpty() {
        try (StateStore store = createStore()) {
            assertThat(store.load("never-saved")).isEmpty();
        }
    }

    @Test
    void savedStateLoadsBackEqualWithEveryFieldPopulated() {
        PipelineState state = fullState("orders");
        // Guards the sample itself: a field left empty here would not be tested.
        assertThat(state.pending()).hasSize(2).allSatisfy(p -> assertThat(p.digest().groups()).isNotEmpty());
        assertThat(state.expired()).isNotEmpty();
        assertThat(state.kinds()).anySatisfy(k -> {
            assertThat(k.held()).isPresent();
            assertThat(k.heldSample()).isPresent();
        });
        assertThat(state.silences()).isNotEmpty();
        assertThat(state.silenced()).isNotEmpty();
        assertThat(state.backlog()).hasValueSatisfying(b -> assertThat(b.samples()).isNotEmpty());
        assertThat(state.aggregatorState()).contains("\"", "\n", "支付失败", "😀");

        try (StateStore store = createStore()) {
            store.save(state);
            Optional<PipelineState> loaded = store.load("orders");

            assertThat(loaded).isPresent();
            assertThat(loaded.get()).usingRecursiveComparison().isEqualTo(state);
            assertThat(loaded).contains(state);
        }
    }

    @Test
    void aSecondSaveReplacesTheFirst() {
        PipelineState first = fullState("orders");
        PipelineState second = PipelineState.initial("orders", T0.plusSeconds(600));
        try (StateStore store = createStore()) {
            store.save(first);
            store.save(second);

            assertThat(store.load("orders")).contains(second);
        }
    }

    @Test
    void statesOfTwoPipelinesAreIndependent() {
        PipelineState orders = fullState("orders");
        PipelineState billing = PipelineState.initial("billing", T0);
        try (StateStore store = createStore()) {
            store.save(orders);
            store.save(billing);
            store.save(orders.withCheckpoint(T0.plusSeconds(999)));

            assertThat(store.load("billing")).contains(billing);
            assertThat(store.load("orders")).contains(orders.withCheckpoint(T0.plusSeconds(999)));
        }
    }

    @Test
    void resetForgetsThatPipelineOnly() {
        try (StateStore store = createStore()) {
            store.save(fullState("orders"));
            store.save(fullState("billing"));

            store.reset("orders");

            assertThat(store.load("orders")).isEmpty();
            assertThat(store.load("billing")).contains(fullState("billing"));
        }
    }

    @Test
    void aSaveAfterResetIsLoaded() {
        PipelineState fresh = PipelineState.initial("orders", T0.plusSeconds(3_600));
        try (StateStore store = createStore()) {
            store.save(fullState("orders"));
            store.reset("orders");

            store.save(fresh);

            assertThat(store.load("orders")).contains(fresh);
        }
    }

    @Test
    void resetOfAPipelineWithNoStateChangesNothing() {
        try (StateStore store = createStore()) {
            store.save(fullState("billing"));

            store.reset("never-saved");

            assertThat(store.load("never-saved")).isEmpty();
            assertThat(store.load("billing")).contains(fullState("billing"));
        }
    }

    @Test
    void aLargeStateRoundTrips() {
        PipelineState large = largeState("large", 5_000, 200);
        try (StateStore store = createStore()) {
            store.save(large);

            PipelineState loaded = store.load("large").orElseThrow();
            assertThat(loaded.kinds()).hasSize(5_000);
            assertThat(loaded.pending()).hasSize(200);
            assertThat(loaded).isEqualTo(large);
        }
    }

    @Test
    @Timeout(60)
    void concurrentSavesOfDifferentPipelinesAllLand() throws Exception {
        int threads = 8;
        int pipelinesPerThread = 10;
        int savesPerPipeline = 3;
        Map<String, PipelineState> lastSaved = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (StateStore store = createStore()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 1; round <= savesPerPipeline; round++) {
                        for (int p = 0; p < pipelinesPerThread; p++) {
                            String id = "pipeline-" + thread + "-" + p;
                            PipelineState state = fullState(id).withCheckpoint(T0.plusSeconds(round));
                            store.save(state);
                            lastSaved.put(id, state);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(); // rethrows what a save threw
            }

            assertThat(lastSaved).hasSize(threads * pipelinesPerThread);
            lastSaved.forEach((id, state) -> assertThat(store.load(id)).as(id).contains(state));
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aSecondWriterIsRefusedWithAReasonOrSeesWhatTheFirstSaved() {
        try (StateStore first = createStore()) {
            first.save(fullState("orders"));
            Optional<StateStore> second;
            try {
                second = createSecondWriter();
            } catch (StateStoreException refused) {
                assertThat(refused.getMessage()).isNotBlank();
                assertNoSecretIn(refused.getMessage());
                // The refusal takes nothing from the store that got there first.
                first.save(fullState("billing"));
                assertThat(first.load("billing")).contains(fullState("billing"));
                return;
            }
            Assumptions.assumeTrue(second.isPresent(), "the store has no storage a second store can share");
            try (StateStore other = second.get()) {
                assertThat(other.load("orders")).contains(fullState("orders"));
            }
        }
    }

    @Test
    void aSaveOverAnotherWritersNewerStateIsAConflict() {
        try (StateStore first = createStore()) {
            first.save(fullState("orders"));
            Optional<StateStore> second;
            try {
                second = createSecondWriter();
            } catch (StateStoreException refused) {
                Assumptions.abort("the store refuses a second writer, so there is no conflict to detect");
                return;
            }
            Assumptions.assumeTrue(second.isPresent(), "the store has no storage a second store can share");
            try (StateStore other = second.get()) {
                assertThat(first.load("orders")).isPresent();
                PipelineState othersSave = other.load("orders").orElseThrow().withCheckpoint(T0.plusSeconds(7_200));
                other.save(othersSave);

                assertThatThrownBy(() -> first.save(fullState("orders").withCheckpoint(T0.plusSeconds(3_600))))
                        .isInstanceOf(StateConflictException.class)
                        .hasMessageContaining("orders");
                assertThat(other.load("orders")).contains(othersSave);
            }
        }
    }

    @Test
    void nameAndToStringHoldNoSecret() {
        try (StateStore store = createStore()) {
            assertThat(store.name()).isNotBlank();
            assertNoSecretIn(store.name());
            assertNoSecretIn(store.toString());
        }
    }

    private void assertNoSecretIn(String text) {
        for (String secret : secrets()) {
            assertThat(text).doesNotContain(secret);
        }
    }
}
