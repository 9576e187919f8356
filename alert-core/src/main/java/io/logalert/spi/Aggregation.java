package io.logalert.spi;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import java.util.List;

/**
 * The counting of one window by an {@link Aggregator}. Not thread-safe; memory grows with the number of groups (or,
 * for an aggregator that groups in a batch at {@link #groups()}, with the distinct records it keeps, which it
 * bounds), not with the number of records.
 *
 * <p>An aggregator may decide its groups only when {@link #groups()} is called, after the whole window has been read
 * (a template miner that needs to see which words vary, say). Then the key {@code add} returns identifies the record's
 * kind only for this aggregation, and {@link #keyOf(String)} maps it to the key of the group that holds it:
 * <pre>
 * String added = aggregation.add(event);
 * ...
 * List&lt;ErrorGroup&gt; groups = aggregation.groups();
 * String groupKey = aggregation.keyOf(added); // the key of the group in groups() that counted event
 * </pre>
 */
public interface Aggregation {

    /**
     * Counts {@code event}, weighted by its occurrences.
     *
     * @return a key for the record; pass it to {@link #keyOf(String)} after {@link #groups()} to learn the key of the
     *         group that holds it. For aggregators whose keys are final when given (the default of {@code keyOf}),
     *         it is that group's key.
     */
    String add(LogEvent event);

    /** The groups counted so far, in no particular order. */
    List<ErrorGroup> groups();

    /**
     * The key, among the groups of the latest {@link #groups()}, of the group that holds the records for which
     * {@link #add(LogEvent)} returned {@code addedKey}. Valid after {@code groups()} until the next {@code add}.
     * Default: {@code addedKey} itself, for aggregators that give final keys when counting.
     */
    default String keyOf(String addedKey) {
        return addedKey;
    }
}
