package io.logalert.spi;

/**
 * Decides which records are the same kind of error, and counts them.
 *
 * <p>An aggregator lives as long as its pipeline and may learn across windows (templates, say); each window is
 * counted by a fresh {@link Aggregation}. Keys are stable: the same kind of error gets the same key in every window
 * of the aggregator's life. An aggregator serves one aggregation at a time.
 */
public interface Aggregator {

    /** Starts counting one window. */
    Aggregation start();

    /** A name for reports, e.g. the aggregator's type. */
    default String name() {
        return getClass().getSimpleName();
    }
}
