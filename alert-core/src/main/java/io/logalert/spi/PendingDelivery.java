package io.logalert.spi;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * A digest that a sink has not delivered yet.
 *
 * @param sink       the name of the sink that still owes the delivery
 * @param digest     the digest
 * @param attempts   how many deliveries were tried
 * @param lastStatus the outcome of the last attempt: retry later or rejected
 * @param lastReason why the last attempt failed, in the sink's words
 * @param notBefore  the earliest instant the next attempt is worth making
 * @param since      when the digest was first offered; past the pipeline's spool age limit it expires
 */
public record PendingDelivery(
        String sink,
        Digest digest,
        int attempts,
        DeliveryResult.Status lastStatus,
        String lastReason,
        Instant notBefore,
        Instant since) {

    /** Validates the record. */
    public PendingDelivery {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(lastStatus, "lastStatus");
        Objects.requireNonNull(lastReason, "lastReason");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(since, "since");
        if (lastStatus == DeliveryResult.Status.DELIVERED) {
            throw new IllegalArgumentException("a delivered digest is not pending");
        }
    }
}
