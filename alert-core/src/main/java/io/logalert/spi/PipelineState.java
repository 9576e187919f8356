package io.logalert.spi;

import io.logalert.Silence;
import io.logalert.Silenced;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a pipeline remembers between runs, saved in one write after each run: a store that writes it
 * atomically gives the pipeline its guarantees.
 *
 * @param pipelineId      the pipeline
 * @param checkpoint      where the next window starts: every record before it has been counted, and its digests
 *                        delivered or pending here (or counted in {@code backlog})
 * @param pending         digests not yet delivered to some sink, oldest first
 * @param expired         digests the pipeline stopped offering, kept until acknowledged
 * @param kinds           the kinds of error the pipeline knows: when each was seen and shown, what realert holds
 * @param silences        the silences set on the pipeline, active or not yet removed
 * @param silenced        what silences held back, per silence and project, until a digest has said so
 * @param backlog         the counts of a catch-up in progress
 * @param aggregatorState what the aggregator learnt (its templates), in its own format; empty if it learns nothing
 * @param recent          the windows read within the late-arrival look-back, with what they counted
 * @param lease           who runs the pipeline, when instances share its state
 */
public record PipelineState(
        String pipelineId,
        Instant checkpoint,
        List<PendingDelivery> pending,
        List<ExpiredDelivery> expired,
        List<KnownKind> kinds,
        List<Silence> silences,
        List<Silenced> silenced,
        Optional<Backlog> backlog,
        String aggregatorState,
        List<CountedWindow> recent,
        Optional<Lease> lease) {

    /** Validates the state and copies its lists. */
    public PipelineState {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(checkpoint, "checkpoint");
        pending = List.copyOf(pending);
        expired = List.copyOf(expired);
        kinds = List.copyOf(kinds);
        silences = List.copyOf(silences);
        silenced = List.copyOf(silenced);
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(aggregatorState, "aggregatorState");
        recent = List.copyOf(recent);
        Objects.requireNonNull(lease, "lease");
    }

    /** The state of a pipeline that has remembered nothing yet and starts reading at {@code checkpoint}. */
    public static PipelineState initial(String pipelineId, Instant checkpoint) {
        return new PipelineState(pipelineId, checkpoint, List.of(), List.of(), List.of(), List.of(), List.of(),
                Optional.empty(), "", List.of(), Optional.empty());
    }

    /** This state with {@code checkpoint}. */
    public PipelineState withCheckpoint(Instant checkpoint) {
        return new PipelineState(pipelineId, checkpoint, pending, expired, kinds, silences, silenced, backlog,
                aggregatorState, recent, lease);
    }

    /** This state with {@code pending}. */
    public PipelineState withPending(List<PendingDelivery> pending) {
        return new PipelineState(pipelineId, checkpoint, pending, expired, kinds, silences, silenced, backlog,
                aggregatorState, recent, lease);
    }

    /** This state with {@code expired}. */
    public PipelineState withExpired(List<ExpiredDelivery> expired) {
        return new PipelineState(pipelineId, checkpoint, pending, expired, kinds, silences, silenced, backlog,
                aggregatorState, recent, lease);
    }

    /** This state with {@code silences}. */
    public PipelineState withSilences(List<Silence> silences) {
        return new PipelineState(pipelineId, checkpoint, pending, expired, kinds, silences, silenced, backlog,
                aggregatorState, recent, lease);
    }

    /** This state with {@code lease}. */
    public PipelineState withLease(Optional<Lease> lease) {
        return new PipelineState(pipelineId, checkpoint, pending, expired, kinds, silences, silenced, backlog,
                aggregatorState, recent, lease);
    }
}
