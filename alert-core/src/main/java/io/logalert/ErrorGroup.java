package io.logalert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 * @param sampleThread  the thread of the sample message, or empty (also when the source deferred it and could not
 *                      give it when asked, see {@link io.logalert.spi.LogSource#details})
 * @param mark          whether the kind is new or back after a quiet period; set by the pipeline, {@link Mark#NONE}
 *                      as an aggregator makes it
 * @param heldBack      occurrences of the kind that realert held back before this window and that this group shows
 *                      for the first time, beside its own {@code count}; set by the pipeline
 */
public record ErrorGroup(
        String project,
        String key,
        String template,
        String sampleMessage,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        String sampleThread,
        Mark mark,
        Optional<HeldBack> heldBack) {

    /** A group as an aggregator counts it: no mark, nothing held back. */
    public ErrorGroup(String project, String key, String template, String sampleMessage, long count, Instant firstSeen,
            Instant lastSeen, String sampleThread) {
        this(project, key, template, sampleMessage, count, firstSeen, lastSeen, sampleThread, Mark.NONE,
                Optional.empty());
    }

    /** Validates the group. */
    public ErrorGroup {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(sampleMessage, "sampleMessage");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(sampleThread, "sampleThread");
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(heldBack, "heldBack");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
    }

    /** This group with {@code mark}. */
    public ErrorGroup withMark(Mark mark) {
        return new ErrorGroup(project, key, template, sampleMessage, count, firstSeen, lastSeen, sampleThread, mark,
                heldBack);
    }

    /** This group showing {@code heldBack} beside its count. */
    public ErrorGroup withHeldBack(Optional<HeldBack> heldBack) {
        return new ErrorGroup(project, key, template, sampleMessage, count, firstSeen, lastSeen, sampleThread, mark,
                heldBack);
    }

    /** This group with {@code sampleThread} as its sample's thread, for a sample whose details came later. */
    public ErrorGroup withSampleThread(String sampleThread) {
        return new ErrorGroup(project, key, template, sampleMessage, count, firstSeen, lastSeen, sampleThread, mark,
                heldBack);
    }

    /**
     * This group and {@code other}, the same kind, counted as one: counts add up, the times span both, the sample is
     * this group's.
     */
    public ErrorGroup plus(ErrorGroup other) {
        return new ErrorGroup(project, key, template, sampleMessage, count + other.count,
                firstSeen.isAfter(other.firstSeen) ? other.firstSeen : firstSeen,
                lastSeen.isBefore(other.lastSeen) ? other.lastSeen : lastSeen, sampleThread, mark, heldBack);
    }
}
