package io.logalert;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a digest may show the same kind of error again. A kind shown within its period is held back: its
 * occurrences keep being counted, and the next digest that shows it says how many occurred since it was last shown
 * ("+312 since 14:05"); a kind whose period ends while it is held is shown with what was held even if it did not
 * recur. A new kind, or one back after a quiet period, is never held.
 *
 * <p>With {@code exponential}, the period doubles each time a kind is shown again while it keeps recurring, up to
 * {@code maxPeriod}, and starts over once the kind has been quiet for a whole period.
 *
 * @param period      the shortest time between two digests showing one kind; zero shows every window's count
 * @param exponential whether the period doubles while the kind keeps recurring
 * @param maxPeriod   the longest the period doubles to; at least {@code period}
 */
public record Realert(Duration period, boolean exponential, Duration maxPeriod) {

    /** Every window shows every kind it counted. */
    public static final Realert NONE = new Realert(Duration.ZERO, false, Duration.ZERO);

    /** The default: a kind is shown at most once an hour, with what was held meanwhile. */
    public static final Realert DEFAULT = every(Duration.ofHours(1));

    /** Validates the record. */
    public Realert {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(maxPeriod, "maxPeriod");
        if (period.isNegative()) {
            throw new IllegalArgumentException("realert period must not be negative, was " + period);
        }
        if (maxPeriod.compareTo(period) < 0) {
            throw new IllegalArgumentException("realert maxPeriod (" + maxPeriod + ") must be at least the period ("
                    + period + ")");
        }
    }

    /** A fixed period. */
    public static Realert every(Duration period) {
        return new Realert(period, false, period);
    }

    /** A period that starts at {@code period} and doubles while a kind keeps recurring, up to {@code maxPeriod}. */
    public static Realert exponential(Duration period, Duration maxPeriod) {
        return new Realert(period, true, maxPeriod);
    }

    /** The period after {@code step} doublings. */
    Duration period(int step) {
        if (!exponential || step == 0) {
            return period;
        }
        Duration doubled = period.multipliedBy(1L << Math.min(step, 30));
        return doubled.compareTo(maxPeriod) > 0 || doubled.isNegative() ? maxPeriod : doubled;
    }
}
