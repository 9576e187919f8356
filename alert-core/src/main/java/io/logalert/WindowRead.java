package io.logalert;

import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.LogSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stage 2, read and aggregate: every record of the window goes through one fresh aggregation. A source that throws
 * leaves nothing behind: what was counted of the window is dropped, and the same window is read again next run.
 *
 * @param groups  the window's groups, when it was read completely
 * @param events  records counted, occurrences included
 * @param failure why the window could not be read, when it could not
 * @param took    how long the read took, aggregation included, on a monotonic clock; zero when nothing was read
 */
record WindowRead(List<ErrorGroup> groups, long events, Optional<String> failure, Duration took) {

    /** A read that did not happen, for {@code why}. */
    static WindowRead notRead(String why) {
        return new WindowRead(List.of(), 0, Optional.of(why), Duration.ZERO);
    }

    static WindowRead of(LogSource source, Aggregator aggregator, TimeWindow window) {
        Counting counting = new Counting(aggregator.start());
        long started = System.nanoTime();
        try {
            source.read(window, counting);
            List<ErrorGroup> groups = counting.aggregation.groups();
            return new WindowRead(groups, counting.events, Optional.empty(), since(started));
        } catch (RuntimeException e) {
            return new WindowRead(List.of(), 0, Optional.of(AlertPipeline.describe(e)), since(started));
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Counts the events of a window into an aggregation, and how many there were. */
    private static final class Counting implements Consumer<LogEvent> {
        private final Aggregation aggregation;
        private long events;

        Counting(Aggregation aggregation) {
            this.aggregation = aggregation;
        }

        @Override
        public void accept(LogEvent event) {
            aggregation.add(event);
            events += event.occurrences();
        }
    }
}
