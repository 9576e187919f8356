package io.logalert.spi;

import java.util.Objects;

/**
 * The details of one record that a source deferred while counting, as {@link LogSource#details} returns them. Text
 * is never null: an unknown value is the empty string.
 *
 * @param thread     the thread name, or empty
 * @param logger     the logger name, or empty
 * @param stackTrace the stack trace stored apart from the message, or empty
 * @param level      the log level, or empty when the source knew it while counting (a read of one level) or the
 *                   record has none
 */
public record SampleDetails(String thread, String logger, String stackTrace, String level) {

    /** Details without a level: the source handed the events over with theirs. */
    public SampleDetails(String thread, String logger, String stackTrace) {
        this(thread, logger, stackTrace, "");
    }

    /** Validates the record. */
    public SampleDetails {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(stackTrace, "stackTrace");
        Objects.requireNonNull(level, "level");
    }
}
