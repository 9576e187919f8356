package io.logalert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a pipeline is doing its job, from its last run and how far its checkpoint lags behind now; see
 * {@link AlertPipeline#health()}.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>{@link Status#UNKNOWN} before the first run.</li>
 *   <li>{@link Status#DOWN} when the last run failed: the source could not read the window, or the state could not
 *       be loaded or saved.</li>
 *   <li>{@link Status#DOWN} when the checkpoint lags more than {@code queryDelay + maxLagIntervals × interval} behind
 *       now: the pipeline stopped running, falls behind, or is still catching up after downtime. A pipeline that
 *       runs on time lags {@code queryDelay} plus at most one interval.</li>
 *   <li>{@link Status#UP} otherwise, standing by for another instance's lease included.</li>
 * </ol>
 *
 * @param status     up, down or unknown
 * @param reason     why, in a sentence a person can act on; never contains a secret
 * @param lastRun    when the last run started, by the pipeline's clock; empty before the first run
 * @param checkpoint where the next window starts; empty before the first run, or when the state was never loaded
 * @param lag        how far the checkpoint is behind now, by the pipeline's clock; empty when the checkpoint is unknown
 */
public record PipelineHealth(Status status, String reason, Optional<Instant> lastRun, Optional<Instant> checkpoint,
        Optional<Duration> lag) {

    /** A pipeline's state of health. */
    public enum Status {
        /** The last run succeeded and the checkpoint is recent. */
        UP,
        /** The last run failed, or the checkpoint lags too far behind. */
        DOWN,
        /** No run yet. */
        UNKNOWN
    }

    /** Checks every part. */
    public PipelineHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(lastRun, "lastRun");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(lag, "lag");
    }

    /** Whether the status is {@link Status#UP}. */
    public boolean isUp() {
        return status == Status.UP;
    }

    /**
     * The health after {@code last}, the pipeline's last run ({@code null} before the first).
     *
     * @param checkpoint the checkpoint as last known, which a run whose state could not be loaded leaves as it was
     * @param now        now, by the pipeline's clock
     * @param allowedLag the longest lag that is still up: {@code queryDelay + maxLagIntervals × interval}
     */
    static PipelineHealth of(RunReport last, Optional<Instant> checkpoint, Instant now, Duration allowedLag,
            int maxLagIntervals) {
        if (last == null) {
            return new PipelineHealth(Status.UNKNOWN, "no run yet", Optional.empty(), checkpoint, Optional.empty());
        }
        Optional<Instant> lastRun = Optional.of(last.startedAt());
        Optional<Duration> lag = checkpoint.map(c -> now.isAfter(c) ? Duration.between(c, now) : Duration.ZERO);
        if (last.sourceFailure().isPresent()) {
            return new PipelineHealth(Status.DOWN, "the source could not read the window "
                    + last.failedWindow().map(TimeWindow::toString).orElse("") + " in the last run (started "
                    + last.startedAt() + "): " + last.sourceFailure().get(), lastRun, checkpoint, lag);
        }
        if (last.failure().isPresent()) {
            return new PipelineHealth(Status.DOWN, "the last run (started " + last.startedAt() + ") failed: "
                    + last.failure().get(), lastRun, checkpoint, lag);
        }
        if (lag.isPresent() && lag.get().compareTo(allowedLag) > 0) {
            String why = last.catchingUp().isPresent()
                    ? "it is catching up on " + last.catchingUp().get() + " after downtime"
                    : "runs stopped, or each falls further behind";
            return new PipelineHealth(Status.DOWN, "the checkpoint " + checkpoint.get() + " lags " + lag.get()
                    + " behind now, more than the query delay and " + maxLagIntervals + " intervals (" + allowedLag
                    + "): " + why + "; the last run started " + last.startedAt(), lastRun, checkpoint, lag);
        }
        if (last.standby().isPresent()) {
            return new PipelineHealth(Status.UP, "standing by: " + last.standby().get(), lastRun, checkpoint, lag);
        }
        return new PipelineHealth(Status.UP, "the last run (started " + last.startedAt() + ") read up to "
                + checkpoint.map(Instant::toString).orElse("its checkpoint"), lastRun, checkpoint, lag);
    }
}
