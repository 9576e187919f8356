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
    // firstSeen and lastSeen as numbers, compared with every record counted: reading the kept Instants instead cost a
    // cache miss each, as they are objects of records long gone, scattered over the heap (15 % of counting a record)
    private long firstSecond;
    private int firstNano;
    private long lastSecond;
    private int lastNano;

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
        setFirstSeen(firstSeen);
        setLastSeen(lastSeen);
    }

    void add(LogEvent event) {
        add(event.occurrences(), event.timestamp(), event.lastTimestamp());
    }

    void add(Tally other) {
        add(other.count, other.firstSeen, other.lastSeen);
    }

    private void add(long records, Instant first, Instant last) {
        count += records;
        // Instant.isBefore and isAfter, on the numbers
        long second = first.getEpochSecond();
        if (second < firstSecond || second == firstSecond && first.getNano() < firstNano) {
            setFirstSeen(first);
        }
        second = last.getEpochSecond();
        if (second > lastSecond || second == lastSecond && last.getNano() > lastNano) {
            setLastSeen(last);
        }
    }

    private void setFirstSeen(Instant first) {
        firstSeen = first;
        firstSecond = first.getEpochSecond();
        firstNano = first.getNano();
    }

    private void setLastSeen(Instant last) {
        lastSeen = last;
        lastSecond = last.getEpochSecond();
        lastNano = last.getNano();
    }

    long count() {
        return count;
    }

    /** The group this tally describes, under {@code key}, showing {@code template}. */
    ErrorGroup toGroup(String key, String template) {
        return new ErrorGroup(project, key, template, sampleMessage, count, firstSeen, lastSeen, sampleThread);
    }
}
