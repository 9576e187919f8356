package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts events by group key for one window: what every aggregator does once it has decided the key. Memory grows
 * with the groups: one sample message is kept per group, never the events.
 */
final class GroupTable {

    private final Map<LookupKey, Entry> entries = new HashMap<>();
    /** Null when the texts are the records' own strings, whose hash {@link String} computes once and keeps. */
    private final LookupKey.Hasher hasher;

    /**
     * A table for texts made anew for every record ({@code newTexts}: a masked line, hashed eight characters at a
     * time, see {@link LookupKey.Hasher}) or for texts that are the records' own strings, hashed by {@link String},
     * which keeps the hash with the string for the next look-up of the same one.
     */
    GroupTable(boolean newTexts) {
        this.hasher = newTexts ? new LookupKey.Hasher() : null;
    }

    /**
     * Counts {@code event} in the group of {@code project}, {@code kind} (e.g. an exception type, or empty) and
     * {@code text}, creating it if new; the group shows {@code text}.
     *
     * @return the group's key, {@code project NUL kind NUL text}, made once per group
     */
    String add(String project, String kind, String text, LogEvent event) {
        LookupKey key = hasher == null ? new LookupKey(project, kind, text, false)
                : new LookupKey(project, kind, text, false, hasher);
        Entry entry = entries.get(key);
        if (entry == null) {
            entry = new Entry(project + '\u0000' + kind + '\u0000' + text, text, new Tally(event));
            entries.put(key, entry);
        } else {
            entry.tally.add(event);
        }
        return entry.key;
    }

    List<ErrorGroup> groups() {
        List<ErrorGroup> groups = new ArrayList<>(entries.size());
        entries.values().forEach(e -> groups.add(e.tally.toGroup(e.key, e.text)));
        return groups;
    }

    private record Entry(String key, String text, Tally tally) {
    }
}
