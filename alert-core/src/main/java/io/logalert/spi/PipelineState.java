package io.logalert.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a pipeline remembers between runs.
 *
 * @param pipelineId the pipeline
 * @param checkpoint where the next window starts: every record before it has been counted
 * @param pending    digests not yet delivered to some sink, oldest first
 */
public record PipelineState(String pipelineId, Instant checkpoint, List<PendingDelivery> pending) {

    /** Validates the state and copies the pending list. */
    public PipelineState {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(checkpoint, "checkpoint");
        pending = List.copyOf(pending);
    }
}
