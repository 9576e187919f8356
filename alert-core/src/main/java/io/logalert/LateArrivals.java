package io.logalert;

import io.logalert.spi.Aggregator;
import io.logalert.spi.CountedWindow;
import io.logalert.spi.LogSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stage 2b, late arrivals: records indexed after their window was read (an ingest lag beyond {@code queryDelay})
 * would never be counted. Each run counts the windows read within the look-back again: one count over all of them,
 * and, only when it grew, one per window; a window that grew is read again and what it holds beyond what was counted
 * becomes the late groups, by kind. A lag so costs a delay, not a loss.
 *
 * @param found   per window that grew, the late records by kind, with the records their samples are when the source
 *                deferred their details
 * @param events  late records found, occurrences included
 * @param lateBy  for the window whose records were found latest, how long after the window closed they were found:
 *                an upper bound of their ingest lag
 * @param recent  the windows within the look-back, with their counts brought up to date
 * @param failure why the windows could not be counted again, when they could not (they are tried again next run)
 */
record LateArrivals(Map<TimeWindow, SampledGroups> found, long events, Optional<Duration> lateBy,
        List<CountedWindow> recent, Optional<String> failure) {

    /** The most kinds remembered per window; a window with more is counted again as a whole only. */
    static final int MAX_KINDS_PER_WINDOW = 2_000;

    /** Nothing late: the windows within the look-back as they were counted. */
    static LateArrivals none(List<CountedWindow> recent) {
        return new LateArrivals(Map.of(), 0, Optional.empty(), recent, Optional.empty());
    }

    static LateArrivals of(LogSource source, Aggregator aggregator, List<CountedWindow> recent, Instant now) {
        if (recent.isEmpty()) {
            return none(recent);
        }
        try {
            TimeWindow span = new TimeWindow(recent.get(0).window().from(),
                    recent.get(recent.size() - 1).window().to());
            long counted = recent.stream().mapToLong(CountedWindow::events).sum();
            OptionalLong total = source.count(span);
            if (total.isEmpty() || total.getAsLong() <= counted) {
                return none(recent);
            }
            Map<TimeWindow, SampledGroups> found = new LinkedHashMap<>();
            List<CountedWindow> updated = new ArrayList<>(recent.size());
            long events = 0;
            Optional<Duration> lateBy = Optional.empty();
            for (CountedWindow window : recent) {
                long counts = source.count(window.window()).orElse(window.events());
                if (counts <= window.events()) {
                    updated.add(window);
                    continue;
                }
                WindowRead read = WindowRead.of(source, aggregator, window.window());
                if (read.failure().isPresent()) {
                    throw new IllegalStateException(read.failure().get());
                }
                List<ErrorGroup> late = beyond(read.groups(), window);
                // a late group shows the sample of the window's group it is part of, so that group's request holds
                found.put(window.window(), new SampledGroups(late, read.samples()));
                long lateEvents = late.stream().mapToLong(ErrorGroup::count).sum();
                events += lateEvents;
                Duration lag = Duration.between(window.window().to(), now);
                if (lateBy.isEmpty() || lag.compareTo(lateBy.get()) > 0) {
                    lateBy = Optional.of(lag);
                }
                updated.add(counted(window.window(), read.events(), read.groups()));
            }
            return new LateArrivals(found, events, lateBy, updated, Optional.empty());
        } catch (RuntimeException e) {
            return new LateArrivals(Map.of(), 0, Optional.empty(), recent, Optional.of(AlertPipeline.describe(e)));
        }
    }

    /** What {@code groups} hold beyond what {@code before} counted, kind by kind. */
    private static List<ErrorGroup> beyond(List<ErrorGroup> groups, CountedWindow before) {
        Map<String, Long> counted = new HashMap<>();
        before.groups().forEach(c -> counted.put(WindowRead.groupId(c.project(), c.key()), c.events()));
        List<ErrorGroup> late = new ArrayList<>();
        long unattributed = before.groups().isEmpty() ? before.events() : 0;
        for (ErrorGroup group : groups) {
            long more = group.count() - counted.getOrDefault(WindowRead.groupId(group), 0L);
            if (unattributed > 0) {
                // the window held too many kinds to remember each: what it counted is taken from the largest first
                long taken = Math.min(unattributed, group.count());
                unattributed -= taken;
                more = group.count() - taken;
            }
            if (more > 0) {
                late.add(new ErrorGroup(group.project(), group.key(), group.template(), group.sampleMessage(), more,
                        group.firstSeen(), group.lastSeen(), group.sampleThread()));
            }
        }
        return late;
    }

    /** A window as read, with its kinds when there are few enough to remember. */
    static CountedWindow counted(TimeWindow window, long events, List<ErrorGroup> groups) {
        if (groups.size() > MAX_KINDS_PER_WINDOW) {
            return new CountedWindow(window, events, List.of());
        }
        return new CountedWindow(window, events, groups.stream()
                .map(g -> new CountedWindow.Count(g.project(), g.key(), g.count())).toList());
    }

    /** {@code recent} and {@code added}, without the windows that ended before {@code horizon}. */
    static List<CountedWindow> within(List<CountedWindow> recent, Optional<CountedWindow> added, Instant horizon) {
        List<CountedWindow> kept = new ArrayList<>();
        for (CountedWindow window : recent) {
            if (window.window().to().isAfter(horizon)) {
                kept.add(window);
            }
        }
        added.ifPresent(kept::add);
        return kept;
    }
}
