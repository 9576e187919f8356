package io.logalert.spi;

import io.logalert.ErrorGroup;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pipeline remembers of one kind of error (a project and group key): when it was seen and shown, and what
 * realert holds back of it.
 *
 * @param project     the project
 * @param key         the group key
 * @param firstSeen   the first record of the kind the pipeline counted
 * @param lastSeen    the latest record of the kind the pipeline counted
 * @param lastShown   the end of the last window whose digest showed the kind
 * @param realertStep how often the realert period has doubled while the kind kept recurring (exponential realert)
 * @param held        the occurrences held back since the kind was last shown, counted as one group, or empty
 * @param heldSample  when the sample of {@code held} is a record whose details the source deferred
 *                    ({@link io.logalert.LogEvent#detailsPending()}), which record that is, so that the digest that
 *                    shows the held group later can show its details
 */
public record KnownKind(String project, String key, Instant firstSeen, Instant lastSeen, Instant lastShown,
        int realertStep, Optional<ErrorGroup> held, Optional<SampleRequest> heldSample) {

    /** A kind whose held group, if any, has no sample waiting for details. */
    public KnownKind(String project, String key, Instant firstSeen, Instant lastSeen, Instant lastShown,
            int realertStep, Optional<ErrorGroup> held) {
        this(project, key, firstSeen, lastSeen, lastShown, realertStep, held, Optional.empty());
    }

    /** Validates the record. */
    public KnownKind {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(lastShown, "lastShown");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(heldSample, "heldSample");
        if (realertStep < 0) {
            throw new IllegalArgumentException("realertStep cannot be negative, was " + realertStep);
        }
    }
}
