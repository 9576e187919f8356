package io.logalert;

import java.time.Instant;
import java.util.Objects;

/**
 * Occurrences of a kind that realert held back since it was last shown: a digest that shows the kind again says
 * "+{@code count} since {@code since}".
 *
 * @param count how many records were held back, occurrences included; at least 1
 * @param since the first of them
 */
public record HeldBack(long count, Instant since) {

    /** Validates the record. */
    public HeldBack {
        Objects.requireNonNull(since, "since");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
    }
}
