package io.logalert.testing;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.spi.AlertSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An {@link AlertSink} that records what it delivers, for assertions in tests. Its answers can be scripted: by
 * default it delivers everything; {@link #answer(Function)} decides per digest, e.g. to test retries.
 *
 * <p>Thread-safe.
 */
public final class RecordingAlertSink implements AlertSink {

    private final String name;
    private final List<Digest> delivered = new ArrayList<>();
    private final List<List<Digest>> calls = new ArrayList<>();
    private Function<Digest, DeliveryResult> answer = DeliveryResult::delivered;

    /** A sink named {@code recording}. */
    public RecordingAlertSink() {
        this("recording");
    }

    /** A sink named {@code name}. */
    public RecordingAlertSink(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Answers every later digest with what {@code answer} returns; delivered ones are recorded. */
    public synchronized RecordingAlertSink answer(Function<Digest, DeliveryResult> answer) {
        this.answer = Objects.requireNonNull(answer, "answer");
        return this;
    }

    /** Delivers every later digest. */
    public RecordingAlertSink deliverAll() {
        return answer(DeliveryResult::delivered);
    }

    /** Answers every later digest with "retry later" for {@code reason}. */
    public RecordingAlertSink failAll(String reason) {
        return answer(digest -> DeliveryResult.retryLater(digest, reason, Optional.empty()));
    }

    /** Answers every later digest with "retry later, not before {@code retryAfter}". */
    public RecordingAlertSink failAllUntil(String reason, Instant retryAfter) {
        return answer(digest -> DeliveryResult.retryLater(digest, reason, Optional.of(retryAfter)));
    }

    /** Every digest delivered so far, in order. */
    public synchronized List<Digest> delivered() {
        return List.copyOf(delivered);
    }

    /** The digests of every call to {@link #deliver(List)}, delivered or not. */
    public synchronized List<List<Digest>> calls() {
        return List.copyOf(calls);
    }

    /** Forgets what was delivered. */
    public synchronized void clear() {
        delivered.clear();
        calls.clear();
    }

    @Override
    public synchronized List<DeliveryResult> deliver(List<Digest> digests) {
        calls.add(List.copyOf(digests));
        List<DeliveryResult> results = new ArrayList<>(digests.size());
        for (Digest digest : digests) {
            DeliveryResult result = answer.apply(digest);
            if (result.isDelivered()) {
                delivered.add(digest);
            }
            results.add(result);
        }
        return results;
    }

    @Override
    public String name() {
        return name;
    }
}
