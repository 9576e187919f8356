package io.logalert.runner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.logalert.TimeWindow;
import io.logalert.config.Assembly;
import io.logalert.config.PipelineOptions;
import io.logalert.spi.LogSource;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * What {@code validate} checks beyond the file: that each source can read a recent window (reachable, credentials
 * accepted, its index pattern matches, its fields are mapped), that each state store can be read, and that each
 * DingTalk robot accepts its token, without sending anything to a group.
 */
final class Checks {

    private final Clock clock;
    private final PrintWriter out;
    private boolean allOk = true;

    private Checks(Clock clock, PrintWriter out) {
        this.clock = clock;
        this.out = out;
    }

    /** Checks every pipeline of {@code assembly}, printing one line per check; whether all passed. */
    static boolean run(Assembly assembly, Clock clock, PrintWriter out) {
        Checks checks = new Checks(clock, out);
        for (Assembly.Built built : assembly.pipelines()) {
            checks.source(built);
            checks.state(built);
            for (Assembly.BuiltSink sink : built.sinks()) {
                checks.sink(built, sink);
            }
        }
        out.flush();
        return checks.allOk;
    }

    /**
     * Reads the window the pipeline's first run would read (its initial lookback, at least an interval, at most
     * its max window), counting only; what the source warns about while reading fails the check too.
     */
    private void source(Assembly.Built built) {
        PipelineOptions o = built.options();
        Instant due = clock.instant().minus(o.queryDelay()).truncatedTo(ChronoUnit.MILLIS);
        Duration length = o.initialLookback().compareTo(o.interval()) < 0 ? o.interval() : o.initialLookback();
        if (length.compareTo(o.maxWindow()) > 0) {
            length = o.maxWindow();
        }
        TimeWindow window = new TimeWindow(due.minus(length), due);
        LogSource source = built.source();
        AtomicLong events = new AtomicLong();
        List<String> warnings = new ArrayList<>();
        long started = System.nanoTime();
        try (Capture capture = new Capture()) {
            source.read(window, event -> events.addAndGet(event.occurrences()));
            warnings.addAll(capture.warnings());
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            // the source's exceptions start with its name, which the line already shows
            fail(built, "source " + source.name(), message.startsWith(source.name() + ": ")
                    ? message.substring(source.name().length() + 2) : message);
            return;
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (!warnings.isEmpty()) {
            fail(built, "source " + source.name(), String.join("; ", warnings));
            return;
        }
        ok(built, "source " + source.name(), "read " + window + " in " + millis + " ms: " + events.get()
                + " matching events");
    }

    private void state(Assembly.Built built) {
        if (built.standIn()) {
            out.println("  -    " + built.id() + ": state (" + built.stateType() + "): held by another process, "
                    + "not checked");
            return;
        }
        try {
            int pending = built.pipeline().spool().pending().size();
            int expired = built.pipeline().spool().expired().size();
            ok(built, "state (" + built.stateType() + ")", "readable; " + pending + " digests pending, " + expired
                    + " expired");
        } catch (RuntimeException e) {
            fail(built, "state (" + built.stateType() + ")", e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void sink(Assembly.Built built, Assembly.BuiltSink sink) {
        String what = "sink " + sink.sink().name();
        if (!"dingtalk".equals(sink.spec().type())) {
            out.println("  -    " + built.id() + ": " + what + ": nothing to check for a " + sink.spec().type()
                    + " sink");
            return;
        }
        RobotCheck.Outcome outcome = RobotCheck.check(sink.spec().values(), clock);
        if (outcome.ok()) {
            ok(built, what, outcome.detail());
        } else {
            fail(built, what, outcome.detail());
        }
    }

    private void ok(Assembly.Built built, String what, String detail) {
        out.println("  ok   " + built.id() + ": " + what + ": " + detail);
    }

    private void fail(Assembly.Built built, String what, String detail) {
        allOk = false;
        out.println("  FAIL " + built.id() + ": " + what + ": " + detail);
    }

    /** The warnings the library logs while it is open: a source says so when its index pattern matches nothing. */
    private static final class Capture implements AutoCloseable {
        private final ch.qos.logback.classic.Logger logger;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Capture() {
            org.slf4j.Logger library = LoggerFactory.getLogger("io.logalert");
            this.logger = library instanceof ch.qos.logback.classic.Logger l ? l : null;
            if (logger != null) {
                appender.start();
                logger.addAppender(appender);
            }
        }

        List<String> warnings() {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            if (logger != null) {
                logger.detachAppender(appender);
                appender.stop();
            }
        }
    }
}
