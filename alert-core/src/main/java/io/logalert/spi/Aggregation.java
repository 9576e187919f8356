package io.logalert.spi;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import java.util.List;

/**
 * The counting of one window by an {@link Aggregator}. Not thread-safe; memory grows with the number of groups, not
 * with the number of records.
 */
public interface Aggregation {

    /**
     * Counts {@code event}, weighted by its occurrences.
     *
     * @return the key of the group that now holds it; the key stays valid in {@link #groups()}
     */
    String add(LogEvent event);

    /** The groups counted so far, in no particular order. */
    List<ErrorGroup> groups();
}
