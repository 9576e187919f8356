package io.logalert.sink.robot;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.sink.robot.MessageRenderer.Detail;
import io.logalert.spi.AlertSink;
import io.logalert.spi.SharedBudgets;
import io.logalert.spi.SinkObserver;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers digests to one chat robot within its platform's rules, whatever the platform: at most its messages a
 * minute (counted across every sink of the JVM that targets the robot, and across processes when the pipeline's
 * state store shares budgets; counted when requests reach it), bodies under its byte limit, and every reply's code
 * checked and acted on. The {@link RobotPlatform} supplies the rules; this class applies them.
 *
 * <p>Each call of {@link #deliver(List)} renders one message per digest when the robot's budget allows, packs
 * several digests into one message when it does not, and splits a digest that is too big for one message into
 * numbered parts. A digest is delivered only when every message carrying it was accepted; the rest are answered
 * "retry later" (throttling, server errors, a used-up budget — with the instant the budget frees) or "rejected"
 * (credentials, security settings), with the reason the platform gave. When a message packing several digests is
 * refused for its content, they are sent again one per message, so that only the offending digest is affected; when
 * a digest's own message is refused for its content, it is sent again at once with its patterns and counts only,
 * and, if that is refused too, with its counts only: the log text the robot objects to is withheld, and the rest of
 * the digest still reaches the group.
 *
 * <p>A request that gets no reply within the request timeout may still have reached the robot: it is not sent again
 * by the same call, nothing more is sent to the robot in that call (so a hung robot costs one timeout, not one per
 * attempt), and its digests are answered "retry later". The next call sends them again, and never in a bigger
 * message than the one that timed out: each at most once more per timed-out request.
 *
 * <p>Delivery is at-least-once: a retried split digest is sent whole again, so parts accepted before the failure can
 * show twice; and a request that timed out may still have reached the robot, so its retry can show twice.
 *
 * <p>Every reply's code and every wait before a retry after a rate answer go to the {@link SinkObserver}.
 * Thread-safe: calls of {@link #deliver(List)} on one sink run one at a time.
 *
 * <p>A platform's sink class extends this class and adds only its constants and its builder
 * ({@code public final class WeComSink extends RobotSink}); what a sink does is final here.
 */
public class RobotSink implements AlertSink {

    private static final Logger LOG = LoggerFactory.getLogger(RobotSink.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    // below this a "too long" is not worth splitting further: something else is wrong
    private static final int MIN_BODY_BYTES = 1_000;
    // how many timed-out digests the sink remembers the pack limit of; as many as a pipeline keeps pending by default
    private static final int MAX_PACK_LIMITS = 10_000;
    // the shared budget's period: a second over the platform's minute, since it is counted when a request leaves
    private static final Duration SHARED_PERIOD = RateBudgets.WINDOW.plusSeconds(1);
    // waits for a free second before a message is held back instead: each normally ends the wait
    private static final int MAX_BURST_WAITS = 100;

    private final RobotPlatform platform;
    private final String platformName;
    private final MessageRenderer renderer;
    private final RateBudgets.Budget budget;
    /** The robot's budget shared with other processes through the pipeline's state store, when it keeps one. */
    private volatile SharedBudgets sharedBudgets;
    private volatile SinkObserver observer = SinkObserver.NONE;
    private final int messagesPerMinute;
    /** The platform's limit in any second, kept by waiting before a send; 0 when it has none. */
    private final int messagesPerSecond;
    private final int maxBodyBytes;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration blockPeriod;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final HttpClient http;
    private final String name;
    /**
     * Digests whose request timed out, by id, and the most digests a message may carry with them from now on: half
     * of what the timed-out message carried, at least one. That message may have reached the robot, so its digests
     * may show once more when they are sent again; a smaller pack keeps a second timeout from repeating as many.
     * Forgotten once a digest is delivered or rejected; the eldest are forgotten beyond {@link #MAX_PACK_LIMITS}.
     * Guarded by {@code this}.
     */
    private final Map<String, Integer> packLimits = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > MAX_PACK_LIMITS;
        }
    };

    /**
     * A sink to the robot of {@code platform} with {@code settings}, which must have been checked
     * ({@link RobotSettings#problems()} empty).
     */
    public RobotSink(RobotPlatform platform, RobotSettings<?> settings) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.platformName = platform.displayName();
        this.renderer = platform.renderer();
        this.budget = settings.budgets.forRobot(budgetKey());
        this.messagesPerMinute = settings.messagesPerMinute;
        this.messagesPerSecond = settings.limits.messagesPerSecond();
        this.maxBodyBytes = settings.maxBodyBytes;
        this.maxAttempts = settings.maxAttempts;
        this.retryBackoff = settings.retryBackoff;
        this.blockPeriod = settings.blockPeriod;
        this.requestTimeout = settings.requestTimeout;
        this.clock = settings.clock;
        this.sleeper = settings.sleeper;
        this.random = settings.random;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.proxy != null) {
            http.proxy(ProxySelector.of(settings.proxy));
        }
        this.http = http.build();
        this.name = settings.name != null ? settings.name
                : platform.type() + "[" + platform.host() + ", robot " + platform.fingerprint() + "]";
    }

    /** The robot's key in the JVM's and the shared budgets: the platform's type and the robot's own key. */
    private String budgetKey() {
        return platform.type() + "~" + platform.robotKey();
    }

    @Override
    public final String name() {
        return name;
    }

    /** The class's name, the robot's redacted address and its fingerprint; never a secret. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + platform.redacted() + ", robot " + platform.fingerprint() + "]";
    }

    @Override
    public final synchronized List<DeliveryResult> deliver(List<Digest> digests) {
        Objects.requireNonNull(digests, "digests");
        if (digests.isEmpty()) {
            return List.of();
        }
        DeliveryResult[] results = new DeliveryResult[digests.size()];
        Instant now = clock.instant();
        Optional<Instant> blocked = budget.blockedUntil(now);
        if (blocked.isPresent()) {
            String codes = platform.throttleCodes();
            String reason = "not sent: the robot is throttled" + (codes.isEmpty() ? "" : " (" + codes + ")")
                    + " until " + blocked.get();
            for (int i = 0; i < results.length; i++) {
                results[i] = DeliveryResult.retryLater(digests.get(i), reason, blocked);
            }
            LOG.warn("{} sink {}: {} digest(s) held back: {}", platformName, name, results.length, reason);
            return List.of(results);
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
            all.add(i);
        }
        Deque<Unit> queue = new ArrayDeque<>(plan(digests, all, maxBodyBytes,
                budget.available(now, messagesPerMinute), results));
        DeliveryResult stop = null;
        while (!queue.isEmpty()) {
            Unit unit = queue.poll();
            if (stop != null) {
                answer(results, digests, unit.digests, stop.status(),
                        afterRefusal(unit, "not sent: " + stop.reason()), stop.retryAfter());
                continue;
            }
            if (unit.messages.size() > messagesPerMinute) {
                reject(results, digests, unit.digests, "the digest needs " + unit.messages.size()
                        + " messages, more than the robot's budget of " + messagesPerMinute
                        + " a minute; show fewer groups or lower 'max-message-length'");
                continue;
            }
            now = clock.instant();
            if (budget.available(now, messagesPerMinute) < unit.messages.size()) {
                Instant free = budget.freeAt(now, messagesPerMinute, unit.messages.size());
                answer(results, digests, unit.digests, DeliveryResult.Status.RETRY_LATER,
                        afterRefusal(unit, "not sent: the robot's budget of " + messagesPerMinute
                                + " messages a minute is used up"),
                        Optional.of(free));
                continue;
            }
            stop = send(unit, digests, results, queue);
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                // every path above answers; this guards the promise of one answer per digest
                results[i] = DeliveryResult.retryLater(digests.get(i), "not sent (internal error)", Optional.empty());
            }
            if (results[i].status() != DeliveryResult.Status.RETRY_LATER) {
                // answered for good: a pipeline does not offer it again
                packLimits.remove(digests.get(i).id());
            }
        }
        return List.of(results);
    }

    /** Sends the messages of {@code unit}; returns the answer for every later unit when the robot must be left. */
    private DeliveryResult send(Unit unit, List<Digest> digests, DeliveryResult[] results, Deque<Unit> queue) {
        int accepted = 0;
        for (OutgoingMessage message : unit.messages) {
            Outcome outcome = sendWithRetries(message);
            if (outcome.action == Action.DELIVERED) {
                accepted++;
                continue;
            }
            String reason = outcome.reason + partsNote(accepted, unit.messages.size());
            switch (outcome.action) {
                case TOO_LONG -> {
                    int smaller = unit.byteLimit / 2;
                    if (smaller >= MIN_BODY_BYTES) {
                        LOG.warn("{} sink {}: '{}' was too long for the robot ({}); splitting it below {} bytes",
                                platformName, name, message.title(), outcome.reason, smaller);
                        // a digest already stripped of refused text stays stripped at the smaller size
                        List<Unit> replanned = unit.detail.withholds()
                                ? render(digests, unit.digests.get(0), smaller, unit.detail, results)
                                        .map(parts -> List.of(new Unit(unit.digests, parts, smaller, unit.detail,
                                                unit.refused)))
                                        .orElse(List.of())
                                : plan(digests, unit.digests, smaller, 0, results);
                        for (int i = replanned.size() - 1; i >= 0; i--) {
                            queue.addFirst(replanned.get(i));
                        }
                    } else {
                        reject(results, digests, unit.digests, afterRefusal(unit, reason));
                    }
                    return null;
                }
                case CONTENT_REJECTED, MESSAGE_REJECTED -> {
                    if (unit.digests.size() == 1 && outcome.action == Action.CONTENT_REJECTED
                            && unit.detail != Detail.COUNTS) {
                        withholdLogText(unit, digests, results, queue, message, outcome,
                                accepted == 0 ? "" : "; parts 1-" + accepted + " of " + unit.messages.size()
                                        + " had been delivered in full");
                    } else if (unit.digests.size() > 1) {
                        // a refusal for content is about one digest's text, not its pack-mates': send each alone
                        // (first, as far as the budget goes; the rest retry later), so only the culprit is rejected
                        LOG.warn("{} sink {}: the robot refused '{}', which packs {} digests ({}); sending them "
                                + "one per message", platformName, name, message.title(), unit.digests.size(),
                                outcome.reason);
                        List<Unit> alone = alone(digests, unit.digests, unit.byteLimit, results);
                        for (int i = alone.size() - 1; i >= 0; i--) {
                            queue.addFirst(alone.get(i));
                        }
                    } else {
                        reject(results, digests, unit.digests, afterRefusal(unit, reason));
                    }
                    return null;
                }
                case TIMED_OUT -> {
                    // the robot may have taken the message: it is not sent again now, and later only in messages
                    // carrying at most half as many digests, so a second timeout repeats fewer than this one did
                    int limit = Math.max(1, unit.digests.size() / 2);
                    for (int index : unit.digests) {
                        packLimits.merge(digests.get(index).id(), limit, Math::min);
                    }
                    LOG.warn("{} sink {}: '{}' ({} digest(s)) got no reply: {}; it may have reached the robot. "
                            + "Nothing more is sent to the robot in this call; the next sends it again", platformName,
                            name, message.title(), unit.digests.size(), outcome.reason);
                    answer(results, digests, unit.digests, DeliveryResult.Status.RETRY_LATER,
                            afterRefusal(unit, reason + "; it may have reached the robot, so sending it again may "
                                    + "show it twice"), Optional.empty());
                    return DeliveryResult.retryLater(digests.get(unit.digests.get(0)), "the robot gave no reply "
                            + "to an earlier message of this call (" + outcome.reason + ")", Optional.empty());
                }
                case ROBOT_REJECTED -> {
                    reject(results, digests, unit.digests, afterRefusal(unit, reason));
                    return DeliveryResult.rejected(digests.get(unit.digests.get(0)), outcome.reason);
                }
                case NO_BUDGET -> {
                    answer(results, digests, unit.digests, DeliveryResult.Status.RETRY_LATER,
                            afterRefusal(unit, reason), outcome.retryAfter);
                    return null;
                }
                default -> {
                    // throttled, quota, server or network failure, interrupted: the robot will not take more now
                    answer(results, digests, unit.digests, DeliveryResult.Status.RETRY_LATER,
                            afterRefusal(unit, reason), outcome.retryAfter);
                    return DeliveryResult.retryLater(digests.get(unit.digests.get(0)), outcome.reason,
                            outcome.retryAfter);
                }
            }
        }
        for (int index : unit.digests) {
            results[index] = delivered(digests.get(index), unit);
        }
        LOG.debug("{} sink {}: delivered {} digest(s) in {} message(s)", platformName, name, unit.digests.size(),
                unit.messages.size());
        return null;
    }

    /**
     * Queues {@code unit}'s digest again, at once, showing less of it: patterns and counts after its full text was
     * refused, counts only after its patterns were. The robot refuses a message for a log line it finds in it, and
     * would refuse the same text every time: without it, the rest of the digest reaches the group. The new message
     * takes a slot of the budget like any other; when none is left, the digest is answered "retry later".
     */
    private void withholdLogText(Unit unit, List<Digest> digests, DeliveryResult[] results, Deque<Unit> queue,
            OutgoingMessage message, Outcome outcome, String partsNote) {
        int index = unit.digests.get(0);
        Detail less = unit.detail == Detail.PATTERNS ? Detail.COUNTS : Detail.PATTERNS;
        String refused = unit.refused.isEmpty() ? outcome.reason + partsNote
                : unit.refused + "; then its patterns: " + outcome.reason;
        LOG.warn("{} sink {}: the robot refused the text of '{}' ({}); sending it again with {}", platformName, name,
                message.title(), outcome.reason, less == Detail.PATTERNS ? "patterns and counts only" : "counts only");
        render(digests, index, unit.byteLimit, less, results)
                .ifPresent(parts -> queue.addFirst(new Unit(unit.digests, parts, unit.byteLimit, less, refused)));
    }

    /**
     * {@code digest} delivered by {@code unit}; when the unit left log text out, the answer says what and why, and
     * so does the log, where whoever reads the refusals looks.
     */
    private DeliveryResult delivered(Digest digest, Unit unit) {
        if (unit.detail.withholds()) {
            String note = withheldNote(unit);
            LOG.warn("{} sink {}: digest {} {}", platformName, name, digest.id(), note);
            return DeliveryResult.delivered(digest, note);
        }
        return DeliveryResult.delivered(digest);
    }

    /** What a delivered {@code unit} that withholds log text left out, and why. */
    private static String withheldNote(Unit unit) {
        return (unit.detail == Detail.COUNTS
                ? "was delivered with its counts only (no patterns, sample messages, thread names or silence reasons)"
                : "was delivered with its patterns and counts only (no sample messages, thread names or silence "
                        + "reasons)")
                + ", because the robot refused its text: " + unit.refused;
    }

    /** {@code reason}, after what the robot refused before when {@code unit} withholds log text. */
    private static String afterRefusal(Unit unit, String reason) {
        return unit.refused.isEmpty() ? reason : "the robot refused the digest's text (" + unit.refused
                + "); the message without it: " + reason;
    }

    private static String partsNote(int accepted, int parts) {
        return accepted == 0 ? "" : "; parts 1-" + accepted + " of " + parts
                + " were delivered, a retry sends every part again";
    }

    /**
     * The units to send for {@code indices}: one unit per digest (its parts) when they fit in {@code available}
     * messages, otherwise digests packed several to a message. A digest that cannot be rendered is rejected here.
     */
    private List<Unit> plan(List<Digest> digests, List<Integer> indices, int byteLimit, int available,
            DeliveryResult[] results) {
        List<Unit> units = new ArrayList<>();
        int messages = 0;
        for (int index : indices) {
            Optional<List<OutgoingMessage>> parts = render(digests, index, byteLimit, Detail.FULL, results);
            if (parts.isPresent()) {
                units.add(new Unit(List.of(index), parts.get(), byteLimit, Detail.FULL, ""));
                messages += parts.get().size();
            }
        }
        if (messages <= available || units.size() <= 1) {
            return units;
        }
        // more to say than the budget carries: pack projects together rather than hold any back
        List<Unit> packed = new ArrayList<>();
        MessageRenderer.Packer pack = null;
        for (Unit unit : units) {
            int index = unit.digests.get(0);
            Optional<List<OutgoingMessage>> compact = render(digests, index, byteLimit, Detail.COMPACT, results);
            if (compact.isEmpty()) {
                continue;
            }
            if (compact.get().size() > 1) {
                packed.add(new Unit(List.of(index), compact.get(), byteLimit, Detail.COMPACT, ""));
                continue;
            }
            // a digest whose request timed out goes only into a pack smaller than that request's
            if (pack != null && fitsPackLimits(digests, pack.indices(), index)
                    && pack.add(index, digests.get(index))) {
                continue;
            }
            if (pack != null) {
                packed.add(new Unit(pack.indices(), List.of(pack.message()), byteLimit, Detail.COMPACT, ""));
            }
            pack = renderer.packer(byteLimit, index, digests.get(index), compact.get().get(0));
        }
        if (pack != null) {
            packed.add(new Unit(pack.indices(), List.of(pack.message()), byteLimit, Detail.COMPACT, ""));
        }
        return packed;
    }

    /** Whether every digest of {@code pack} with {@code index} added may travel in a message of that many. */
    private boolean fitsPackLimits(List<Digest> digests, List<Integer> pack, int index) {
        int size = pack.size() + 1;
        return packLimit(digests.get(index)) >= size
                && pack.stream().allMatch(i -> packLimit(digests.get(i)) >= size);
    }

    /**
     * One unit per digest of a refused pack, each in the compact form it had in the pack (one message each): never
     * packed again, so a second refusal names its digest.
     */
    private List<Unit> alone(List<Digest> digests, List<Integer> indices, int byteLimit, DeliveryResult[] results) {
        List<Unit> units = new ArrayList<>();
        for (int index : indices) {
            render(digests, index, byteLimit, Detail.COMPACT, results).ifPresent(parts -> units.add(
                    new Unit(List.of(index), parts, byteLimit, Detail.COMPACT, "")));
        }
        return units;
    }

    /** The most digests a message carrying {@code digest} may carry; unlimited unless its request timed out. */
    private int packLimit(Digest digest) {
        return packLimits.getOrDefault(digest.id(), Integer.MAX_VALUE);
    }

    private Optional<List<OutgoingMessage>> render(List<Digest> digests, int index, int byteLimit, Detail detail,
            DeliveryResult[] results) {
        try {
            return Optional.of(renderer.parts(index, digests.get(index), byteLimit, detail));
        } catch (RuntimeException e) {
            results[index] = DeliveryResult.rejected(digests.get(index),
                    "cannot render the digest within " + byteLimit + " bytes: " + e.getMessage());
            LOG.error("{} sink {}: {}", platformName, name, results[index].reason());
            return Optional.empty();
        }
    }

    /**
     * Takes a slot of the robot's shared budget, when there is one; a full or unreadable budget sends nothing. The
     * shared period is a second longer than the platform's minute: a slot is taken when the request leaves, and the
     * platform counts it when it arrives.
     */
    private Optional<Outcome> takeShared(Instant now) {
        SharedBudgets shared = sharedBudgets;
        if (shared == null) {
            return Optional.empty();
        }
        Optional<Instant> free;
        try {
            free = shared.take(budgetKey(), messagesPerMinute, SHARED_PERIOD, now);
        } catch (RuntimeException e) {
            return Optional.of(new Outcome(Action.NO_BUDGET, "the robot's budget shared with other "
                    + "processes cannot be read: " + platform.redactor().scrub(e.getMessage()), Optional.empty()));
        }
        return free.map(at -> new Outcome(Action.NO_BUDGET, "the robot's budget of " + messagesPerMinute
                + " messages a minute, shared with other processes through the state store, is used up",
                Optional.of(at)));
    }

    /**
     * Shares the robot's budget with the sinks of other processes through {@code budgets}: every message takes a slot
     * of them too, so that several applications on one robot stay within its limit together.
     */
    @Override
    public final void shareBudgets(SharedBudgets budgets) {
        this.sharedBudgets = Objects.requireNonNull(budgets, "budgets");
    }

    /** Tells {@code observer} every code the robot answered and every wait before a retry after a rate answer. */
    @Override
    public final void observe(SinkObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Sends one message, retrying passing failures with backoff; each attempt takes a slot of the budget. */
    private Outcome sendWithRetries(OutgoingMessage message) {
        Outcome outcome = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Instant now = clock.instant();
            Optional<Outcome> sharedFull = takeShared(now);
            if (sharedFull.isPresent()) {
                return sharedFull.get();
            }
            Optional<RateBudgets.Slot> slot = budget.tryAcquire(now, messagesPerMinute, messagesPerSecond);
            // the last second's share is used up while the minute's is not: wait for it (under a second) rather than
            // hold the digest back for a later call; bounded, should the clock not move while the sleeper waits
            for (int wait = 0; slot.isEmpty() && messagesPerSecond > 0 && wait < MAX_BURST_WAITS
                    && budget.available(now, messagesPerMinute) > 0; wait++) {
                try {
                    sleeper.sleep(Duration.between(now, budget.burstFreeAt(now, messagesPerSecond)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(Action.INTERRUPTED, "interrupted while pacing messages", Optional.empty());
                }
                now = clock.instant();
                slot = budget.tryAcquire(now, messagesPerMinute, messagesPerSecond);
            }
            if (slot.isEmpty()) {
                Optional<Instant> blocked = budget.blockedUntil(now);
                if (blocked.isPresent()) {
                    return new Outcome(Action.THROTTLED, "the robot is throttled until " + blocked.get(), blocked);
                }
                return new Outcome(Action.NO_BUDGET, "the robot's budget of " + messagesPerMinute
                        + " messages a minute is used up" + (outcome == null ? "" : " after: " + outcome.reason),
                        Optional.of(budget.freeAt(now, messagesPerMinute, 1)));
            }
            outcome = post(message, now, slot.get());
            if (outcome.action != Action.RETRY) {
                return outcome;
            }
            if (attempt < maxAttempts) {
                Duration wait = backoff(attempt);
                LOG.warn("{} sink {}: attempt {} of {} for '{}' failed: {}; retrying in {} ms", platformName, name,
                        attempt, maxAttempts, message.title(), outcome.reason, wait.toMillis());
                if (outcome.rate) {
                    observer.throttled(wait);
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(Action.INTERRUPTED, "interrupted while waiting to retry after: "
                            + outcome.reason, Optional.empty());
                }
            }
        }
        LOG.warn("{} sink {}: giving up on '{}' for this run after {} attempt(s): {}", platformName, name,
                message.title(), maxAttempts, outcome.reason);
        return new Outcome(Action.RETRY, outcome.reason + " (after " + maxAttempts + " attempts)", Optional.empty());
    }

    /** Exponential backoff with jitter: a random wait between half and all of {@code base * 2^(attempt-1)}. */
    private Duration backoff(int attempt) {
        long base = retryBackoff.toMillis();
        long full = Math.min(MAX_BACKOFF.toMillis(), base << Math.min(attempt - 1, 20));
        long half = full / 2;
        return Duration.ofMillis(half + (full - half == 0 ? 0 : random.nextLong(full - half + 1)));
    }

    /**
     * One request and what its reply means. {@code slot}, taken at {@code now}, is settled when the attempt ends, at
     * an instant no earlier than the request's arrival at the robot (see {@link RateBudgets.Budget}).
     */
    private Outcome post(OutgoingMessage message, Instant now, RateBudgets.Slot slot) {
        HttpResponse<String> response = null;
        Redactor redactor = platform.redactor();
        try {
            HttpRequest request = platform.request(message, now).timeout(requestTimeout).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            // nothing reached the robot, but another attempt would wait as long again: a run waits one timeout
            return new Outcome(Action.NO_CONNECTION, "no connection to " + platform.host()
                    + " within the connect timeout", Optional.empty());
        } catch (HttpTimeoutException e) {
            return new Outcome(Action.TIMED_OUT, "no reply within " + requestTimeout.toMillis() + " ms",
                    Optional.empty());
        } catch (ConnectException e) {
            return transportFailure("cannot connect to " + platform.host());
        } catch (IOException e) {
            return transportFailure("I/O error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + redactor.scrub(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Action.INTERRUPTED, "interrupted while sending", Optional.empty());
        } catch (RuntimeException e) {
            // e.g. an unresolvable proxy: one message's trouble must not become an exception for the whole run
            return transportFailure("cannot send: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + redactor.scrub(e.getMessage())));
        } finally {
            Instant ended = clock.instant();
            // a reply means the robot has counted the request; without one it may still arrive, at the latest (as
            // far as a client can tell) when the request timeout runs out
            Instant deadline = now.plus(requestTimeout);
            budget.settle(slot, response != null || ended.isAfter(deadline) ? ended : deadline);
        }
        Verdict verdict = platform.interpret(response.statusCode(), response.body());
        verdict.code().ifPresent(observer::answered);
        Action action = verdict.action();
        String reason = verdict.reason();
        return switch (action) {
            case DELIVERED, TOO_LONG -> new Outcome(action, reason, Optional.empty());
            case RETRY -> new Outcome(action, reason, Optional.empty(), response.statusCode() == 429);
            case THROTTLED -> {
                Instant until = clock.instant().plus(blockPeriod);
                budget.block(until);
                LOG.error("{} sink {}: the robot is throttled ({}); sending nothing to it until {}", platformName,
                        name, reason, until);
                yield new Outcome(action, reason + "; nothing is sent to the robot until " + until,
                        Optional.of(until));
            }
            case QUOTA -> {
                LOG.error("{} sink {}: {}", platformName, name, reason);
                yield new Outcome(action, reason, Optional.empty());
            }
            default -> {
                LOG.error("{} sink {}: the robot refused '{}': {}", platformName, name, message.title(), reason);
                yield new Outcome(action, reason, Optional.empty());
            }
        };
    }

    private static Outcome transportFailure(String reason) {
        return new Outcome(Action.RETRY, reason, Optional.empty());
    }

    private static void answer(DeliveryResult[] results, List<Digest> digests, List<Integer> indices,
            DeliveryResult.Status status, String reason, Optional<Instant> retryAfter) {
        for (int index : indices) {
            if (results[index] == null) {
                results[index] = new DeliveryResult(digests.get(index), status, reason, retryAfter);
            }
        }
    }

    private static void reject(DeliveryResult[] results, List<Digest> digests, List<Integer> indices,
            String reason) {
        answer(results, digests, indices, DeliveryResult.Status.REJECTED, reason, Optional.empty());
    }

    /**
     * Digests delivered together: a digest's parts, or a packed message.
     *
     * @param detail  how much of its digests the messages show
     * @param refused when {@code detail} withholds log text, what the robot said when it refused more of it
     */
    private record Unit(List<Integer> digests, List<OutgoingMessage> messages, int byteLimit, Detail detail,
            String refused) {
    }

    /**
     * What became of one message. NO_BUDGET is not an answer: the sink itself held the message back.
     *
     * @param rate whether a passing failure was the robot saying "too fast" (HTTP 429)
     */
    private record Outcome(Action action, String reason, Optional<Instant> retryAfter, boolean rate) {

        Outcome(Action action, String reason, Optional<Instant> retryAfter) {
            this(action, reason, retryAfter, false);
        }
    }
}
