package io.logalert;

import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.LogSource;
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
 */
record WindowRead(List<ErrorGroup> groups, long events, Optional<String> failure) {

    static WindowRead of(LogSource source, Aggregator aggregator, TimeWindow window) {
        Counting counting = new Counting(aggregator.start());
        try {
            source.read(window, counting);
            return new WindowRead(counting.aggregation.groups(), counting.events, Optional.empty());
        } catch (RuntimeException e) {
            return new WindowRead(List.of(), 0, Optional.of(AlertPipeline.describe(e)));
        }
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
