package io.logalert.testing;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSource;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
import io.logalert.spi.SourceUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A {@link LogSource} over events held in memory, for tests and demos. Events can be added while a pipeline runs,
 * and the source can be made to fail, to test what a pipeline does when its store is down. With
 * {@link #deferDetails(boolean)} it counts as a store-side aggregation does: one pre-counted event per project and
 * message, its details pending, answered by {@link #details(List)}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLogSource implements LogSource {

    private final List<LogEvent> events = new ArrayList<>();
    private boolean unavailable;
    private boolean deferDetails;
    private boolean detailsUnavailable;
    private int reads;
    private final List<List<SampleRequest>> detailCalls = new ArrayList<>();

    /** An empty source. */
    public InMemoryLogSource() {
    }

    /** A source holding {@code events}. */
    public InMemoryLogSource(Collection<LogEvent> events) {
        this.events.addAll(events);
    }

    /** Adds {@code event}; it is read by every later window that holds its timestamp. */
    public synchronized InMemoryLogSource add(LogEvent event) {
        events.add(event);
        return this;
    }

    /** Adds {@code events}. */
    public synchronized InMemoryLogSource addAll(Collection<LogEvent> events) {
        this.events.addAll(events);
        return this;
    }

    /** While {@code unavailable}, every read throws {@link SourceUnavailableException}. */
    public synchronized InMemoryLogSource unavailable(boolean unavailable) {
        this.unavailable = unavailable;
        return this;
    }

    /**
     * While {@code defer}, a read hands over one event per project and message of the window, with its occurrences,
     * first and last timestamp, and its details (thread, logger, stack trace) pending; {@link #details(List)} gives
     * those of the newest record of each. Default: off, every record is handed over as it is.
     */
    public synchronized InMemoryLogSource deferDetails(boolean defer) {
        this.deferDetails = defer;
        return this;
    }

    /** While {@code unavailable}, {@link #details(List)} throws {@link SourceUnavailableException}. */
    public synchronized InMemoryLogSource detailsUnavailable(boolean unavailable) {
        this.detailsUnavailable = unavailable;
        return this;
    }

    /** The requests of every {@link #details(List)} call, oldest first, failed calls included. */
    public synchronized List<List<SampleRequest>> detailCalls() {
        return List.copyOf(detailCalls);
    }

    /** How many windows were read, failed reads included. */
    public synchronized int reads() {
        return reads;
    }

    @Override
    public void read(TimeWindow window, Consumer<LogEvent> consumer) {
        List<LogEvent> inWindow = new ArrayList<>();
        boolean deferred;
        synchronized (this) {
            reads++;
            deferred = deferDetails;
            if (unavailable) {
                throw new SourceUnavailableException(name(), "made unavailable by the test", null);
            }
            for (LogEvent event : events) {
                if (window.contains(event.timestamp())) {
                    inWindow.add(event);
                }
            }
        }
        // outside the lock: a slow consumer must not block writers
        if (deferred) {
            counted(inWindow).forEach(consumer);
        } else {
            inWindow.forEach(consumer);
        }
    }

    /** One pre-counted event per project and message, details pending, in the order first seen. */
    private static List<LogEvent> counted(List<LogEvent> events) {
        Map<List<String>, LogEvent> byKind = new LinkedHashMap<>();
        for (LogEvent event : events) {
            LogEvent bare = LogEvent.builder().timestamp(event.timestamp()).lastTimestamp(event.lastTimestamp())
                    .project(event.project()).level(event.level()).message(event.message())
                    .occurrences(event.occurrences()).detailsPending(true).build();
            byKind.merge(List.of(event.project(), event.message()), bare, (a, b) -> LogEvent.builder()
                    .timestamp(min(a.timestamp(), b.timestamp())).lastTimestamp(max(a.lastTimestamp(),
                            b.lastTimestamp()))
                    .project(a.project()).level(a.level()).message(a.message())
                    .occurrences(a.occurrences() + b.occurrences()).detailsPending(true).build());
        }
        return List.copyOf(byKind.values());
    }

    /** The thread, logger and stack trace of the newest record of each request's window, project and message. */
    @Override
    public synchronized Map<SampleRequest, SampleDetails> details(List<SampleRequest> requests) {
        detailCalls.add(List.copyOf(requests));
        if (unavailable || detailsUnavailable) {
            throw new SourceUnavailableException(name(), "made unavailable by the test", null);
        }
        Map<SampleRequest, SampleDetails> details = new HashMap<>();
        for (SampleRequest request : requests) {
            events.stream()
                    .filter(e -> request.window().contains(e.timestamp()) && e.project().equals(request.project())
                            && e.message().equals(request.message()))
                    .max(Comparator.comparing(LogEvent::lastTimestamp))
                    .ifPresent(e -> details.put(request, new SampleDetails(e.thread(), e.logger(), e.stackTrace())));
        }
        return details;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Counts the records of {@code window} as they are now: records added since a read are found as late. */
    @Override
    public synchronized OptionalLong count(TimeWindow window) {
        if (unavailable) {
            throw new SourceUnavailableException(name(), "made unavailable by the test", null);
        }
        return OptionalLong.of(events.stream().filter(e -> window.contains(e.timestamp()))
                .mapToLong(LogEvent::occurrences).sum());
    }

    @Override
    public String name() {
        return "in-memory";
    }
}
