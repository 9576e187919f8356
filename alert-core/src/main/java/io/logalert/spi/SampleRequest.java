package io.logalert.spi;

import io.logalert.TimeWindow;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which record a digest shows as the sample of a group whose details a source deferred
 * ({@link io.logalert.LogEvent#detailsPending()}): any record of {@code window} with this project and message.
 *
 * @param window  the window the event was read from
 * @param project the event's project, {@link io.logalert.LogEvent#NO_PROJECT} when its records name none
 * @param message the event's message, exactly as the source handed it over
 * @param newest  when the event's newest record was logged ({@link io.logalert.LogEvent#lastTimestamp()}), when
 *                known: a source may look for a record at that instant first, instead of among all of the kind's
 */
public record SampleRequest(TimeWindow window, String project, String message, Optional<Instant> newest) {

    /** A request without the instant of the newest record. */
    public SampleRequest(TimeWindow window, String project, String message) {
        this(window, project, message, Optional.empty());
    }

    /** Validates the request. */
    public SampleRequest {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(newest, "newest");
    }
}
