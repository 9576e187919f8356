package io.logalert.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link LogSource} must follow, as an abstract JUnit 5 test. A source implementation adds a
 * subclass that stores the given events where its source reads them:
 *
 * <pre>{@code
 * class MySourceContractTest extends LogSourceContract {
 *     protected LogSource createSource(List<LogEvent> events) {
 *         store.insert(events);
 *         return new MySource(store);
 *     }
 * }
 * }</pre>
 */
public abstract class LogSourceContract {

    /** A base instant on a whole second, far from the epoch. */
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /**
     * A source that reads exactly {@code events} (each with occurrences 1, project, thread and message set), and
     * nothing else, in any window.
     */
    protected abstract LogSource createSource(List<LogEvent> events);

    private static LogEvent event(Instant at, String project, String message) {
        return LogEvent.builder().timestamp(at).project(project).message(message).thread("worker-1").build();
    }

    private static long read(LogSource source, TimeWindow window, List<LogEvent> into) {
        long[] total = {0};
        source.read(window, event -> {
            into.add(event);
            total[0] += event.occurrences();
        });
        return total[0];
    }

    @Test
    void readsEveryEventOfTheWindowWithItsFields() throws Exception {
        List<LogEvent> events = List.of(
                event(T0.plusMillis(1), "checkout", "order 1 failed"),
                event(T0.plusSeconds(5), "checkout", "order 2 failed"),
                event(T0.plusSeconds(10), "billing", "card declined"));
        try (LogSource source = createSource(events)) {
            List<LogEvent> read = new ArrayList<>();
            long total = read(source, new TimeWindow(T0, T0.plusSeconds(60)), read);

            assertThat(total).isEqualTo(3);
            assertThat(read).extracting(LogEvent::project).containsOnly("checkout", "billing");
            assertThat(read).extracting(LogEvent::thread).containsOnly("worker-1");
            assertThat(read).extracting(LogEvent::timestamp)
                    .containsExactlyInAnyOrder(T0.plusMillis(1), T0.plusSeconds(5), T0.plusSeconds(10));
            assertThat(expand(read)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "checkout|order 1 failed", 1L, "checkout|order 2 failed", 1L, "billing|card declined", 1L));
        }
    }

    @Test
    void windowHoldsItsStartAndNotItsEnd() throws Exception {
        Instant from = T0;
        Instant to = T0.plusSeconds(60);
        List<LogEvent> events = List.of(
                event(from.minusMillis(1), "p", "just before"),
                event(from, "p", "at from"),
                event(to.minusMillis(1), "p", "just before to"),
                event(to, "p", "at to"));
        try (LogSource source = createSource(events)) {
            List<LogEvent> read = new ArrayList<>();
            read(source, new TimeWindow(from, to), read);

            assertThat(read).extracting(LogEvent::message).containsExactlyInAnyOrder("at from", "just before to");
        }
    }

    @Test
    void adjacentWindowsCountEveryEventExactlyOnce() throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            events.add(event(T0.plusMillis(500L * i), "p" + (i % 3), "failure " + (i % 7)));
        }
        try (LogSource source = createSource(events)) {
            List<LogEvent> read = new ArrayList<>();
            long first = read(source, new TimeWindow(T0, T0.plusSeconds(20)), read);
            long second = read(source, new TimeWindow(T0.plusSeconds(20), T0.plusSeconds(60)), read);

            assertThat(first).isEqualTo(40);
            assertThat(first + second).isEqualTo(120);
            assertThat(expand(read)).isEqualTo(expand(events));
        }
    }

    @Test
    void emptyWindowReadsNothing() throws Exception {
        try (LogSource source = createSource(List.of(event(T0, "p", "m")))) {
            List<LogEvent> read = new ArrayList<>();
            long total = read(source, new TimeWindow(T0.plusSeconds(1), T0.plusSeconds(2)), read);

            assertThat(total).isZero();
            assertThat(read).isEmpty();
        }
    }

    @Test
    void keepsHostileAndNonAsciiMessagesIntact() throws Exception {
        String hostile = "[x](http://evil) ![](http://x/p.png) # title @all <b>bold</b> \"quoted\" \\ \t tab";
        String unicode = "支付失败: 订单 8812 — ошибка ✓ 🚨";
        String multiLine = "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)";
        try (LogSource source = createSource(List.of(
                event(T0, "p", hostile), event(T0.plusSeconds(1), "p", unicode),
                event(T0.plusSeconds(2), "p", multiLine)))) {
            List<LogEvent> read = new ArrayList<>();
            read(source, new TimeWindow(T0, T0.plusSeconds(3)), read);

            assertThat(read).extracting(LogEvent::message).containsExactlyInAnyOrder(hostile, unicode, multiLine);
        }
    }

    /** "project|message" to count, occurrences included. */
    private static Map<String, Long> expand(List<LogEvent> events) {
        Map<String, Long> counts = new TreeMap<>();
        for (LogEvent event : events) {
            counts.merge(event.project() + "|" + event.message(), event.occurrences(), Long::sum);
        }
        return counts;
    }
}
