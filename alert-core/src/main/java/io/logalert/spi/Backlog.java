package io.logalert.spi;

import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import java.util.List;
import java.util.Objects;

/**
 * The groups counted so far of a backlog the pipeline is catching up after downtime: it reads the backlog in
 * windows of at most {@code maxWindow}, saving the counts with each window's checkpoint, and delivers one catch-up
 * digest per project once it has caught up.
 *
 * @param down   the stretch the pipeline was behind: from its checkpoint to when catching up started
 * @param groups the groups counted so far, one per project and key
 */
public record Backlog(TimeWindow down, List<ErrorGroup> groups) {

    /** Validates the record and copies its groups. */
    public Backlog {
        Objects.requireNonNull(down, "down");
        groups = List.copyOf(groups);
    }
}
