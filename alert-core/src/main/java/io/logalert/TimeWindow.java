package io.logalert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A half-open interval of time {@code [from, to)}: it holds {@code from} and every instant up to, but not
 * including, {@code to}. Consecutive windows share a bound, so a record is counted in exactly one of them.
 *
 * @param from the first instant inside the window
 * @param to   the first instant after the window; strictly after {@code from}
 */
public record TimeWindow(Instant from, Instant to) {

    /** Validates the bounds. */
    public TimeWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a window needs from before to, got [" + from + ", " + to + ")");
        }
    }

    /** Whether {@code instant} lies in {@code [from, to)}. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }

    /** The window's length. */
    public Duration duration() {
        return Duration.between(from, to);
    }

    /** The window that starts where this one ends and lasts {@code length}. */
    public TimeWindow next(Duration length) {
        return new TimeWindow(to, to.plus(length));
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
