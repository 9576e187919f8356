package io.logalert.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when told to, so that tests of windows, schedules and rate limits never sleep.
 * Thread-safe.
 */
public final class ManualClock extends Clock {

    private volatile Instant now;
    private final ZoneId zone;

    /** A clock standing at {@code start}, in UTC. */
    public ManualClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    private ManualClock(Instant start, ZoneId zone) {
        this.now = Objects.requireNonNull(start, "start");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Moves the clock forward by {@code duration}; a negative duration is refused. */
    public synchronized ManualClock advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back; was asked to move " + duration);
        }
        now = now.plus(duration);
        return this;
    }

    /** Sets the clock to {@code instant}, which may be earlier (to test clock skew). */
    public synchronized ManualClock set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A clock in {@code zone} standing at this clock's current instant; it does not follow this one. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ManualClock(now, zone);
    }
}
