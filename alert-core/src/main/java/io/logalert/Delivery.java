package io.logalert;

import io.logalert.spi.AlertSink;
import io.logalert.spi.ExpiredDelivery;
import io.logalert.spi.PendingDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 6, deliver: each sink gets, in one call, the digests it still owes whose retry time has come (oldest first)
 * and the run's new digests. What it does not deliver joins the spool (pending); a pending digest older than the
 * spool's age limit, or beyond its size limit, expires: it moves to the expired list, which every report shows until
 * someone acknowledges it. Nothing leaves the state in silence.
 *
 * @param deliveries per sink name, the result of every digest offered
 * @param pending    what is still owed after the run, oldest first
 * @param expired    every expired digest not yet acknowledged, those of this run included
 * @param took       per sink name called, how long its {@code deliver} call took, on a monotonic clock
 */
record Delivery(Map<String, List<DeliveryResult>> deliveries, List<PendingDelivery> pending,
        List<ExpiredDelivery> expired, Map<String, Duration> took) {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    /** The longest a rejected digest waits between attempts: a fixed configuration is noticed within this. */
    private static final Duration MAX_REJECTED_BACKOFF = Duration.ofHours(1);
    private static final Comparator<PendingDelivery> OLDEST_FIRST = Comparator.comparing(PendingDelivery::since)
            .thenComparing(p -> p.digest().window().from()).thenComparing(p -> p.digest().id());

    /** Settings of the stage. */
    record Options(Duration interval, Duration maxAge, int maxPending) {
    }

    /**
     * Delivers {@code routed}, the run's new digests by sink name, and the digests {@code owed} whose retry time has
     * come.
     */
    static Delivery of(String pipelineId, List<AlertSink> sinks, List<PendingDelivery> owed,
            Map<String, List<Digest>> routed, List<ExpiredDelivery> expiredBefore, Instant now, Options options) {
        Map<String, List<DeliveryResult>> deliveries = new LinkedHashMap<>();
        Map<String, Duration> took = new LinkedHashMap<>();
        List<PendingDelivery> pending = new ArrayList<>();
        List<ExpiredDelivery> expired = new ArrayList<>(expiredBefore);
        Set<String> sinkNames = new HashSet<>();
        sinks.forEach(sink -> sinkNames.add(sink.name()));
        List<PendingDelivery> orphans = owed.stream().filter(p -> !sinkNames.contains(p.sink())).toList();
        if (!orphans.isEmpty()) {
            // a sink was renamed or removed: its digests are kept and reported, never dropped in silence
            pending.addAll(orphans);
            log.warn("pipeline '{}': {} digests are pending for sinks this pipeline no longer has: {}", pipelineId,
                    orphans.size(), orphans.stream().map(PendingDelivery::sink).distinct().toList());
        }
        for (AlertSink sink : sinks) {
            Map<String, PendingDelivery> retried = new LinkedHashMap<>();
            Map<String, Digest> offer = new LinkedHashMap<>();
            for (PendingDelivery p : owed.stream().filter(p -> p.sink().equals(sink.name())).sorted(OLDEST_FIRST)
                    .toList()) {
                if (!now.isBefore(p.since().plus(options.maxAge()))) {
                    expired.add(expire(p, now, "older than the spool's age limit of " + options.maxAge()));
                } else if (p.notBefore().isAfter(now)) {
                    pending.add(p);
                } else {
                    retried.put(p.digest().id(), p);
                    offer.put(p.digest().id(), p.digest());
                }
            }
            routed.getOrDefault(sink.name(), List.of()).forEach(digest -> offer.putIfAbsent(digest.id(), digest));
            if (offer.isEmpty()) {
                continue;
            }
            long started = System.nanoTime();
            List<DeliveryResult> results = deliver(sink, List.copyOf(offer.values()));
            took.put(sink.name(), Duration.ofNanos(System.nanoTime() - started));
            deliveries.put(sink.name(), results);
            for (DeliveryResult result : results) {
                if (result.isDelivered()) {
                    continue;
                }
                String digestId = result.digest().id();
                PendingDelivery before = retried.get(digestId);
                int attempts = 1 + (before == null ? 0 : before.attempts());
                pending.add(new PendingDelivery(sink.name(), offer.get(digestId), attempts, result.status(),
                        result.reason(), notBefore(result, attempts, now, options.interval()),
                        before == null ? now : before.since()));
                log.warn("pipeline '{}': sink {} did not deliver digest {} ({}, attempt {}): {}", pipelineId,
                        sink.name(), digestId, result.status(), attempts, result.reason());
            }
        }
        pending.sort(OLDEST_FIRST);
        int over = pending.size() - options.maxPending();
        if (over > 0) {
            for (PendingDelivery p : pending.subList(0, over)) {
                expired.add(expire(p, now, "beyond the spool's limit of " + options.maxPending() + " digests"));
            }
            pending = new ArrayList<>(pending.subList(over, pending.size()));
        }
        if (!expired.isEmpty()) {
            log.error("pipeline '{}': {} digests were never delivered and are no longer offered (expired); they stay "
                    + "in the state until acknowledged through AlertPipeline.spool(): {}", pipelineId,
                    expired.size(), expired.stream().map(e -> e.sink() + ":" + e.digest().id()).limit(10).toList());
        }
        return new Delivery(deliveries, pending, expired, took);
    }

    private static ExpiredDelivery expire(PendingDelivery p, Instant now, String why) {
        return new ExpiredDelivery(p.sink(), p.digest(), p.attempts(), p.lastReason(), p.since(), now, why);
    }

    /** Asks {@code sink} to deliver {@code offer}, holding it to one answer per digest. */
    private static List<DeliveryResult> deliver(AlertSink sink, List<Digest> offer) {
        List<DeliveryResult> answered;
        try {
            answered = sink.deliver(offer);
        } catch (RuntimeException e) {
            String reason = "the sink threw " + AlertPipeline.describe(e);
            return offer.stream().map(d -> DeliveryResult.retryLater(d, reason, Optional.empty())).toList();
        }
        Map<String, DeliveryResult> byId = new LinkedHashMap<>();
        for (DeliveryResult result : answered == null ? List.<DeliveryResult>of() : answered) {
            byId.putIfAbsent(result.digest().id(), result);
        }
        List<DeliveryResult> results = new ArrayList<>(offer.size());
        for (Digest digest : offer) {
            DeliveryResult result = byId.get(digest.id());
            results.add(result != null ? result
                    : DeliveryResult.retryLater(digest, "the sink gave no answer for this digest", Optional.empty()));
        }
        return results;
    }

    private static Instant notBefore(DeliveryResult result, int attempts, Instant now, Duration interval) {
        if (result.retryAfter().isPresent()) {
            return result.retryAfter().get();
        }
        if (result.status() == DeliveryResult.Status.RETRY_LATER) {
            return now;
        }
        // a rejection repeats until someone fixes the configuration: back off so it does not eat a rate budget
        Duration backoff = interval.multipliedBy(1L << Math.min(attempts - 1, 20));
        return now.plus(backoff.compareTo(MAX_REJECTED_BACKOFF) > 0 ? MAX_REJECTED_BACKOFF : backoff);
    }
}
