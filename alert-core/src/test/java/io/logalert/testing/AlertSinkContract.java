package io.logalert.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.spi.AlertSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link AlertSink} must follow, as an abstract JUnit 5 test. A sink implementation adds a subclass
 * that points the sink at a receiver that accepts everything (a real one or an emulator):
 *
 * <pre>{@code
 * class MySinkContractTest extends AlertSinkContract {
 *     protected AlertSink createSink() { return new MySink(emulator.url()); }
 *     protected Set<String> secrets() { return Set.of("the-token"); }
 * }
 * }</pre>
 */
public abstract class AlertSinkContract {

    /** A window all sample digests share. */
    protected static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    /** A sink whose receiver accepts every well-formed message. */
    protected abstract AlertSink createSink();

    /**
     * A sink whose receiver cannot be reached (a closed port, say), or empty when the sink has no such case.
     * Default: empty.
     */
    protected Optional<AlertSink> createUnreachableSink() {
        return Optional.empty();
    }

    /** Secrets the sink was configured with; none may show in its name, its toString() or a reason. */
    protected Set<String> secrets() {
        return Set.of();
    }

    /** A digest of {@code groups} groups for {@code project}, with hostile text in it. */
    protected static Digest digest(String project, int groups) {
        List<ErrorGroup> list = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            String message = "order " + (8800 + i) + " failed: [x](http://evil) <b>@all</b> 支付失败";
            list.add(new ErrorGroup(project, "k" + i, "order <*> failed", message, 100L - i,
                    WINDOW.from().plusSeconds(i), WINDOW.from().plusSeconds(i + 1), "worker-" + i));
        }
        return new Digest(Digest.idOf("contract", project, WINDOW), "contract", project, WINDOW, list, 2, 7);
    }

    @Test
    void answersEveryDigestOnceWithThatDigest() throws Exception {
        List<Digest> digests = List.of(digest("checkout", 3), digest("billing", 1), digest("search", 5));
        try (AlertSink sink = createSink()) {
            List<DeliveryResult> results = sink.deliver(digests);

            assertThat(results).extracting(DeliveryResult::digest).containsExactlyInAnyOrderElementsOf(digests);
            assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(DeliveryResult.Status.DELIVERED));
        }
    }

    @Test
    void answersAnEmptyRunWithNothing() throws Exception {
        try (AlertSink sink = createSink()) {
            assertThat(sink.deliver(List.of())).isEmpty();
        }
    }

    @Test
    void deliversAHugeMessageOrSaysWhyNot() throws Exception {
        String huge = "x".repeat(200_000);
        ErrorGroup group = new ErrorGroup("p", "k", huge, huge, 1, WINDOW.from(), WINDOW.from(), "");
        Digest digest = new Digest(Digest.idOf("contract", "p", WINDOW), "contract", "p", WINDOW, List.of(group),
                0, 0);
        try (AlertSink sink = createSink()) {
            List<DeliveryResult> results = sink.deliver(List.of(digest));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.digest()).isEqualTo(digest);
                if (!r.isDelivered()) {
                    assertThat(r.reason()).isNotBlank();
                    assertNoSecretIn(r.reason());
                }
            });
        }
    }

    @Test
    void unreachableReceiverMeansRetryLaterWithAReason() throws Exception {
        Optional<AlertSink> unreachable = createUnreachableSink();
        Assumptions.assumeTrue(unreachable.isPresent(), "the sink has no unreachable receiver to test");
        Digest digest = digest("checkout", 2);
        try (AlertSink sink = unreachable.get()) {
            List<DeliveryResult> results = sink.deliver(List.of(digest));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
                assertThat(r.reason()).isNotBlank();
                assertNoSecretIn(r.reason());
            });
        }
    }

    @Test
    void nameAndToStringHoldNoSecret() throws Exception {
        try (AlertSink sink = createSink()) {
            assertThat(sink.name()).isNotBlank();
            assertNoSecretIn(sink.name());
            assertNoSecretIn(sink.toString());
        }
    }

    private void assertNoSecretIn(String text) {
        for (String secret : secrets()) {
            assertThat(text).doesNotContain(secret);
        }
    }
}
