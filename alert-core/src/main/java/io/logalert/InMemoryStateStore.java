package io.logalert;

import io.logalert.spi.PipelineState;
import io.logalert.spi.StateStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps pipeline state in memory: the default store. State survives runs, not restarts: after a restart a pipeline
 * starts again from its initial lookback, and digests still pending are lost. Type {@code memory}. Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {

    /** The type name of this store. */
    public static final String TYPE = "memory";

    private final ConcurrentMap<String, PipelineState> states = new ConcurrentHashMap<>();

    @Override
    public Optional<PipelineState> load(String pipelineId) {
        return Optional.ofNullable(states.get(pipelineId));
    }

    @Override
    public void save(PipelineState state) {
        Objects.requireNonNull(state, "state");
        states.put(state.pipelineId(), state);
    }

    @Override
    public void reset(String pipelineId) {
        states.remove(pipelineId);
    }

    @Override
    public String toString() {
        return "InMemoryStateStore" + states.keySet();
    }
}
