package io.logalert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the pipeline remembers the kinds of error it has seen, which tells new kinds and kinds back after a quiet
 * period from recurring ones. The registry is saved with the pipeline's state; it is bounded in size and age.
 *
 * @param backAfter   a known kind that recurs after at least this long without a record is marked back.
 *                    Default: 24 hours
 * @param maxKinds    the most kinds remembered per pipeline; beyond it the longest quiet are forgotten (and would be
 *                    marked new again). Default: 10,000
 * @param forgetAfter a kind quiet for this long is forgotten. Default: 30 days
 */
public record KindOptions(Duration backAfter, int maxKinds, Duration forgetAfter) {

    /** 24 hours, 10,000 kinds, 30 days. */
    public static final KindOptions DEFAULTS = new KindOptions(Duration.ofHours(24), 10_000, Duration.ofDays(30));

    /** Validates the options, naming every value out of range. */
    public KindOptions {
        List<String> problems = new ArrayList<>();
        if (backAfter == null || backAfter.isZero() || backAfter.isNegative()) {
            problems.add("backAfter must be positive, was " + backAfter);
        }
        if (maxKinds < 1) {
            problems.add("maxKinds must be at least 1, was " + maxKinds);
        }
        if (forgetAfter == null || backAfter == null || forgetAfter.compareTo(backAfter) < 0) {
            problems.add("forgetAfter (" + forgetAfter + ") must be at least backAfter (" + backAfter
                    + "), or a kind is forgotten before it can be marked back");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid kind options: " + String.join("; ", problems));
        }
    }
}
