package io.logalert;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One log record read by a {@link io.logalert.spi.LogSource}, or several identical ones counted in advance.
 *
 * <p>A source that counts inside its store (an Elasticsearch aggregation bucket, say) hands over one event with
 * {@code occurrences} set to the bucket's document count and {@code lastTimestamp} to its newest document, so that
 * aggregators weigh events rather than count objects. Text fields are never null: an unknown thread, logger or stack
 * trace is the empty string. Sources put a visible placeholder such as {@link #NO_PROJECT} where a required field is
 * missing, so that nothing is dropped.
 *
 * @param id            the source's identifier of the record (document id), or empty for a pre-counted event
 * @param timestamp     when the (first) occurrence was logged
 * @param lastTimestamp when the last occurrence was logged; equals {@code timestamp} for a single record
 * @param project       the project (application, service) that logged it
 * @param level         the log level as the source stores it, e.g. {@code ERROR}
 * @param message       the log message; may span several lines
 * @param thread        the thread name, or empty
 * @param logger        the logger name, or empty
 * @param stackTrace    the stack trace stored apart from the message, or empty
 * @param occurrences   how many identical records this event stands for, at least 1
 * @param fields        further fields the source was asked to carry, immutable
 * @param detailsPending whether the source counted the event without loading its details (thread, logger, stack
 *                      trace, and the level when it could not tell it while counting; they are then empty or
 *                      placeholders): the pipeline asks the source for them with
 *                      {@link io.logalert.spi.LogSource#details} for the events its digests show, once per run
 */
public record LogEvent(
        String id,
        Instant timestamp,
        Instant lastTimestamp,
        String project,
        String level,
        String message,
        String thread,
        String logger,
        String stackTrace,
        long occurrences,
        Map<String, String> fields,
        boolean detailsPending) {

    /** The project name used when a record names none. */
    public static final String NO_PROJECT = "(no project)";

    /** Validates the record; see the class description for what each component may hold. */
    public LogEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(stackTrace, "stackTrace");
        if (occurrences < 1) {
            throw new IllegalArgumentException("occurrences must be at least 1, was " + occurrences);
        }
        if (lastTimestamp.isBefore(timestamp)) {
            throw new IllegalArgumentException(
                    "lastTimestamp " + lastTimestamp + " is before timestamp " + timestamp);
        }
        fields = Map.copyOf(fields);
    }

    /** An event whose details are loaded, as sources that read every record hand over. */
    public LogEvent(String id, Instant timestamp, Instant lastTimestamp, String project, String level, String message,
            String thread, String logger, String stackTrace, long occurrences, Map<String, String> fields) {
        this(id, timestamp, lastTimestamp, project, level, message, thread, logger, stackTrace, occurrences, fields,
                false);
    }

    /** A single ERROR record with only the fields every event has. */
    public static LogEvent of(Instant timestamp, String project, String message) {
        return builder().timestamp(timestamp).project(project).message(message).build();
    }

    /** Starts a builder; {@code timestamp} and {@code message} are required, the rest has defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LogEvent}. Not thread-safe. */
    public static final class Builder {
        private String id = "";
        private Instant timestamp;
        private Instant lastTimestamp;
        private String project = NO_PROJECT;
        private String level = "ERROR";
        private String message;
        private String thread = "";
        private String logger = "";
        private String stackTrace = "";
        private long occurrences = 1;
        private Map<String, String> fields = Map.of();
        private boolean detailsPending;

        private Builder() {
        }

        /** The source's identifier of the record. Default: empty. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** When the record was logged. Required. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
            return this;
        }

        /** When the last of pre-counted records was logged. Default: the timestamp. */
        public Builder lastTimestamp(Instant lastTimestamp) {
            this.lastTimestamp = Objects.requireNonNull(lastTimestamp, "lastTimestamp");
            return this;
        }

        /** The project that logged it. Default: {@link #NO_PROJECT}. */
        public Builder project(String project) {
            this.project = Objects.requireNonNull(project, "project");
            return this;
        }

        /** The level. Default: {@code ERROR}. */
        public Builder level(String level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        /** The message. Required. */
        public Builder message(String message) {
            this.message = Objects.requireNonNull(message, "message");
            return this;
        }

        /** The thread name. Default: empty. */
        public Builder thread(String thread) {
            this.thread = Objects.requireNonNull(thread, "thread");
            return this;
        }

        /** The logger name. Default: empty. */
        public Builder logger(String logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /** A stack trace kept apart from the message. Default: empty. */
        public Builder stackTrace(String stackTrace) {
            this.stackTrace = Objects.requireNonNull(stackTrace, "stackTrace");
            return this;
        }

        /** How many identical records the event stands for. Default: 1. */
        public Builder occurrences(long occurrences) {
            this.occurrences = occurrences;
            return this;
        }

        /** Further fields. Default: none. */
        public Builder fields(Map<String, String> fields) {
            this.fields = Objects.requireNonNull(fields, "fields");
            return this;
        }

        /**
         * Whether the details (thread, logger, stack trace) are not loaded yet, for a source that counts first and
         * answers {@link io.logalert.spi.LogSource#details} later. Default: false.
         */
        public Builder detailsPending(boolean detailsPending) {
            this.detailsPending = detailsPending;
            return this;
        }

        /** Builds the event. */
        public LogEvent build() {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(message, "message");
            return new LogEvent(id, timestamp, lastTimestamp == null ? timestamp : lastTimestamp, project, level,
                    message, thread, logger, stackTrace, occurrences, fields, detailsPending);
        }
    }
}
