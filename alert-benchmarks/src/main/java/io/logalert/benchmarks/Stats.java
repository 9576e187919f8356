package io.logalert.benchmarks;

import java.util.Collection;

/** The one median every table of this module reports. */
final class Stats {

    private Stats() {
    }

    /** The middle value, or the mean of the two middle values of an even count; NaN without a value. */
    static double median(Collection<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
