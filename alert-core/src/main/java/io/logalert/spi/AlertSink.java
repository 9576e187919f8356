package io.logalert.spi;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import java.util.List;

/**
 * Delivers digests to people: a chat robot, a console, a test recorder.
 *
 * <p>A sink receives every digest of a run in one call, so that it can order, pack and split them under its own
 * rate and size limits, and answers for each digest whether it was delivered, should be retried later, or was
 * rejected and why. A delivery failure is an answer, not an exception; an exception from {@code deliver} is taken as
 * "retry later" for every digest of the call. Sinks are used by one run at a time but may be shared by pipelines, so
 * an implementation guards what it shares (a rate budget, say).
 */
public interface AlertSink extends AutoCloseable {

    /**
     * Delivers {@code digests}.
     *
     * @return exactly one result for each digest given, holding that digest
     */
    List<DeliveryResult> deliver(List<Digest> digests);

    /**
     * Budgets shared with the sinks of other processes, when the pipeline's state store keeps them: a sink whose
     * receiver limits every sender together takes a slot of them before each message, besides its own. Called once,
     * when the pipeline is built. Default: ignored.
     */
    default void shareBudgets(SharedBudgets budgets) {
    }

    /**
     * Who to tell about the codes the service answered and the waits for its rate budget, for metrics. Called at most
     * once, before the first delivery. Default: ignored, for sinks with nothing to tell.
     */
    default void observe(SinkObserver observer) {
    }

    /** A name for reports and error messages, e.g. the type and a redacted address. Never contains a secret. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases connections. Default: nothing to release. */
    @Override
    default void close() {
    }
}
