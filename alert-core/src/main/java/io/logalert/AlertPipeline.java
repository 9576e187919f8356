package io.logalert;

import io.logalert.aggregate.TemplateAggregator;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.Backlog;
import io.logalert.spi.ConfigException;
import io.logalert.spi.LogSource;
import io.logalert.spi.LogSourceProvider;
import io.logalert.spi.CountedWindow;
import io.logalert.spi.ExpiredDelivery;
import io.logalert.spi.KnownKind;
import io.logalert.spi.Lease;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.PluginDiscoveryException;
import io.logalert.spi.PluginProvider;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
import io.logalert.spi.Plugins;
import io.logalert.spi.SinkObserver;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateConflictException;
import io.logalert.spi.StateStoreException;
import io.logalert.spi.StateStoreProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads error records window by window, groups and counts them, and delivers digests to one or more sinks.
 *
 * <p>Each run reads the window {@code [checkpoint, min(now - queryDelay, checkpoint + maxWindow))}: windows are
 * contiguous and half-open, so a record is counted in exactly one of them, and a pipeline that was down catches up
 * in chunks of at most {@code maxWindow}. The checkpoint moves only when the window was read completely; a digest a
 * sink did not deliver stays pending and is offered again on later runs, and is reported in every
 * {@link RunReport} until it is delivered.
 *
 * <pre>{@code
 * try (AlertPipeline pipeline = AlertPipeline.builder()
 *         .id("checkout-errors")
 *         .source("elasticsearch", PluginConfig.of(Map.of("hosts", "http://localhost:9200", "index", "logs-*")))
 *         .addSink("dingtalk", PluginConfig.of(Map.of("access-token", token, "secret", secret)))
 *         .interval(Duration.ofMinutes(1))
 *         .build()) {
 *     pipeline.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: runs are single-flight, whether started by {@link #start()} or by {@link #runOnce()}.
 */
public final class AlertPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertPipeline.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A difference between this machine's clock and the source's that is worth a warning. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    private final String id;
    private final LogSource source;
    private final Aggregator aggregator;
    private final List<AlertSink> sinks;
    private final StateStore stateStore;
    private final Clock clock;
    private final Duration queryDelay;
    private final Duration interval;
    private final Duration initialLookback;
    private final Duration maxWindow;
    private final DigestOptions digestOptions;
    private final int maxPending;
    private final Duration spoolMaxAge;
    private final Realert realert;
    private final KindOptions kindOptions;
    private final Routing routing;
    private final String instance;
    private final Duration leaseTtl;
    private final Duration lateLookback;
    /** Whether the aggregator has taken back what it learnt, from the saved state; guarded by the run lock. */
    private boolean restored;
    private final Consumer<RunReport> onReport;
    private final int maxLagIntervals;
    /** Who hears of every run besides {@code onReport}: metrics, health indicators. */
    private final List<Consumer<RunReport>> listeners = new CopyOnWriteArrayList<>();
    /** Per sink name, the observer the sink was given at build, which passes what it hears to every observer added. */
    private final Map<String, SinkObservers> sinkObservers;
    private volatile RunReport lastReport;
    /** The checkpoint as last known: a run whose state cannot be loaded leaves it as it was. */
    private volatile Instant lastCheckpoint;
    private final List<AutoCloseable> owned;
    private final ReentrantLock runLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the last run left the checkpoint more than an interval behind: a started pipeline runs again at once. */
    private volatile boolean behind;
    private ScheduledThreadPoolExecutor scheduler;
    private volatile Thread schedulerThread;

    private AlertPipeline(Builder b, LogSource source, Aggregator aggregator, List<AlertSink> sinks,
            StateStore stateStore, List<AutoCloseable> owned) {
        this.id = b.id;
        this.source = source;
        this.aggregator = aggregator;
        this.sinks = List.copyOf(sinks);
        this.stateStore = stateStore;
        this.clock = b.clock;
        this.queryDelay = b.queryDelay;
        this.interval = b.interval;
        this.initialLookback = b.initialLookback;
        this.maxWindow = b.maxWindow;
        this.digestOptions = b.digestOptions;
        this.maxPending = b.maxPending;
        this.spoolMaxAge = b.spoolMaxAge;
        this.realert = b.realert;
        this.kindOptions = b.kindOptions;
        this.routing = new Routing(b.routes, sinks.stream().map(AlertSink::name).toList());
        this.instance = b.instance;
        this.leaseTtl = b.leaseTtl != null ? b.leaseTtl : max(interval.multipliedBy(3), Duration.ofSeconds(30));
        this.lateLookback = b.lateLookback;
        this.onReport = b.onReport;
        this.maxLagIntervals = b.maxLagIntervals;
        Map<String, SinkObservers> observers = new LinkedHashMap<>();
        for (AlertSink sink : this.sinks) {
            SinkObservers fanOut = new SinkObservers(id, sink.name());
            observers.put(sink.name(), fanOut);
            // once, before the first delivery, as the SPI promises; listeners join the fan-out later
            sink.observe(fanOut);
        }
        this.sinkObservers = Map.copyOf(observers);
        this.owned = List.copyOf(owned);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The pipeline's id, which keys its state. */
    public String id() {
        return id;
    }

    /**
     * Reads the next window, counts it, builds its digests, and delivers them with any digests still pending.
     * Failures of the source or of sinks are reported, not thrown.
     *
     * @return what the run did
     * @throws IllegalStateException when the pipeline is closed
     */
    public RunReport runOnce() {
        RunReport report;
        runLock.lock();
        try {
            if (closed.get()) {
                throw new IllegalStateException("pipeline '" + id + "' is closed");
            }
            report = run();
            report.checkpoint().ifPresent(c -> lastCheckpoint = c);
            lastReport = report;
        } finally {
            runLock.unlock();
        }
        // outside the lock, so that a slow listener never holds up silences, the spool or close()
        for (Consumer<RunReport> listener : listeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                log.warn("pipeline '{}': a run listener failed", id, e);
            }
        }
        return report;
    }

    /**
     * Also tells {@code listener} the report of every run from now on, scheduled or by {@link #runOnce()}, on the
     * thread that ran it, after the run; a listener that throws is logged and the others still hear. Unlike the
     * builder's {@code onReport}, any number of parties may listen (metrics, a health indicator, a log). Thread-safe.
     */
    public void addListener(Consumer<RunReport> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops telling {@code listener} of runs; nothing when it was not listening. Thread-safe. */
    public void removeListener(Consumer<RunReport> listener) {
        listeners.remove(listener);
    }

    /** The report of the last run, by {@link #start()} or {@link #runOnce()}; empty before the first run. */
    public Optional<RunReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /**
     * Whether the pipeline is doing its job: {@link PipelineHealth.Status#UNKNOWN} before the first run,
     * {@link PipelineHealth.Status#DOWN} when the last run failed (the source could not read the window, or the
     * state could not be loaded or saved) or the checkpoint lags more than {@code queryDelay} plus
     * {@link Builder#maxLagIntervals(int) maxLagIntervals} intervals behind now by the pipeline's clock, otherwise
     * {@link PipelineHealth.Status#UP}; with the reason. Cheap: reads no store. Thread-safe.
     */
    public PipelineHealth health() {
        return PipelineHealth.of(lastReport, Optional.ofNullable(lastCheckpoint), clock.instant(),
                queryDelay.plus(interval.multipliedBy(maxLagIntervals)), maxLagIntervals);
    }

    /** The names of the pipeline's sinks, in the order they were added. */
    public List<String> sinkNames() {
        return sinks.stream().map(AlertSink::name).toList();
    }

    /**
     * Also tells {@code observer} what the sink named {@code sinkName} hears from its service (codes answered,
     * throttle waits), from now on. Any number of observers may listen to a sink; each sink was given one
     * {@link SinkObserver} that passes on to them, when the pipeline was built. Thread-safe.
     *
     * @throws IllegalArgumentException when the pipeline has no sink of that name
     */
    public void addSinkObserver(String sinkName, SinkObserver observer) {
        Objects.requireNonNull(observer, "observer");
        SinkObservers fanOut = sinkObservers.get(Objects.requireNonNull(sinkName, "sinkName"));
        if (fanOut == null) {
            throw new IllegalArgumentException("pipeline '" + id + "' has no sink named '" + sinkName
                    + "'; its sinks: " + sinkNames());
        }
        fanOut.add(observer);
    }

    private RunReport run() {
        Outcome out = new Outcome(clock.instant());
        PipelineState loaded;
        try {
            loaded = stateStore.load(id).orElse(null);
        } catch (RuntimeException e) {
            return out.failed("cannot load the pipeline's state from " + stateStore.name() + ": " + describe(e)
                    + "; nothing is read or sent until it can");
        }
        Instant localDue = out.startedAt.minus(queryDelay).truncatedTo(ChronoUnit.MILLIS);
        PipelineState state = loaded != null ? loaded : PipelineState.initial(id, localDue.minus(initialLookback));
        out.checkpoint = Optional.of(state.checkpoint());

        // several instances on one shared store: the lease says which one runs
        Optional<Instant> leaseUntil = Optional.empty();
        if (stateStore.isShared()) {
            Instant now = clock.instant();
            Optional<Lease> lease = state.lease();
            if (lease.isPresent() && !lease.get().allows(instance, now)) {
                restored = false;
                behind = false;
                out.standby = Optional.of("instance " + lease.get().owner() + " holds the lease until "
                        + lease.get().expiresAt());
                return out.report();
            }
            if (lease.isEmpty() || !lease.get().owner().equals(instance)) {
                // taking over: what the other instance learnt is in the state, not in this aggregator
                restored = false;
            }
            leaseUntil = Optional.of(now.plus(leaseTtl));
            state = state.withLease(Optional.of(new Lease(instance, leaseUntil.get())));
            try {
                stateStore.save(state);
            } catch (StateConflictException e) {
                restored = false;
                behind = false;
                out.standby = Optional.of("another instance took the lease first");
                return out.report();
            } catch (RuntimeException e) {
                return out.failed("cannot take the pipeline's lease in " + stateStore.name() + ": " + describe(e));
            }
        }
        try {
            restore(state);
        } catch (RuntimeException e) {
            return out.failed(describe(e));
        }
        Instant due;
        Optional<String> clockFailure = Optional.empty();
        try {
            due = due(out);
        } catch (RuntimeException e) {
            // the source cannot even tell its time: it cannot read either; owed digests are still delivered below
            due = localDue;
            clockFailure = Optional.of(describe(e));
        }

        // a checkpoint ahead of now was moved there by a clock that ran ahead: bring it back
        if (state.checkpoint().isAfter(due)) {
            out.warn("the checkpoint " + state.checkpoint() + " is ahead of now less the query delay (" + due
                    + "): the clock ran ahead and was set back; reading again from " + due);
            state = state.withCheckpoint(due);
        }

        // records that arrived after their window was read
        LateArrivals late = clockFailure.isPresent() ? LateArrivals.none(state.recent())
                : LateArrivals.of(source, aggregator, state.recent(), out.startedAt);
        late.failure().ifPresent(f -> out.warn("cannot count recent windows again for late records: " + f));
        if (late.events() > 0) {
            out.lateEvents = late.events();
            out.warn(late.events() + " records of " + late.found().keySet() + " were indexed after their window was "
                    + "read, up to " + late.lateBy().map(Duration::toString).orElse("?") + " after it closed; "
                    + "they are counted now, late; a queryDelay (" + queryDelay + ") above the ingest lag avoids it");
        }

        // plan the window
        WindowPlan plan = WindowPlan.of(state, due, maxWindow);
        Instant checkpoint = state.checkpoint();
        Optional<Backlog> backlog = plan.backlog();
        SampledGroups groups = new SampledGroups(List.of(), Map.of());
        TimeWindow shownWindow = null;
        Optional<CountedWindow> counted = Optional.empty();
        if (plan.window().isPresent()) {
            // read and aggregate
            TimeWindow window = plan.window().get();
            WindowRead read;
            if (clockFailure.isPresent()) {
                read = WindowRead.notRead(clockFailure.get());
            } else {
                read = WindowRead.of(source, aggregator, window);
                out.sourceReadTime = Optional.of(read.took());
            }
            if (read.failure().isPresent()) {
                log.warn("pipeline '{}': cannot read window {} from {}: {}", id, window, source.name(),
                        read.failure().get());
                out.failedWindow = Optional.of(window);
                out.failure = read.failure();
                out.catchingUp = backlog.map(Backlog::down);
                behind = false;
            } else {
                out.window = Optional.of(window);
                out.eventsRead = read.events();
                out.groupCount = read.groups().size();
                checkpoint = window.to();
                counted = Optional.of(LateArrivals.counted(window, read.events(), read.groups()));
                if (backlog.isPresent()) {
                    backlog = Optional.of(accumulate(backlog.get(), read));
                    if (plan.caughtUp()) {
                        groups = SampledGroups.of(backlog.get());
                        shownWindow = new TimeWindow(backlog.get().down().from(), checkpoint);
                    }
                } else {
                    groups = new SampledGroups(read.groups(), read.samples());
                    shownWindow = window;
                }
            }
        }
        if (out.failedWindow.isPresent()) {
            // the window is read again next run; digests still owed, and late ones, are delivered meanwhile
            backlog = state.backlog();
        }

        // suppress (silences, realert, new and back kinds), then build digests: only for a window whose digests are
        // due, so that a catch-up says everything once, when it has caught up
        Instant now = clock.instant();
        List<KnownKind> kinds = state.kinds();
        List<Silenced> silenced = state.silenced();
        Optional<Suppression> suppressed = shownWindow == null ? Optional.empty()
                : Optional.of(Suppression.of(groups, shownWindow.to(), now, kinds, state.silences(), silenced,
                        realert, kindOptions));
        // before the digests are built, delivered or kept as pending, so that they are complete wherever they go;
        // the window's digests and the late ones together, so that the source is asked once per run
        List<SampledGroups> toShow = new ArrayList<>();
        suppressed.ifPresent(suppression -> toShow.add(suppression.shown()));
        toShow.addAll(late.found().values());
        Iterator<List<ErrorGroup>> completed = withDetails(toShow, out::warn).iterator();
        List<Digest> digests = new ArrayList<>();
        if (suppressed.isPresent()) {
            Suppression suppression = suppressed.get();
            Optional<TimeWindow> catchUp = plan.caughtUp() ? backlog.map(Backlog::down) : Optional.empty();
            digests.addAll(Digests.build(id, shownWindow, completed.next(), suppression.released(), catchUp,
                    digestOptions));
            kinds = suppression.kinds();
            silenced = suppression.silenced();
            out.heldByRealert = suppression.heldByRealert();
            out.heldBySilence = suppression.heldBySilence();
        }
        for (TimeWindow window : late.found().keySet()) {
            digests.addAll(Digests.late(id, window, completed.next(), out.startedAt, digestOptions));
        }
        if (plan.caughtUp() && out.failedWindow.isEmpty()) {
            backlog = Optional.empty();
        }
        out.digests = digests;
        out.catchingUp = out.catchingUp.isPresent() ? out.catchingUp : backlog.map(Backlog::down);

        // an owner that was paused past its lease may have been replaced: it sends nothing and saves nothing
        if (leaseUntil.isPresent() && !clock.instant().isBefore(leaseUntil.get())) {
            behind = false;
            return out.failed("the lease ran out during the run (the process was paused, or the run was slow): "
                    + "nothing was sent or saved, another instance may have taken over");
        }

        // deliver, then save everything in one write: the checkpoint never moves without its digests
        Delivery delivery = deliver(state, digests, now);
        out.deliveries = delivery.deliveries();
        out.pending = delivery.pending().size();
        out.expired = delivery.expired();
        out.deliveryTimes = delivery.took();
        Map<String, Integer> pendingBySink = new LinkedHashMap<>();
        delivery.pending().forEach(p -> pendingBySink.merge(p.sink(), 1, Integer::sum));
        out.pendingBySink = pendingBySink;
        PipelineState next = new PipelineState(id, checkpoint, delivery.pending(), delivery.expired(),
                kinds, activeOrHolding(state.silences(), silenced, now), silenced, backlog,
                aggregator.learntState(),
                LateArrivals.within(late.recent(), counted, checkpoint.minus(lateLookback)),
                leaseUntil.map(until -> new Lease(instance, clock.instant().plus(leaseTtl))));
        Optional<String> saveFailure = save(next);
        if (saveFailure.isEmpty()) {
            out.checkpoint = Optional.of(checkpoint);
        }
        saveFailure.ifPresent(f -> out.failure = Optional.of(out.failure.map(r -> r + "; and ").orElse("") + f));
        behind = out.failure.isEmpty() && plan.window().isPresent() && !checkpoint.plus(interval).isAfter(due);
        RunReport report = out.report();
        log.debug("pipeline '{}': {}", id, report);
        return report;
    }

    /**
     * Where windows may end now: {@code queryDelay} before the pipeline's clock, and before the source's own clock
     * when it has one, so that a local clock running ahead never moves the checkpoint past records not yet written.
     */
    private Instant due(Outcome out) {
        Instant local = out.startedAt;
        Optional<Instant> sourceNow = source.now();
        if (sourceNow.isPresent()) {
            Duration skew = Duration.between(sourceNow.get(), local);
            if (skew.abs().compareTo(MAX_CLOCK_SKEW) > 0) {
                out.warn("this machine's clock is " + skew + " off the clock of " + source.name()
                        + "; windows end by the earlier of the two");
            }
            if (sourceNow.get().isBefore(local)) {
                local = sourceNow.get();
            }
        }
        return local.minus(queryDelay).truncatedTo(ChronoUnit.MILLIS);
    }

    private Delivery deliver(PipelineState state, List<Digest> digests, Instant now) {
        return Delivery.of(id, sinks, state.pending(), routing.route(digests), state.expired(), now,
                new Delivery.Options(interval, spoolMaxAge, maxPending));
    }

    /** The aggregator takes back what it learnt, from the saved state, once per taking over. */
    private void restore(PipelineState state) {
        if (restored) {
            return;
        }
        try {
            aggregator.restoreLearntState(state.aggregatorState());
        } catch (IllegalArgumentException e) {
            throw new StateStoreException("the aggregator " + aggregator.name() + " cannot take back what it "
                    + "learnt from the saved state in " + stateStore.name() + ": " + describe(e)
                    + "; reset the pipeline to start over");
        }
        restored = true;
    }

    /** Saves {@code state}; a failure is logged and returned, never thrown, so the run still reports. */
    private Optional<String> save(PipelineState state) {
        try {
            stateStore.save(state);
            return Optional.empty();
        } catch (RuntimeException e) {
            String failure = "cannot save the pipeline's state to " + stateStore.name() + ": " + describe(e)
                    + "; the window will be read again, and digests delivered in this run may be sent twice";
            log.error("pipeline '{}': {}", id, failure);
            return Optional.of(failure);
        }
    }

    /** The silences still to keep: active ones, and ended ones whose held records no digest has shown yet. */
    private static List<Silence> activeOrHolding(List<Silence> silences, List<Silenced> silenced, Instant now) {
        return silences.stream().filter(s -> s.isActive(now) || now.isBefore(s.createdAt())
                || silenced.stream().anyMatch(t -> t.silenceId().equals(s.id()))).toList();
    }

    /**
     * The groups of each of {@code parts}, in order, those whose sample a digest shows and whose details the source
     * deferred completed with the sample's thread, asked in one call for all of them. A source that cannot answer
     * costs the threads, never the counts: the digests go out without them, as a digest with a failed read would not
     * go out at all, and {@code warn} says so.
     */
    private List<List<ErrorGroup>> withDetails(List<SampledGroups> parts, Consumer<String> warn) {
        Set<SampleRequest> wanted = new LinkedHashSet<>();
        for (SampledGroups part : parts) {
            for (ErrorGroup group : Digests.shown(part.groups(), digestOptions)) {
                part.requestFor(group).ifPresent(wanted::add);
            }
        }
        List<List<ErrorGroup>> asCounted = parts.stream().map(SampledGroups::groups).toList();
        if (wanted.isEmpty()) {
            return asCounted;
        }
        Map<SampleRequest, SampleDetails> details;
        try {
            details = source.details(List.copyOf(wanted));
        } catch (RuntimeException e) {
            boolean one = wanted.size() == 1;
            warn.accept("cannot load the sample " + (one ? "thread of 1 group" : "threads of " + wanted.size()
                    + " groups") + (source.name().isEmpty() ? "" : " from " + source.name()) + ": " + describe(e)
                    + "; the digests are delivered with every count but without " + (one ? "it" : "them"));
            return asCounted;
        }
        List<List<ErrorGroup>> completed = new ArrayList<>(parts.size());
        for (SampledGroups part : parts) {
            List<ErrorGroup> groups = new ArrayList<>(part.groups().size());
            for (ErrorGroup group : part.groups()) {
                Optional<SampleDetails> found = part.requestFor(group).map(details::get);
                groups.add(found.map(d -> group.withSampleThread(d.thread())).orElse(group));
            }
            completed.add(groups);
        }
        return completed;
    }

    /**
     * {@code backlog} with the groups of {@code read} counted in. A group already in the backlog keeps its sample, as
     * {@link ErrorGroup#plus} does, and with it the record to ask for that sample's details.
     */
    private static Backlog accumulate(Backlog backlog, WindowRead read) {
        Map<String, ErrorGroup> merged = new LinkedHashMap<>();
        Map<String, SampleRequest> samples = new HashMap<>(SampledGroups.of(backlog).samples());
        for (ErrorGroup group : backlog.groups()) {
            merged.put(WindowRead.groupId(group), group);
        }
        for (ErrorGroup group : read.groups()) {
            String groupId = WindowRead.groupId(group);
            ErrorGroup before = merged.get(groupId);
            if (before != null) {
                merged.put(groupId, before.plus(group));
            } else {
                merged.put(groupId, group);
                Optional.ofNullable(read.samples().get(groupId)).ifPresent(s -> samples.put(groupId, s));
            }
        }
        List<Backlog.Sample> kept = new ArrayList<>();
        for (Map.Entry<String, ErrorGroup> entry : merged.entrySet()) {
            SampleRequest sample = samples.get(entry.getKey());
            if (sample != null) {
                kept.add(new Backlog.Sample(entry.getValue().project(), entry.getValue().key(), sample));
            }
        }
        return new Backlog(backlog.down(), List.copyOf(merged.values()), kept);
    }

    /**
     * The digests {@code window} would produce, read from the source now, without realert or silences, sending
     * nothing and saving nothing: to try a grouping or a layout on real data. Read in windows of at most
     * {@code maxWindow}, counted as one; the aggregator starts from what the pipeline has learnt and is put back
     * afterwards, so a preview changes no key.
     *
     * @throws io.logalert.spi.LogSourceException when the source cannot read the window
     * @throws StateStoreException                when the saved state cannot be read
     */
    public List<Digest> preview(TimeWindow window) {
        Objects.requireNonNull(window, "window");
        runLock.lock();
        try {
            restore(stateStore.load(id).orElseGet(() -> PipelineState.initial(id, clock.instant())));
            String learnt = aggregator.learntState();
            try {
                Backlog counted = new Backlog(window, List.of());
                for (Instant from = window.from(); from.isBefore(window.to()); from = from.plus(maxWindow)) {
                    Instant to = from.plus(maxWindow).isBefore(window.to()) ? from.plus(maxWindow) : window.to();
                    WindowRead read = WindowRead.of(source, aggregator, new TimeWindow(from, to));
                    if (read.failure().isPresent()) {
                        throw new io.logalert.spi.LogSourceException(source.name(), "cannot read "
                                + new TimeWindow(from, to) + ": " + read.failure().get());
                    }
                    counted = accumulate(counted, read);
                }
                List<ErrorGroup> shown = withDetails(List.of(SampledGroups.of(counted)),
                        warning -> log.warn("pipeline '{}': preview of {}: {}", id, window, warning)).get(0);
                return Digests.build(id, window, shown, digestOptions);
            } finally {
                aggregator.restoreLearntState(learnt);
            }
        } finally {
            runLock.unlock();
        }
    }

    /**
     * The pipeline's silences: add, list and remove them; each is saved in the state store at once. A run in
     * progress finishes first.
     */
    public Silences silences() {
        return new Silences(this);
    }

    /** The pipeline's spool: digests still pending, and expired ones to acknowledge. */
    public Spool spool() {
        return new Spool(this);
    }

    /**
     * Forgets everything the pipeline remembers, through {@link StateStore#reset(String)}: its next run starts
     * from the initial lookback, as a new pipeline would. The only way to start over after state that cannot be
     * read.
     */
    public void reset() {
        runLock.lock();
        try {
            // without loading: reset is the way out of state that cannot be read
            stateStore.reset(id);
            restored = false;
        } finally {
            runLock.unlock();
        }
    }

    /** The saved state, or a fresh one, read under the run lock. */
    PipelineState currentState() {
        runLock.lock();
        try {
            return stateStore.load(id).orElseGet(this::initialState);
        } finally {
            runLock.unlock();
        }
    }

    /** The state of a pipeline that has none saved: it starts the initial lookback before now less the delay. */
    private PipelineState initialState() {
        return PipelineState.initial(id,
                clock.instant().minus(queryDelay).minus(initialLookback).truncatedTo(ChronoUnit.MILLIS));
    }

    /** Changes the saved state under the run lock. */
    void update(UnaryOperator<PipelineState> change) {
        runLock.lock();
        try {
            stateStore.save(change.apply(stateStore.load(id).orElseGet(this::initialState)));
        } finally {
            runLock.unlock();
        }
    }

    /** The pipeline's clock, for the API objects that stamp what they change. */
    Clock clock() {
        return clock;
    }

    /**
     * Runs the pipeline every {@code interval}, one run at a time, until {@link #close()}; a pipeline that is
     * behind (after downtime, or with a window capped by {@code maxWindow}) runs again at once until it has caught
     * up. Each report goes to the listeners ({@link #addListener(Consumer)}), then to the builder's {@code onReport}.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        synchronized (this) {
            if (closed.get()) {
                throw new IllegalStateException("pipeline '" + id + "' is closed");
            }
            if (scheduler != null) {
                throw new IllegalStateException("pipeline '" + id + "' is already started");
            }
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "logalert-" + id);
                thread.setDaemon(true);
                schedulerThread = thread;
                return thread;
            });
            // close() lets a run in progress finish, but starts no new one
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler = executor;
            executor.execute(this::scheduledRun);
        }
    }

    private void scheduledRun() {
        Duration delay = interval;
        try {
            RunReport report = runOnce();
            if (behind) {
                delay = Duration.ZERO;
            }
            try {
                onReport.accept(report);
            } catch (RuntimeException e) {
                log.warn("pipeline '{}': the report listener failed", id, e);
            }
        } catch (Throwable e) {
            // whatever a plug-in throws, the schedule goes on: a pipeline that silently stops is the worst outcome
            if (!closed.get()) {
                log.error("pipeline '{}': run failed; next run in {}", id, interval, e);
            }
        } finally {
            if (!closed.get()) {
                try {
                    scheduler.schedule(this::scheduledRun, delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shutDown) {
                    // closed meanwhile: nothing more to schedule
                }
            }
        }
    }

    /**
     * Stops scheduling, lets a run in progress finish (waiting up to 30 seconds, then interrupting it), and closes
     * the plug-ins the pipeline created from type names. Plug-in instances given to the builder belong to the caller
     * and stay open. May be called from the {@code onReport} listener. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledThreadPoolExecutor running;
        synchronized (this) {
            running = scheduler;
        }
        boolean onSchedulerThread = Thread.currentThread() == schedulerThread;
        if (running != null) {
            running.shutdown();
            if (!onSchedulerThread) {
                awaitRun(running);
            }
        }
        try {
            // a runOnce() called by the application may still be going
            if (!onSchedulerThread && runLock.tryLock(30, TimeUnit.SECONDS)) {
                runLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseLease();
        closeAll(owned);
    }

    /** Hands a shared store's lease back, so that another instance takes over at once rather than after its TTL. */
    private void releaseLease() {
        if (!stateStore.isShared() || !runLock.tryLock()) {
            return;
        }
        try {
            Optional<PipelineState> state = stateStore.load(id);
            if (state.isPresent() && state.get().lease().map(l -> l.owner().equals(instance)).orElse(false)) {
                stateStore.save(state.get().withLease(Optional.of(new Lease(instance, clock.instant()))));
            }
        } catch (RuntimeException e) {
            log.warn("pipeline '{}': cannot hand its lease back ({}); another instance takes over when it expires",
                    id, describe(e));
        } finally {
            runLock.unlock();
        }
    }

    private void awaitRun(ScheduledThreadPoolExecutor running) {
        try {
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("pipeline '{}': a run did not finish within 30 s of close; interrupting it", id);
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("cannot close {}: {}", closeable, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "AlertPipeline[" + id + ", source " + source.name() + ", aggregator " + aggregator.name() + ", sinks "
                + sinks.stream().map(AlertSink::name).toList() + "]";
    }

    static String describe(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** What a run did so far, turned into its {@link RunReport} when it ends, however it ends. */
    private final class Outcome {
        final Instant startedAt;
        final long started = System.nanoTime();
        Optional<TimeWindow> window = Optional.empty();
        long eventsRead;
        int groupCount;
        List<Digest> digests = List.of();
        Map<String, List<DeliveryResult>> deliveries = Map.of();
        int pending;
        List<ExpiredDelivery> expired = List.of();
        long heldByRealert;
        long heldBySilence;
        Optional<TimeWindow> catchingUp = Optional.empty();
        Optional<TimeWindow> failedWindow = Optional.empty();
        Optional<String> failure = Optional.empty();
        long lateEvents;
        Optional<String> standby = Optional.empty();
        final List<String> warnings = new ArrayList<>();
        Optional<Instant> checkpoint = Optional.empty();
        Optional<Duration> sourceReadTime = Optional.empty();
        Map<String, Duration> deliveryTimes = Map.of();
        Map<String, Integer> pendingBySink = Map.of();

        Outcome(Instant startedAt) {
            this.startedAt = startedAt;
        }

        void warn(String warning) {
            log.warn("pipeline '{}': {}", id, warning);
            warnings.add(warning);
        }

        /** A run that failed before anything was sent: it waits for the next interval, never loops at once. */
        RunReport failed(String why) {
            log.error("pipeline '{}': {}", id, why);
            behind = false;
            failure = Optional.of(why);
            return report();
        }

        RunReport report() {
            return new RunReport(id, startedAt, Duration.ofNanos(System.nanoTime() - started), window, eventsRead,
                    groupCount, digests, deliveries, pending, expired, heldByRealert, heldBySilence, catchingUp,
                    failedWindow, failure, lateEvents, standby, warnings, checkpoint, sourceReadTime, deliveryTimes,
                    pendingBySink);
        }
    }

    /**
     * Builds an {@link AlertPipeline}. Each setter checks its argument; {@link #build()} checks the whole and lists
     * every problem in one {@link ConfigException}. Not thread-safe.
     */
    public static final class Builder {
        private String id;
        private Plugin<LogSource> source;
        private Plugin<Aggregator> aggregator = Plugin.of(new TemplateAggregator());
        private final List<Plugin<AlertSink>> sinks = new ArrayList<>();
        private Plugin<StateStore> stateStore = Plugin.of(new InMemoryStateStore());
        private Clock clock = Clock.systemUTC();
        private Duration queryDelay = Duration.ofSeconds(30);
        private Duration interval = Duration.ofMinutes(1);
        private Duration initialLookback = Duration.ofMinutes(10);
        private Duration maxWindow = Duration.ofMinutes(10);
        private DigestOptions digestOptions = DigestOptions.DEFAULTS;
        private int maxPending = 10_000;
        private Duration spoolMaxAge = Duration.ofHours(24);
        private Realert realert = Realert.DEFAULT;
        private KindOptions kindOptions = KindOptions.DEFAULTS;
        private final List<Route> routes = new ArrayList<>();
        private String instance = defaultInstance();
        private Duration leaseTtl;
        private Duration lateLookback = Duration.ofMinutes(10);
        private Consumer<RunReport> onReport = report -> { };
        private int maxLagIntervals = 3;
        private ClassLoader classLoader;

        private Builder() {
        }

        /** Names the pipeline; its state is kept under this id. Letters, digits, {@code . _ -}; at most 64. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Reads from {@code source}, which stays the caller's to close. */
        public Builder source(LogSource source) {
            this.source = Plugin.of(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Reads from the source of {@code type}, created from {@code config} and closed with the pipeline. */
        public Builder source(String type, PluginConfig config) {
            this.source = Plugin.of(LogSourceProvider.class, type, config);
            return this;
        }

        /** Groups with {@code aggregator}. Default: {@code template}, the best measured on Loghub-2k. */
        public Builder aggregator(Aggregator aggregator) {
            this.aggregator = Plugin.of(Objects.requireNonNull(aggregator, "aggregator"));
            return this;
        }

        /** Groups with the aggregator of {@code type}, created from {@code config}. */
        public Builder aggregator(String type, PluginConfig config) {
            this.aggregator = Plugin.of(AggregatorProvider.class, type, config);
            return this;
        }

        /** Also delivers to {@code sink}, which stays the caller's to close. At least one sink is required. */
        public Builder addSink(AlertSink sink) {
            sinks.add(Plugin.of(Objects.requireNonNull(sink, "sink")));
            return this;
        }

        /** Also delivers to the sink of {@code type}, created from {@code config} and closed with the pipeline. */
        public Builder addSink(String type, PluginConfig config) {
            sinks.add(Plugin.of(AlertSinkProvider.class, type, config));
            return this;
        }

        /** Keeps checkpoint and pending digests in {@code store}. Default: in memory. */
        public Builder stateStore(StateStore store) {
            this.stateStore = Plugin.of(Objects.requireNonNull(store, "store"));
            return this;
        }

        /** Keeps state in the store of {@code type}, created from {@code config}. */
        public Builder stateStore(String type, PluginConfig config) {
            this.stateStore = Plugin.of(StateStoreProvider.class, type, config);
            return this;
        }

        /** Reads time from {@code clock}. Default: the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far behind now a window ends, so that records still being shipped and indexed are not missed.
         * Default: 30 seconds.
         */
        public Builder queryDelay(Duration queryDelay) {
            this.queryDelay = Objects.requireNonNull(queryDelay, "queryDelay");
            return this;
        }

        /** How often {@link #start() started} pipelines run. Default: 1 minute. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How far back the first window of a pipeline with no saved state starts. Default: 10 minutes. */
        public Builder initialLookback(Duration initialLookback) {
            this.initialLookback = Objects.requireNonNull(initialLookback, "initialLookback");
            return this;
        }

        /**
         * The longest window one run reads; after downtime the pipeline catches up in windows of this length.
         * At least the interval. Default: 10 minutes.
         */
        public Builder maxWindow(Duration maxWindow) {
            this.maxWindow = Objects.requireNonNull(maxWindow, "maxWindow");
            return this;
        }

        /** How digests are cut. Default: {@link DigestOptions#DEFAULTS}. */
        public Builder digests(DigestOptions options) {
            this.digestOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The most undelivered digests the spool keeps offering; beyond it the oldest expire: they are no longer
         * offered, and stay in the state, in every {@link RunReport} and in an error log line until acknowledged
         * through {@link #spool()}. Default: 10,000.
         */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /**
         * How long an undelivered digest is offered again; older ones expire like those beyond
         * {@link #maxPending(int)}. Default: 24 hours.
         */
        public Builder spoolMaxAge(Duration spoolMaxAge) {
            this.spoolMaxAge = Objects.requireNonNull(spoolMaxAge, "spoolMaxAge");
            return this;
        }

        /**
         * How often a digest may show the same kind of error again; {@link Realert#NONE} shows every window's
         * counts. Default: {@link Realert#DEFAULT}, once an hour, with "+N since …" for what was held.
         */
        public Builder realert(Realert realert) {
            this.realert = Objects.requireNonNull(realert, "realert");
            return this;
        }

        /** How the known kinds are remembered, which marks kinds new or back. Default: {@link KindOptions#DEFAULTS}. */
        public Builder kinds(KindOptions options) {
            this.kindOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Also sends the digests of the projects {@code route} matches to its sinks, @-mentioning its people. A
         * digest no route matches goes to the default route ({@link Route#unmatched()}), or to every sink when there
         * is none. Default: no routes, every sink gets every digest.
         */
        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * Names this instance of the pipeline, for the lease of a shared state store. Default: the host name, the
         * process id and a random part, unique per pipeline object.
         */
        public Builder instance(String instance) {
            this.instance = Objects.requireNonNull(instance, "instance");
            return this;
        }

        /**
         * How long the lease of a shared state store lasts (see {@link StateStore#isShared()}): the owner renews it
         * every run, and another instance takes over this long after the owner stops or dies. At least twice the
         * interval. Default: three intervals, at least 30 seconds.
         */
        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
            return this;
        }

        /**
         * How far back windows already read are counted again each run, to find records indexed after their window
         * was read; those are delivered as late digests. Zero looks for none. Default: 10 minutes.
         */
        public Builder lateLookback(Duration lateLookback) {
            this.lateLookback = Objects.requireNonNull(lateLookback, "lateLookback");
            return this;
        }

        /**
         * Receives the report of every scheduled run. Default: nothing. Any number of parties can hear every run,
         * {@link #runOnce()} included, through {@link AlertPipeline#addListener(Consumer)}.
         */
        public Builder onReport(Consumer<RunReport> onReport) {
            this.onReport = Objects.requireNonNull(onReport, "onReport");
            return this;
        }

        /**
         * How many intervals the checkpoint may lag behind now, beyond the query delay, before {@link #health()} says
         * the pipeline is down. A pipeline that runs on time lags the query delay plus at most one interval; at
         * least 1. Default: 3.
         */
        public Builder maxLagIntervals(int intervals) {
            this.maxLagIntervals = intervals;
            return this;
        }

        /** Finds plug-ins by type with {@code loader}. Default: the loader of alert-core. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Checks the configuration, creates the plug-ins named by type, and returns the pipeline.
         *
         * @throws ConfigException listing every problem found
         */
        public AlertPipeline build() {
            List<String> problems = new ArrayList<>();
            if (id == null) {
                problems.add("id is required: a name such as 'checkout-errors', which keys the pipeline's state");
            } else if (!ID.matcher(id).matches()) {
                problems.add("id '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                        + "letter or digit");
            }
            if (source == null) {
                problems.add("a source is required: source(LogSource) or source(type, config)");
            }
            if (sinks.isEmpty()) {
                problems.add("at least one sink is required: addSink(AlertSink) or addSink(type, config)");
            }
            positive(problems, "interval", interval);
            positive(problems, "maxWindow", maxWindow);
            notNegative(problems, "queryDelay", queryDelay);
            notNegative(problems, "initialLookback", initialLookback);
            if (maxWindow.compareTo(interval) < 0) {
                problems.add("maxWindow (" + maxWindow + ") must be at least the interval (" + interval
                        + "), or the pipeline falls behind and never catches up");
            }
            positive(problems, "spoolMaxAge", spoolMaxAge);
            notNegative(problems, "lateLookback", lateLookback);
            if (leaseTtl != null && leaseTtl.compareTo(interval.multipliedBy(2)) < 0) {
                problems.add("leaseTtl (" + leaseTtl + ") must be at least twice the interval (" + interval
                        + "), or the owner's lease runs out between two of its runs");
            }
            if (instance.isBlank()) {
                problems.add("instance must not be blank: it names this instance in the lease");
            }
            if (maxPending < 1) {
                problems.add("maxPending must be at least 1, was " + maxPending);
            }
            if (maxLagIntervals < 1) {
                problems.add("maxLagIntervals must be at least 1, was " + maxLagIntervals + ": a pipeline that runs "
                        + "on time already lags up to one interval");
            }

            ClassLoader loader = classLoader != null ? classLoader : AlertPipeline.class.getClassLoader();
            List<AutoCloseable> owned = new ArrayList<>();
            LogSource builtSource = source == null ? null : source.resolve("source", loader, problems, owned);
            Aggregator builtAggregator = aggregator.resolve("aggregator", loader, problems, owned);
            StateStore builtStore = stateStore.resolve("state store", loader, problems, owned);
            List<AlertSink> builtSinks = new ArrayList<>();
            for (Plugin<AlertSink> sink : sinks) {
                AlertSink built = sink.resolve("sink", loader, problems, owned);
                if (built != null) {
                    builtSinks.add(built);
                }
            }
            Set<String> names = new HashSet<>();
            for (AlertSink sink : builtSinks) {
                if (!names.add(sink.name())) {
                    problems.add("two sinks are named '" + sink.name() + "'; sink names key pending deliveries, so "
                            + "they must differ");
                }
            }
            if (sinks.size() == builtSinks.size()) {
                problems.addAll(Routing.problems(routes, names));
            }
            if (!problems.isEmpty()) {
                closeAll(owned);
                throw new ConfigException("pipeline" + (id == null ? "" : " '" + id + "'"), problems);
            }
            builtStore.budgets().ifPresent(budgets -> builtSinks.forEach(sink -> sink.shareBudgets(budgets)));
            return new AlertPipeline(this, builtSource, builtAggregator, builtSinks, builtStore, owned);
        }

        private static String defaultInstance() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | SecurityException e) {
                host = "unknown-host";
            }
            return host + "/" + ProcessHandle.current().pid() + "/"
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL);
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value.isZero() || value.isNegative()) {
                problems.add(name + " must be positive, was " + value);
            }
        }

        private static void notNegative(List<String> problems, String name, Duration value) {
            if (value.isNegative()) {
                problems.add(name + " must not be negative, was " + value);
            }
        }
    }

    /** A plug-in given as an instance, or as a type and configuration to create it from. */
    private record Plugin<T>(T instance, Class<? extends PluginProvider<T>> service, String type,
            PluginConfig config) {

        static <T> Plugin<T> of(T instance) {
            return new Plugin<>(instance, null, null, null);
        }

        static <T> Plugin<T> of(Class<? extends PluginProvider<T>> service, String type, PluginConfig config) {
            return new Plugin<>(null, service, Objects.requireNonNull(type, "type"),
                    Objects.requireNonNull(config, "config"));
        }

        T resolve(String role, ClassLoader loader, List<String> problems, List<AutoCloseable> owned) {
            if (instance != null) {
                return instance;
            }
            try {
                T created = Plugins.create(service, type, config, loader);
                if (created instanceof AutoCloseable closeable) {
                    owned.add(closeable);
                }
                return created;
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(role + " '" + type + "': " + p));
            } catch (PluginDiscoveryException e) {
                problems.add(role + ": " + e.getMessage());
            } catch (RuntimeException e) {
                problems.add(role + " '" + type + "' cannot be created: " + describe(e));
            }
            return null;
        }
    }
}
