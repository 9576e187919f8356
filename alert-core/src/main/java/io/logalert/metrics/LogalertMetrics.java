package io.logalert.metrics;

import io.logalert.AlertPipeline;
import io.logalert.DeliveryResult;
import io.logalert.RunReport;
import io.logalert.spi.ExpiredDelivery;
import io.logalert.spi.SinkObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The meters of one {@link AlertPipeline}, for a Micrometer {@link MeterRegistry}: what its runs read, grouped,
 * delivered and held back, how long reads and deliveries took, how far its checkpoint lags, and what its sinks'
 * services answered. Every meter is tagged {@code pipeline} (the pipeline's id), and {@code sink} (the sink's name)
 * where it is about one sink. Nothing is registered until {@link #bindTo(MeterRegistry)}.
 *
 * <pre>{@code
 * new LogalertMetrics(pipeline).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags besides pipeline</th><th>what</th></tr>
 *   <tr><td>logalert.runs</td><td>timer</td><td>outcome</td><td>runs and how long they took; outcome
 *       {@code success}, {@code source-failure}, {@code failure} (state or lease) or {@code standby}</td></tr>
 *   <tr><td>logalert.read.events</td><td>counter</td><td></td><td>records read, occurrences included</td></tr>
 *   <tr><td>logalert.late.events</td><td>counter</td><td></td><td>records found after their window was read</td></tr>
 *   <tr><td>logalert.groups</td><td>counter</td><td></td><td>error groups found in the windows read</td></tr>
 *   <tr><td>logalert.digests</td><td>counter</td><td></td><td>digests built</td></tr>
 *   <tr><td>logalert.deliveries</td><td>counter</td><td>sink, result</td><td>digests offered to a sink, by its
 *       answer: {@code delivered}, {@code retry-later}, {@code rejected}</td></tr>
 *   <tr><td>logalert.pending.digests</td><td>gauge</td><td>sink</td><td>digests still owed after the last run</td></tr>
 *   <tr><td>logalert.expired.digests</td><td>gauge</td><td>sink</td><td>digests no longer offered, not yet
 *       acknowledged</td></tr>
 *   <tr><td>logalert.held.events</td><td>counter</td><td>reason</td><td>records held back, {@code realert} or
 *       {@code silence}</td></tr>
 *   <tr><td>logalert.source.read</td><td>timer</td><td></td><td>reading and grouping one window</td></tr>
 *   <tr><td>logalert.delivery</td><td>timer</td><td>sink</td><td>one sink's delivery of a run's digests</td></tr>
 *   <tr><td>logalert.checkpoint.lag</td><td>time gauge</td><td></td><td>how far the checkpoint is behind now</td></tr>
 *   <tr><td>logalert.sink.answers</td><td>counter</td><td>sink, code</td><td>messages the service answered, by its
 *       code</td></tr>
 *   <tr><td>logalert.sink.throttle</td><td>timer</td><td>sink</td><td>waits for a slot of the rate budget</td></tr>
 * </table>
 *
 * <p>Counters and timers count the runs after binding; gauges read the pipeline's last report and health, and are
 * NaN before its first run. A binder may be bound to several registries. Thread-safe.
 */
public final class LogalertMetrics implements MeterBinder {

    /** The value of the {@code outcome} tag of a run that read its window (or had none due) and saved. */
    public static final String SUCCESS = "success";
    /** The value of the {@code outcome} tag of a run whose source could not read the window. */
    public static final String SOURCE_FAILURE = "source-failure";
    /** The value of the {@code outcome} tag of a run that failed otherwise: its state or its lease. */
    public static final String FAILURE = "failure";
    /** The value of the {@code outcome} tag of a run that stood by for another instance's lease. */
    public static final String STANDBY = "standby";

    private static final List<String> OUTCOMES = List.of(SUCCESS, SOURCE_FAILURE, FAILURE, STANDBY);

    private final AlertPipeline pipeline;
    private final Tags tags;

    /** The meters of {@code pipeline}, tagged with its id. */
    public LogalertMetrics(AlertPipeline pipeline) {
        this(pipeline, Tags.empty());
    }

    /** The meters of {@code pipeline}, tagged with its id and {@code extraTags} (an application's, say). */
    public LogalertMetrics(AlertPipeline pipeline, Iterable<Tag> extraTags) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.tags = Tags.of("pipeline", pipeline.id()).and(Objects.requireNonNull(extraTags, "extraTags"));
    }

    /**
     * Registers the pipeline's meters in {@code registry}, and listens to its runs and its sinks to keep them. The
     * counters and timers that a dashboard divides are registered at once, at zero, for every outcome and sink.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Recorder recorder = new Recorder(registry);
        for (String outcome : OUTCOMES) {
            recorder.runs(outcome);
        }
        recorder.counters();
        TimeGauge.builder("logalert.checkpoint.lag", pipeline, TimeUnit.SECONDS,
                        p -> p.health().lag().map(LogalertMetrics::seconds).orElse(Double.NaN))
                .description("How far the checkpoint, where the next window starts, is behind now by the "
                        + "pipeline's clock; NaN before the first run")
                .tags(tags).strongReference(true).register(registry);
        for (String sink : pipeline.sinkNames()) {
            recorder.sink(sink);
            pipeline.addSinkObserver(sink, new Observer(registry, tags.and("sink", sink)));
        }
        pipeline.addListener(recorder);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** The meters of one registry, kept from the runs' reports. */
    private final class Recorder implements Consumer<RunReport> {
        private final MeterRegistry registry;
        /** The sinks whose gauges are registered, those of renamed or removed sinks with digests pending included. */
        private final Set<String> sinks = ConcurrentHashMap.newKeySet();

        Recorder(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void accept(RunReport report) {
            runs(outcome(report)).record(report.elapsed());
            readEvents().increment(report.eventsRead());
            lateEvents().increment(report.lateEvents());
            groups().increment(report.groupCount());
            digests().increment(report.digests().size());
            held("realert").increment(report.heldByRealert());
            held("silence").increment(report.heldBySilence());
            report.sourceReadTime().ifPresent(sourceRead()::record);
            for (Map.Entry<String, List<DeliveryResult>> entry : report.deliveries().entrySet()) {
                sink(entry.getKey());
                for (DeliveryResult result : entry.getValue()) {
                    deliveries(entry.getKey(), result.status()).increment();
                }
            }
            report.deliveryTimes().forEach((sink, took) -> delivery(sink).record(took));
            report.pendingBySink().keySet().forEach(this::sink);
            report.expired().forEach(e -> sink(e.sink()));
        }

        void counters() {
            readEvents();
            lateEvents();
            groups();
            digests();
            held("realert");
            held("silence");
            sourceRead();
        }

        /** Registers the meters of {@code sink}, once. */
        void sink(String sink) {
            if (!sinks.add(sink)) {
                return;
            }
            for (DeliveryResult.Status status : DeliveryResult.Status.values()) {
                deliveries(sink, status);
            }
            delivery(sink);
            Gauge.builder("logalert.pending.digests", pipeline, p -> p.lastReport()
                            .map(r -> (double) r.pendingBySink().getOrDefault(sink, 0)).orElse(Double.NaN))
                    .description("Digests still owed to the sink after the last run; NaN before the first run")
                    .tags(tags).tag("sink", sink).strongReference(true).register(registry);
            Gauge.builder("logalert.expired.digests", pipeline, p -> p.lastReport()
                            .map(r -> (double) r.expired().stream().map(ExpiredDelivery::sink).filter(sink::equals)
                                    .count())
                            .orElse(Double.NaN))
                    .description("Digests the pipeline stopped offering to the sink, past the spool's age or size "
                            + "limit, kept until acknowledged; NaN before the first run")
                    .tags(tags).tag("sink", sink).strongReference(true).register(registry);
        }

        Timer runs(String outcome) {
            return Timer.builder("logalert.runs")
                    .description("Runs of the pipeline and how long each took, by outcome: success, source-failure "
                            + "(the window could not be read), failure (the state or the lease), standby (another "
                            + "instance holds the lease)")
                    .tags(tags).tag("outcome", outcome).register(registry);
        }

        Counter readEvents() {
            return Counter.builder("logalert.read.events").baseUnit("events")
                    .description("Records read from the source, occurrences of pre-counted records included")
                    .tags(tags).register(registry);
        }

        Counter lateEvents() {
            return Counter.builder("logalert.late.events").baseUnit("events")
                    .description("Records found after their window was read (indexed late), sent in late digests")
                    .tags(tags).register(registry);
        }

        Counter groups() {
            return Counter.builder("logalert.groups").baseUnit("groups")
                    .description("Error groups (kinds) found in the windows read")
                    .tags(tags).register(registry);
        }

        Counter digests() {
            return Counter.builder("logalert.digests").baseUnit("digests")
                    .description("Digests built, late ones included")
                    .tags(tags).register(registry);
        }

        Counter held(String reason) {
            return Counter.builder("logalert.held.events").baseUnit("events")
                    .description("Records held back from digests, by reason: realert (shown within its period) or "
                            + "silence; a later digest counts them")
                    .tags(tags).tag("reason", reason).register(registry);
        }

        Timer sourceRead() {
            return Timer.builder("logalert.source.read")
                    .description("Reading one window from the source and grouping it, failed reads included")
                    .tags(tags).register(registry);
        }

        Counter deliveries(String sink, DeliveryResult.Status status) {
            return Counter.builder("logalert.deliveries")
                    .description("Digests offered to the sink, by its answer: delivered, retry-later (pending, "
                            + "offered again) or rejected (pending, backing off)")
                    .tags(tags).tag("sink", sink).tag("result", result(status)).register(registry);
        }

        Timer delivery(String sink) {
            return Timer.builder("logalert.delivery")
                    .description("One delivery of a run's digests to the sink, throttle waits included")
                    .tags(tags).tag("sink", sink).register(registry);
        }

        private String outcome(RunReport report) {
            if (report.standby().isPresent()) {
                return STANDBY;
            }
            if (report.sourceFailure().isPresent()) {
                return SOURCE_FAILURE;
            }
            return report.failure().isPresent() ? FAILURE : SUCCESS;
        }

        private String result(DeliveryResult.Status status) {
            return status.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What one sink hears from its service, for one registry. */
    private static final class Observer implements SinkObserver {
        private final MeterRegistry registry;
        private final Tags tags;
        private final Timer throttle;

        Observer(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            this.throttle = Timer.builder("logalert.sink.throttle")
                    .description("Waits of the sink for a slot of its service's rate budget before a message")
                    .tags(tags).register(registry);
        }

        @Override
        public void answered(String code) {
            Counter.builder("logalert.sink.answers")
                    .description("Messages the sink's service answered, by the platform's code (DingTalk's errcode, "
                            + "0 when taken) or the HTTP status where it has none")
                    .tags(tags).tag("code", code).register(registry).increment();
        }

        @Override
        public void throttled(Duration waited) {
            throttle.record(waited);
        }
    }
}
