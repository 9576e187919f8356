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

    /**
     * What the aggregator has learnt (templates, say), in its own text format, for the pipeline to save with its
     * state, so that after a restart, or on another instance, the same error gets the same key. Called between
     * aggregations. Default: {@code ""}, for aggregators whose keys depend on the record alone.
     */
    default String learntState() {
        return "";
    }

    /**
     * Takes back what {@link #learntState()} returned, before the first aggregation; {@code ""} means nothing learnt.
     * Default: accepts only {@code ""}.
     *
     * @throws IllegalArgumentException when {@code state} is not this aggregator's (another type or a damaged
     *                                  text), naming what is wrong
     */
    default void restoreLearntState(String state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(name() + " learns nothing, yet was given learnt state of "
                    + state.length() + " characters: was the pipeline's aggregator changed?");
        }
    }

    /** A name for reports, e.g. the aggregator's type. */
    default String name() {
        return getClass().getSimpleName();
    }
}
