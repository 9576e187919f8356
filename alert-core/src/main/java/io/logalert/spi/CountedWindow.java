package io.logalert.spi;

import io.logalert.TimeWindow;
import java.util.List;
import java.util.Objects;

/**
 * A recently read window and what it counted, kept for a bounded look-back so that records indexed after their window
 * was read (late arrivals) are found by counting the window again, and counted by kind.
 *
 * @param window the window
 * @param events records counted when it was read, late ones found since included
 * @param groups per project and key, what was counted; empty when the window held more kinds than are kept, and
 *               late records are then counted as a whole
 */
public record CountedWindow(TimeWindow window, long events, List<Count> groups) {

    /** What one kind counted in the window. */
    public record Count(String project, String key, long events) {

        /** Validates the record. */
        public Count {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(key, "key");
        }
    }

    /** Validates the record and copies its groups. */
    public CountedWindow {
        Objects.requireNonNull(window, "window");
        groups = List.copyOf(groups);
    }
}
