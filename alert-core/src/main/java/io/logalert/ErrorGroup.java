package io.logalert;

import java.time.Instant;
import java.util.Objects;

/**
 * Occurrences of one kind of error in one project, as an {@link io.logalert.spi.Aggregator} counted them.
 *
 * @param project       the project that logged them
 * @param key           identifies the kind of error within the aggregator that made the group; stable across
 *                      windows for the same kind of error
 * @param template      the message with its variable parts masked, e.g. {@code order <*> failed}
 * @param sampleMessage one real message of the group, as logged
 * @param count         how many records the group holds, occurrences included
 * @param firstSeen     the earliest timestamp among them
 * @param lastSeen      the latest timestamp among them
 * @param sampleThread  the thread of the sample message, or empty
 */
public record ErrorGroup(
        String project,
        String key,
        String template,
        String sampleMessage,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        String sampleThread) {

    /** Validates the group. */
    public ErrorGroup {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(sampleMessage, "sampleMessage");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(sampleThread, "sampleThread");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
    }
}
