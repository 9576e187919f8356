package io.logalert.spi;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import java.util.function.Consumer;

/**
 * Reads the error records of a time window from a log store.
 *
 * <p>A source hands every matching record with a timestamp in {@code [window.from, window.to)} to the consumer,
 * exactly once per call, in any order; it may hand over pre-counted events ({@link LogEvent#occurrences()} above
 * one). It must not hold the events of a window in memory: the consumer counts them as they come.
 *
 * <p>A source that cannot read throws a {@link LogSourceException} ({@link SourceUnavailableException} when the
 * store is unreachable or slow): the pipeline then discards what it counted of the window, reports the failure and
 * reads the same window again on its next run. Sources are used by one run at a time.
 */
public interface LogSource extends AutoCloseable {

    /**
     * Hands every record of {@code window} to {@code consumer}.
     *
     * @throws LogSourceException when the window cannot be read completely
     */
    void read(TimeWindow window, Consumer<LogEvent> consumer);

    /** A name for reports and error messages, e.g. the type and the host. Never contains a secret. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases connections. Default: nothing to release. */
    @Override
    default void close() {
    }
}
