package io.logalert;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The silences of one pipeline, kept in its state store: each change is saved at once (after a run in progress), so
 * it survives restarts and holds on every instance that shares the store. Obtained from
 * {@link AlertPipeline#silences()}.
 *
 * <pre>{@code
 * pipeline.silences().add(new Silence("deploy-42", Silence.Scope.PROJECT, "checkout",
 *         now, now.plus(Duration.ofHours(2)), "deploying checkout 4.2", "alice"));
 * }</pre>
 */
public final class Silences {

    private final AlertPipeline pipeline;

    Silences(AlertPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Adds {@code silence}, or replaces the silence of the same id.
     *
     * @throws io.logalert.spi.StateStoreException when the state cannot be loaded or saved
     */
    public void add(Silence silence) {
        Objects.requireNonNull(silence, "silence");
        pipeline.update(state -> {
            List<Silence> silences = new ArrayList<>(state.silences());
            silences.removeIf(s -> s.id().equals(silence.id()));
            silences.add(silence);
            return state.withSilences(silences);
        });
    }

    /** The silences set, active, ended or not yet started, as saved. */
    public List<Silence> list() {
        return pipeline.currentState().silences();
    }

    /**
     * Removes the silence {@code id}: it stops holding records back now; what it held is said in the next digests.
     *
     * @return whether there was such a silence
     */
    public boolean remove(String id) {
        Objects.requireNonNull(id, "id");
        boolean[] found = {false};
        pipeline.update(state -> {
            List<Silence> silences = new ArrayList<>(state.silences());
            found[0] = silences.removeIf(s -> s.id().equals(id));
            return state.withSilences(silences);
        });
        return found[0];
    }
}
