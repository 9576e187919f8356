package io.logalert;

import io.logalert.spi.ExpiredDelivery;
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
 * @param elapsed       how long the run took, measured on a monotonic clock (never the pipeline's clock, which may
 *                      be a test's or jump)
 * @param window        the window read, or empty when no new window was due yet or it could not be read
 * @param eventsRead    records counted in the window, occurrences included
 * @param groupCount    error groups found in the window
 * @param digests       digests built in this run
 * @param deliveries    per sink name, the result of every digest offered to it in this run, retries of earlier
 *                      digests included
 * @param pending       digests still owed to some sink after this run (sink and digest pairs)
 * @param expired       digests the pipeline stopped offering (past the spool's age or size limit), kept and reported
 *                      in every run until acknowledged through {@link AlertPipeline#spool()}
 * @param heldByRealert records of kinds shown within their realert period, held back in this run; a later digest
 *                      shows them as "+N since …"
 * @param heldBySilence records held back by silences in this run; the project's next digest after the silence ends
 *                      says so
 * @param catchingUp    while the pipeline reads a backlog after downtime, the stretch it was behind; its digests
 *                      come as one catch-up digest per project once it has caught up
 * @param failedWindow  the window that could not be read, when the source failed; the checkpoint then did not move
 * @param failure       why the run failed, when it did: the source could not read the window, or the state could
 *                      not be loaded or saved
 * @param lateEvents    records of earlier windows found in this run that were indexed after their window was read;
 *                      they come in late digests
 * @param standby       when another instance holds the pipeline's lease (a shared state store), who and until when:
 *                      this instance read and sent nothing
 * @param warnings      what the run noticed and went on with: late records and their lag, a clock that differs from
 *                      the source's, a checkpoint ahead of now brought back
 * @param checkpoint    where the pipeline's next window starts after this run: as saved, or as loaded when the run
 *                      saved nothing; on standby, the lease holder's; empty when the state could not be loaded
 * @param sourceReadTime how long reading the window took (the source's read and the aggregation), on a monotonic
 *                      clock, failed reads included; empty when no window was read
 * @param deliveryTimes per sink name called in this run, how long its delivery took (one call with every digest),
 *                      on a monotonic clock, throttle waits included
 * @param pendingBySink per sink name, the digests still owed to it after this run; the values add up to
 *                      {@code pending}
 */
public record RunReport(
        String pipelineId,
        Instant startedAt,
        Duration elapsed,
        Optional<TimeWindow> window,
        long eventsRead,
        int groupCount,
        List<Digest> digests,
        Map<String, List<DeliveryResult>> deliveries,
        int pending,
        List<ExpiredDelivery> expired,
        long heldByRealert,
        long heldBySilence,
        Optional<TimeWindow> catchingUp,
        Optional<TimeWindow> failedWindow,
        Optional<String> failure,
        long lateEvents,
        Optional<String> standby,
        List<String> warnings,
        Optional<Instant> checkpoint,
        Optional<Duration> sourceReadTime,
        Map<String, Duration> deliveryTimes,
        Map<String, Integer> pendingBySink) {

    /** Validates the report and copies its collections. */
    public RunReport {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(catchingUp, "catchingUp");
        Objects.requireNonNull(failedWindow, "failedWindow");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(standby, "standby");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(sourceReadTime, "sourceReadTime");
        warnings = List.copyOf(warnings);
        digests = List.copyOf(digests);
        deliveries = Map.copyOf(deliveries);
        expired = List.copyOf(expired);
        deliveryTimes = Map.copyOf(deliveryTimes);
        pendingBySink = Map.copyOf(pendingBySink);
    }

    /** Why the source could not read the window, when that is why the run failed. */
    public Optional<String> sourceFailure() {
        return failedWindow.isPresent() ? failure : Optional.empty();
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

    /**
     * Whether the run failed nothing and owes nothing: the window (if due) was read, every digest offered was
     * delivered, nothing is pending and nothing expired is waiting for acknowledgement.
     */
    public boolean isClean() {
        return failure.isEmpty() && pending == 0 && expired.isEmpty()
                && delivered() == deliveries.values().stream().mapToLong(List::size).sum();
    }

    /** One line for logs: the counts, not the digests. */
    @Override
    public String toString() {
        return "RunReport[" + pipelineId + ", window " + window.map(TimeWindow::toString).orElse("none")
                + catchingUp.map(w -> " (catching up " + w + ")").orElse("")
                + ", " + eventsRead + " events in " + groupCount + " groups, " + digests.size() + " digests, "
                + delivered() + " delivered, " + deferred() + " deferred, " + rejected() + " rejected, " + pending
                + " pending, " + expired.size() + " expired, " + heldByRealert + " held by realert, "
                + heldBySilence + " held by silences"
                + (lateEvents > 0 ? ", " + lateEvents + " late" : "")
                + standby.map(sb -> ", standing by: " + sb).orElse("")
                + failure.map(f -> ", failed" + failedWindow.map(w -> " reading " + w).orElse("") + ": " + f)
                        .orElse("")
                + ", took " + elapsed.toMillis() + " ms]";
    }

    private long count(DeliveryResult.Status status) {
        return deliveries.values().stream().flatMap(List::stream).filter(r -> r.status() == status).count();
    }
}
