package io.logalert;

import io.logalert.spi.Backlog;
import io.logalert.spi.PipelineState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stage 1, plan the window: from the checkpoint up to {@code due = now − queryDelay}, at most {@code maxWindow}.
 * A backlog longer than one window is a catch-up: read window by window, counted into the state's backlog, and
 * delivered as one digest per project once the pipeline has caught up.
 *
 * @param window   the window to read, or empty when none is due
 * @param backlog  the catch-up in progress (started now or by an earlier run), or empty
 * @param caughtUp whether this window ends the backlog, so that its digests are due
 */
record WindowPlan(Optional<TimeWindow> window, Optional<Backlog> backlog, boolean caughtUp) {

    static WindowPlan of(PipelineState state, Instant due, Duration maxWindow) {
        Instant checkpoint = state.checkpoint();
        if (!due.isAfter(checkpoint)) {
            return new WindowPlan(Optional.empty(), state.backlog(), false);
        }
        Instant end = due.isAfter(checkpoint.plus(maxWindow)) ? checkpoint.plus(maxWindow) : due;
        TimeWindow window = new TimeWindow(checkpoint, end);
        Optional<Backlog> backlog = state.backlog();
        if (backlog.isEmpty() && end.isBefore(due)) {
            backlog = Optional.of(new Backlog(new TimeWindow(checkpoint, due), List.of()));
        }
        return new WindowPlan(Optional.of(window), backlog, backlog.isPresent() && end.equals(due));
    }
}
