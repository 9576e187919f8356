package io.logalert.spi;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A source that counts inside its store may hand over events whose details (thread, logger, stack trace) it has
 * not loaded, marked {@link LogEvent#detailsPending()}: loading them for every counted kind would cost more than the
 * counting. The pipeline then groups such events without their details and, once per run, after it has chosen what
 * its digests show, asks {@link #details(List)} for the samples of just those groups.
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
     * The details of one record per request, for events handed over with {@link LogEvent#detailsPending()}; called
     * by the pipeline at most once per run with every sample its digests show, so a source answers them in one
     * batched request. A request with no matching record any more (deleted since) has no entry. Default: no
     * entries, for sources that never defer details.
     *
     * @throws LogSourceException when the store cannot answer; the pipeline then delivers its digests without the
     *                            details and says so in its run report
     */
    default Map<SampleRequest, SampleDetails> details(List<SampleRequest> requests) {
        return Map.of();
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
