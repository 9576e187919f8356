package io.logalert;

import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.LogSource;
import io.logalert.spi.SampleRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param samples for each group (by {@link #groupId}) whose sample is an event the source handed over with its
 *                details pending, which record to ask the source for
 */
record WindowRead(List<ErrorGroup> groups, long events, Optional<String> failure, Duration took,
        Map<String, SampleRequest> samples) {

    /** Validates the record and copies its samples. */
    WindowRead {
        samples = Map.copyOf(samples);
    }

    /** A group's identity within one read: its project and key. */
    static String groupId(ErrorGroup group) {
        return groupId(group.project(), group.key());
    }

    /** The identity within one read of the group of {@code project} and {@code key}. */
    static String groupId(String project, String key) {
        return project + '\u0000' + key;
    }

    /** A read that did not happen, for {@code why}. */
    static WindowRead notRead(String why) {
        return new WindowRead(List.of(), 0, Optional.of(why), Duration.ZERO, Map.of());
    }

    static WindowRead of(LogSource source, Aggregator aggregator, TimeWindow window) {
        Counting counting = new Counting(aggregator.start(), window);
        long started = System.nanoTime();
        try {
            source.read(window, counting);
            List<ErrorGroup> groups = counting.aggregation.groups();
            return new WindowRead(groups, counting.events, Optional.empty(), since(started),
                    counting.samples(groups));
        } catch (RuntimeException e) {
            return new WindowRead(List.of(), 0, Optional.of(AlertPipeline.describe(e)), since(started), Map.of());
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * Counts the events of a window into an aggregation, and how many there were; remembers, per key the aggregation
     * gave, the first event whose details are pending, which is the sample of its group when the group shows its
     * message. Memory grows with those keys, as the aggregation's does, never with events.
     */
    private static final class Counting implements Consumer<LogEvent> {
        private final Aggregation aggregation;
        private final TimeWindow window;
        private final Map<String, LogEvent> pendingByAddedKey = new HashMap<>();
        private long events;

        Counting(Aggregation aggregation, TimeWindow window) {
            this.aggregation = aggregation;
            this.window = window;
        }

        @Override
        public void accept(LogEvent event) {
            String added = aggregation.add(event);
            if (event.detailsPending()) {
                pendingByAddedKey.putIfAbsent(added, event);
            }
            events += event.occurrences();
        }

        /**
         * The sample requests of {@code groups}: a group's sample is a pending event when one counted into it has the
         * group's project and sample message (an aggregator keeps the message of the event it took as sample).
         */
        Map<String, SampleRequest> samples(List<ErrorGroup> groups) {
            if (pendingByAddedKey.isEmpty()) {
                return Map.of();
            }
            Map<String, LogEvent> pendingByGroup = new HashMap<>();
            pendingByAddedKey.forEach((added, event) -> pendingByGroup.merge(
                    groupId(event.project(), aggregation.keyOf(added)) + '\u0000' + event.message(), event,
                    (a, b) -> a));
            Map<String, SampleRequest> samples = new HashMap<>();
            for (ErrorGroup group : groups) {
                LogEvent sample = pendingByGroup.get(groupId(group) + '\u0000' + group.sampleMessage());
                if (sample != null) {
                    samples.put(groupId(group), new SampleRequest(window, sample.project(), sample.message(),
                            Optional.of(sample.lastTimestamp())));
                }
            }
            return samples;
        }
    }
}
