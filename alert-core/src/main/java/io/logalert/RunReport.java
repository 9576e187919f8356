package io.logalert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of a pipeline did.
 *
 * @param pipelineId    the pipeline
 * @param startedAt     when the run started, by the pipeline's clock
 * @param finishedAt    when it finished, by the pipeline's clock
 * @param window        the window read, or empty when no new window was due yet
 * @param eventsRead    records counted in the window, occurrences included
 * @param groupCount    error groups found in the window
 * @param digests       digests built from the window
 * @param deliveries    per sink name, the result of every digest offered to it in this run, retries of earlier
 *                      digests included
 * @param pending       digests still owed to some sink after this run (sink and digest pairs)
 * @param expired       undelivered digests dropped in this run because more than the pipeline's
 *                      {@code maxPending} were owed
 * @param sourceFailure why the window could not be read, when it could not; the checkpoint then did not move
 */
public record RunReport(
        String pipelineId,
        Instant startedAt,
        Instant finishedAt,
        Optional<TimeWindow> window,
        long eventsRead,
        int groupCount,
        List<Digest> digests,
        Map<String, List<DeliveryResult>> deliveries,
        int pending,
        int expired,
        Optional<String> sourceFailure) {

    /** Validates the report and copies its collections. */
    public RunReport {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(sourceFailure, "sourceFailure");
        digests = List.copyOf(digests);
        deliveries = Map.copyOf(deliveries);
    }

    /** How long the run took. */
    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt);
    }

    /** Deliveries that succeeded in this run, across sinks. */
    public long delivered() {
        return count(DeliveryResult.Status.DELIVERED);
    }

    /** Deliveries put off to a later run, across sinks. */
    public long deferred() {
        return count(DeliveryResult.Status.RETRY_LATER);
    }

    /** Deliveries the receiver refused, across sinks; their digests stay pending. */
    public long rejected() {
        return count(DeliveryResult.Status.REJECTED);
    }

    /** Whether the window was read and every digest offered in this run was delivered. */
    public boolean isClean() {
        return sourceFailure.isEmpty() && delivered() == deliveries.values().stream().mapToLong(List::size).sum();
    }

    /** One line for logs: the counts, not the digests. */
    @Override
    public String toString() {
        return "RunReport[" + pipelineId + ", window " + window.map(TimeWindow::toString).orElse("none due")
                + ", " + eventsRead + " events in " + groupCount + " groups, " + digests.size() + " digests, "
                + delivered() + " delivered, " + deferred() + " deferred, " + rejected() + " rejected, " + pending
                + " pending, " + expired + " expired" + sourceFailure.map(f -> ", source failed: " + f).orElse("")
                + ", took " + elapsed().toMillis() + " ms]";
    }

    private long count(DeliveryResult.Status status) {
        return deliveries.values().stream().flatMap(List::stream).filter(r -> r.status() == status).count();
    }
}
