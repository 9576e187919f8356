package io.logalert.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSource;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
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
     * A source that reads exactly {@code events} (each with occurrences 1, project, thread and message set, some
     * with a logger and a stack trace), and nothing else, in any window.
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

    /**
     * {@code read} with the details of every event the source deferred, asked in one call as the pipeline asks them;
     * a source that defers nothing is not asked.
     */
    private static List<LogEvent> completed(LogSource source, TimeWindow window, List<LogEvent> read) {
        List<SampleRequest> requests = read.stream().filter(LogEvent::detailsPending)
                .map(e -> new SampleRequest(window, e.project(), e.message())).distinct().toList();
        if (requests.isEmpty()) {
            return read;
        }
        Map<SampleRequest, SampleDetails> details = source.details(requests);
        assertThat(details).as("the details of every record read, asked for")
                .containsKeys(requests.toArray(SampleRequest[]::new));
        return read.stream().map(e -> e.detailsPending()
                ? withDetails(e, details.get(new SampleRequest(window, e.project(), e.message()))) : e).toList();
    }

    /**
     * {@code event} with {@code details} in place of its own thread, logger and stack trace, and of its level when the
     * details carry one, no longer pending.
     */
    private static LogEvent withDetails(LogEvent event, SampleDetails details) {
        return new LogEvent(event.id(), event.timestamp(), event.lastTimestamp(), event.project(),
                details.level().isEmpty() ? event.level() : details.level(),
                event.message(), details.thread(), details.logger(), details.stackTrace(), event.occurrences(),
                event.fields(), false);
    }

    @Test
    void readsEveryEventOfTheWindowWithItsFields() throws Exception {
        List<LogEvent> events = List.of(
                event(T0.plusMillis(1), "checkout", "order 1 failed"),
                event(T0.plusSeconds(5), "checkout", "order 2 failed"),
                event(T0.plusSeconds(10), "billing", "card declined"));
        try (LogSource source = createSource(events)) {
            List<LogEvent> read = new ArrayList<>();
            TimeWindow window = new TimeWindow(T0, T0.plusSeconds(60));
            long total = read(source, window, read);

            assertThat(total).isEqualTo(3);
            assertThat(read).extracting(LogEvent::project).containsOnly("checkout", "billing");
            assertThat(completed(source, window, read)).extracting(LogEvent::thread).containsOnly("worker-1");
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

    @Test
    void detailsOfAnEventAreThoseOfItsOwnRecords() throws Exception {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // two records of each kind with the same details, so that any record of the kind is the right sample
            String kind = "kind " + i;
            for (int copy = 0; copy < 2; copy++) {
                events.add(LogEvent.builder().timestamp(T0.plusSeconds(i * 2L + copy)).project("p" + (i % 2))
                        .message("failure of " + kind).thread("thread of " + kind).logger("logger.of." + i)
                        .stackTrace("java.lang.IllegalStateException: " + kind + "\n\tat a.B.c(B.java:" + i + ")")
                        .build());
            }
        }
        try (LogSource source = createSource(events)) {
            TimeWindow window = new TimeWindow(T0, T0.plusSeconds(60));
            List<LogEvent> read = new ArrayList<>();
            read(source, window, read);

            List<LogEvent> completed = completed(source, window, read);
            assertThat(completed).noneMatch(LogEvent::detailsPending);
            for (LogEvent event : completed) {
                String kind = event.message().substring("failure of ".length());
                assertThat(event.thread()).isEqualTo("thread of " + kind);
                assertThat(event.logger()).isEqualTo("logger.of." + kind.substring("kind ".length()));
                assertThat(event.stackTrace()).startsWith("java.lang.IllegalStateException: " + kind + "\n");
            }
        }
    }

    @Test
    void detailsOfNothingAreEmptyAndOfARecordNotThereAreLeftOut() throws Exception {
        try (LogSource source = createSource(List.of(event(T0, "p", "m")))) {
            TimeWindow window = new TimeWindow(T0, T0.plusSeconds(60));

            assertThat(source.details(List.of())).isEmpty();
            assertThat(source.details(List.of(new SampleRequest(window, "p", "never logged"),
                    new SampleRequest(new TimeWindow(T0.plusSeconds(1), T0.plusSeconds(2)), "p", "m")))).isEmpty();
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
