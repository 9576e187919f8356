package io.logalert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link io.logalert.spi.AlertSink} made of one digest.
 *
 * @param digest     the digest
 * @param status     delivered, to be retried later, or rejected
 * @param reason     why it was not delivered, in the sink's words and free of secrets; for a delivered digest, what
 *                   the sink left out of it and why, or empty when it was delivered whole
 * @param retryAfter for {@link Status#RETRY_LATER}, the earliest instant a retry can succeed, when the sink knows it
 */
public record DeliveryResult(Digest digest, Status status, String reason, Optional<Instant> retryAfter) {

    /** The outcome of one delivery. */
    public enum Status {
        /** The receiver accepted the digest. */
        DELIVERED,
        /** A passing failure (throttling, a server error, a timeout): the same digest can succeed later. */
        RETRY_LATER,
        /**
         * The receiver refused the digest as it is (bad credentials, a missing keyword, a malformed message): it will
         * be refused again until the configuration changes. The pipeline still keeps and reports it.
         */
        REJECTED
    }

    /** Validates the result. */
    public DeliveryResult {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The digest was delivered. */
    public static DeliveryResult delivered(Digest digest) {
        return new DeliveryResult(digest, Status.DELIVERED, "", Optional.empty());
    }

    /** The digest was delivered, but not whole: {@code note} says what the sink left out and why. */
    public static DeliveryResult delivered(Digest digest, String note) {
        return new DeliveryResult(digest, Status.DELIVERED, note, Optional.empty());
    }

    /** The digest may be delivered by a later attempt, not before {@code retryAfter} if given. */
    public static DeliveryResult retryLater(Digest digest, String reason, Optional<Instant> retryAfter) {
        return new DeliveryResult(digest, Status.RETRY_LATER, reason, retryAfter);
    }

    /** The receiver refused the digest for {@code reason}. */
    public static DeliveryResult rejected(Digest digest, String reason) {
        return new DeliveryResult(digest, Status.REJECTED, reason, Optional.empty());
    }

    /** Whether the digest was delivered. */
    public boolean isDelivered() {
        return status == Status.DELIVERED;
    }
}
