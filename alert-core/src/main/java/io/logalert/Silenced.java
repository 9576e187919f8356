package io.logalert;

import java.time.Instant;
import java.util.Objects;

/**
 * What one silence held back of one project: counted while the silence was active, shown once in the project's next
 * digest after it ended ("412 held by a silence 14:00–16:00").
 *
 * @param silenceId the silence
 * @param reason    why it was set
 * @param project   the project whose records it held
 * @param events    records held, occurrences included
 * @param from      when the silence started
 * @param until     when it ended (expired or was removed), or when it expires while it is still active
 */
public record Silenced(String silenceId, String reason, String project, long events, Instant from,
        Instant until) {

    /** Validates the record. */
    public Silenced {
        Objects.requireNonNull(silenceId, "silenceId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (events < 1) {
            throw new IllegalArgumentException("a silence that held nothing has nothing to say");
        }
    }

    /** This tally with {@code more} records added. */
    public Silenced plus(long more) {
        return new Silenced(silenceId, reason, project, events + more, from, until);
    }
}
