package io.logalert;

import io.logalert.spi.ExpiredDelivery;
import io.logalert.spi.PendingDelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The digests a pipeline still owes: pending ones, offered again on later runs, and expired ones, no longer offered
 * and reported in every run until acknowledged here. Obtained from {@link AlertPipeline#spool()}; reads and changes
 * the saved state (after a run in progress).
 */
public final class Spool {

    private final AlertPipeline pipeline;

    Spool(AlertPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The digests still to deliver, oldest first. */
    public List<PendingDelivery> pending() {
        return pipeline.currentState().pending();
    }

    /** The digests that expired undelivered and are not yet acknowledged. */
    public List<ExpiredDelivery> expired() {
        return pipeline.currentState().expired();
    }

    /**
     * Acknowledges the expired digest {@code digestId} (for every sink that owed it): it leaves the state and the
     * reports.
     *
     * @return how many expired deliveries were acknowledged
     */
    public int acknowledge(String digestId) {
        Objects.requireNonNull(digestId, "digestId");
        int[] removed = {0};
        pipeline.update(state -> {
            List<ExpiredDelivery> kept = new ArrayList<>(state.expired());
            int before = kept.size();
            kept.removeIf(e -> e.digest().id().equals(digestId));
            removed[0] = before - kept.size();
            return state.withExpired(kept);
        });
        return removed[0];
    }

    /**
     * Acknowledges every expired digest.
     *
     * @return how many expired deliveries were acknowledged
     */
    public int acknowledgeAll() {
        int[] removed = {0};
        pipeline.update(state -> {
            removed[0] = state.expired().size();
            return state.withExpired(List.of());
        });
        return removed[0];
    }
}
