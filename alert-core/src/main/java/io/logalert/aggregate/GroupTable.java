package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts events by group key for one window: what every aggregator does once it has decided the key. Memory grows
 * with the groups: one sample message is kept per group, never the events.
 */
final class GroupTable {

    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * Counts {@code event} in the group {@code key}, creating it if new; the group shows {@code template}, the latest
     * one given, because a learnt template may generalise as records arrive.
     */
    String add(String key, String template, LogEvent event) {
        Entry entry = entries.get(key);
        if (entry == null) {
            entries.put(key, new Entry(event, template));
        } else {
            entry.template = template;
            entry.count(event);
        }
        return key;
    }

    /** The number of groups counted. */
    int size() {
        return entries.size();
    }

    List<ErrorGroup> groups() {
        List<ErrorGroup> groups = new ArrayList<>(entries.size());
        entries.forEach((key, e) -> groups.add(new ErrorGroup(e.project, key, e.template, e.sampleMessage, e.count,
                e.firstSeen, e.lastSeen, e.sampleThread)));
        return groups;
    }

    private static final class Entry {
        private final String project;
        private final String sampleMessage;
        private final String sampleThread;
        private String template;
        private long count;
        private Instant firstSeen;
        private Instant lastSeen;

        Entry(LogEvent first, String template) {
            this.project = first.project();
            this.sampleMessage = first.message();
            this.sampleThread = first.thread();
            this.template = template;
            this.count = first.occurrences();
            this.firstSeen = first.timestamp();
            this.lastSeen = first.lastTimestamp();
        }

        void count(LogEvent event) {
            count += event.occurrences();
            if (event.timestamp().isBefore(firstSeen)) {
                firstSeen = event.timestamp();
            }
            if (event.lastTimestamp().isAfter(lastSeen)) {
                lastSeen = event.lastTimestamp();
            }
        }
    }
}
