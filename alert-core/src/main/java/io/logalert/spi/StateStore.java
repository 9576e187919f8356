package io.logalert.spi;

import java.util.Optional;

/**
 * Keeps what a pipeline must remember between runs: its checkpoint and the digests still to deliver. A pipeline
 * saves its whole state in one call after each run, so a store that writes it atomically gives the pipeline its
 * guarantees. Implementations are thread-safe.
 */
public interface StateStore extends AutoCloseable {

    /** The state last saved for {@code pipelineId}, or empty if none was. */
    Optional<PipelineState> load(String pipelineId);

    /** Replaces the state of {@code state.pipelineId()}. */
    void save(PipelineState state);

    /** Releases resources. Default: nothing to release. */
    @Override
    default void close() {
    }
}
