package io.logalert.spi;

import java.util.Objects;

/**
 * The details of one record that a source deferred while counting, as {@link LogSource#details} returns them. Text
 * is never null: an unknown value is the empty string.
 *
 * @param thread     the thread name, or empty
 * @param logger     the logger name, or empty
 * @param stackTrace the stack trace stored apart from the message, or empty
 */
public record SampleDetails(String thread, String logger, String stackTrace) {

    /** Validates the record. */
    public SampleDetails {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(stackTrace, "stackTrace");
    }
}
