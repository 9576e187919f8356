package io.logalert.spi;

import io.logalert.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * A digest a sink never delivered and the pipeline stopped offering: older than the spool's age limit, or beyond its
 * size limit. It stays in the state, in every {@link io.logalert.RunReport} and in an error log line of every run
 * until someone acknowledges it through {@link io.logalert.AlertPipeline#spool()}.
 *
 * @param sink       the sink that owed it
 * @param digest     the digest
 * @param attempts   how many deliveries were tried
 * @param lastReason why the last attempt failed
 * @param since      when it was first offered
 * @param expiredAt  when it expired
 * @param why        why it expired: the age or size limit it passed
 */
public record ExpiredDelivery(String sink, Digest digest, int attempts, String lastReason, Instant since,
        Instant expiredAt, String why) {

    /** Validates the record. */
    public ExpiredDelivery {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(lastReason, "lastReason");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expiredAt, "expiredAt");
        Objects.requireNonNull(why, "why");
    }
}
