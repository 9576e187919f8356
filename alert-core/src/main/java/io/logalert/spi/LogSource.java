package io.logalert.spi;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
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

    /**
     * How many records {@code window} holds now, occurrences included, counted cheaply without reading them; the
     * pipeline counts recently read windows again to find records that were indexed after their window was read.
     * Default: empty, for sources that cannot count (late records are then not looked for).
     *
     * @throws LogSourceException when the store cannot count
     */
    default OptionalLong count(TimeWindow window) {
        return OptionalLong.empty();
    }

    /**
     * The store's own clock, when it can tell: a window never ends after it (less the query delay), so a local clock
     * that jumps ahead cannot move the checkpoint past records not yet written. Default: empty.
     *
     * @throws LogSourceException when the store cannot be asked
     */
    default Optional<Instant> now() {
        return Optional.empty();
    }

    /** A name for reports and error messages, e.g. the type and the host. Never contains a secret. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases connections. Default: nothing to release. */
    @Override
    default void close() {
    }
}
