package io.logalert.spi;

import java.util.Optional;

/**
 * Keeps what a pipeline must remember between runs ({@link PipelineState}). A pipeline loads its state at the start
 * of a run and saves the whole of it in one call at the end, so a store that writes atomically gives the pipeline
 * its guarantees: the checkpoint never moves without the digests of the windows it passed.
 *
 * <p>A store never starts over by itself: state it cannot read is a {@link StateStoreException} naming where it is
 * and what is wrong, and only {@link #reset(String)} forgets a pipeline's state. A store shared by several writers
 * refuses a save that would overwrite another writer's ({@link StateConflictException}). Implementations are
 * thread-safe; their abstract contract is {@code io.logalert.testing.StateStoreContract} in the test-jar.
 */
public interface StateStore extends AutoCloseable {

    /**
     * The state last saved for {@code pipelineId}, or empty if none was (or it was reset).
     *
     * @throws StateStoreException when the state exists but cannot be read, or the store cannot be reached
     */
    Optional<PipelineState> load(String pipelineId);

    /**
     * Replaces the state of {@code state.pipelineId()}, atomically: a later load sees all of it or none of it.
     *
     * @throws StateConflictException when another writer saved this pipeline's state since this store last loaded or
     *                                saved it
     * @throws StateStoreException    when the state cannot be written
     */
    void save(PipelineState state);

    /**
     * Forgets the state of {@code pipelineId}: its next run starts from its initial lookback. The only way a
     * pipeline starts over.
     *
     * @throws StateStoreException when the state cannot be removed
     */
    void reset(String pipelineId);

    /**
     * Whether several instances of an application may share this store's state of one pipeline (a store in a
     * database all of them reach, whose writes are conditional). A pipeline on a shared store runs under a
     * {@link Lease}: one instance reads and sends each window, the others stand by. Default: {@code false}.
     */
    default boolean isShared() {
        return false;
    }

    /**
     * Rate budgets kept in this store and shared by every process that uses it, for sinks whose receiver limits what
     * all its senders send together (a chat robot). Default: empty, budgets are per JVM.
     */
    default Optional<SharedBudgets> budgets() {
        return Optional.empty();
    }

    /** A name for reports and error messages, e.g. the type and where it keeps state. Never contains a secret. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases resources (connections, locks). Default: nothing to release. */
    @Override
    default void close() {
    }
}
