package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import java.time.Instant;

/**
 * What a group, or a line of a window, has counted: records (occurrences included), the first and last time seen,
 * and the first record's message and thread as a sample. One sample is kept, never the records. Not thread-safe.
 */
final class Tally {

    private final String project;
    private final String sampleMessage;
    private final String sampleThread;
    private long count;
    private Instant firstSeen;
    private Instant lastSeen;

    /** A tally of {@code first} alone. */
    Tally(LogEvent first) {
        this(first.project(), first.message(), first.thread(), first.occurrences(), first.timestamp(),
                first.lastTimestamp());
    }

    /** A new tally holding what {@code start} holds, to which others can be added without changing it. */
    Tally(Tally start) {
        this(start.project, start.sampleMessage, start.sampleThread, start.count, start.firstSeen, start.lastSeen);
    }

    private Tally(String project, String sampleMessage, String sampleThread, long count, Instant firstSeen,
            Instant lastSeen) {
        this.project = project;
        this.sampleMessage = sampleMessage;
        this.sampleThread = sampleThread;
        this.count = count;
        this.firstSeen = firstSeen;
        this.lastSeen = lastSeen;
    }

    void add(LogEvent event) {
        add(event.occurrences(), event.timestamp(), event.lastTimestamp());
    }

    void add(Tally other) {
        add(other.count, other.firstSeen, other.lastSeen);
    }

    private void add(long records, Instant first, Instant last) {
        count += records;
        if (first.isBefore(firstSeen)) {
            firstSeen = first;
        }
        if (last.isAfter(lastSeen)) {
            lastSeen = last;
        }
    }

    long count() {
        return count;
    }

    /** The group this tally describes, under {@code key}, showing {@code template}. */
    ErrorGroup toGroup(String key, String template) {
        return new ErrorGroup(project, key, template, sampleMessage, count, firstSeen, lastSeen, sampleThread);
    }
}
