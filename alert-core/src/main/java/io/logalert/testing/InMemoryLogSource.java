package io.logalert.testing;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSource;
import io.logalert.spi.SourceUnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A {@link LogSource} over events held in memory, for tests and demos. Events can be added while a pipeline runs,
 * and the source can be made to fail, to test what a pipeline does when its store is down.
 *
 * <p>Thread-safe.
 */
public final class InMemoryLogSource implements LogSource {

    private final List<LogEvent> events = new ArrayList<>();
    private boolean unavailable;
    private int reads;

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

    /** How many windows were read, failed reads included. */
    public synchronized int reads() {
        return reads;
    }

    @Override
    public void read(TimeWindow window, Consumer<LogEvent> consumer) {
        List<LogEvent> inWindow = new ArrayList<>();
        synchronized (this) {
            reads++;
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
        inWindow.forEach(consumer);
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
