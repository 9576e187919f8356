package io.logalert.sink.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.Labels;
import io.logalert.spi.AlertSink;
import io.logalert.spi.ConfigException;
import io.logalert.spi.SharedBudgets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers digests to a DingTalk custom group robot, within the robot's rules: at most 20 messages in any minute
 * (counted across every sink of the JVM that targets the robot, which is known by its access token however the URL
 * is spelt, and counted when requests reach it), bodies under 20,000 bytes, a security keyword and
 * a signature on every message, and every reply's {@code errcode} checked and acted on.
 *
 * <p>Each call of {@link #deliver(List)} renders one message per digest when the robot's budget allows, packs
 * several digests into one message when it does not, and splits a digest that is too big for one message into
 * numbered parts. A digest is delivered only when every message carrying it was accepted; the rest are answered
 * "retry later" (throttling, server errors, a used-up budget — with the instant the budget frees) or "rejected"
 * (credentials, security settings), with the reason DingTalk gave. When a message packing several digests is refused
 * for its content, they are sent again one per message, so that only the offending digest is affected; when a
 * digest's own message is refused for its content (430101–430104), it is sent again at once with its patterns and
 * counts only, and, if that is refused too, with its counts only: the log text the robot objects to is withheld, and
 * the rest of the digest still reaches the group.
 *
 * <p>A request that gets no reply within the request timeout may still have reached the robot: it is not sent again
 * by the same call, nothing more is sent to the robot in that call (so a hung robot costs one timeout, not one per
 * attempt), and its digests are answered "retry later". The next call sends them again, and never in a bigger
 * message than the one that timed out: each at most once more per timed-out request.
 *
 * <p>Delivery is at-least-once: a retried split digest is sent whole again, so parts accepted before the failure can
 * show twice; and a request that timed out may still have reached the robot, so its retry can show twice.
 *
 * <pre>{@code
 * AlertSink sink = DingTalkSink.builder()
 *         .webhook("https://oapi.dingtalk.com/robot/send?access_token=...")
 *         .secret("SEC...")
 *         .keywords(List.of("alert"))
 *         .timeZone(ZoneId.of("Asia/Shanghai"))
 *         .locale(Locale.SIMPLIFIED_CHINESE)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe: calls of {@link #deliver(List)} on one sink run one at a time.
 */
public final class DingTalkSink implements AlertSink {

    /** The type this sink is configured by. */
    public static final String TYPE = "dingtalk";
    /** DingTalk's own endpoint. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://oapi.dingtalk.com");
    /**
     * A title template that says what the default title says in English; the default itself is written in the
     * sink's {@link Builder#locale(Locale) locale} ("shop: 1 error", "shop：12 个错误").
     */
    public static final String DEFAULT_TITLE = "{project}: {events} errors";
    /** DingTalk's limit on messages per robot per minute. */
    public static final int MAX_MESSAGES_PER_MINUTE = 20;
    /** DingTalk's limit on the size of a body; bodies are kept below it. */
    public static final int MAX_BODY_BYTES = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(DingTalkSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    // below this a 460101 is not worth splitting further: something else is wrong
    private static final int MIN_BODY_BYTES = 1_000;
    /** A mobile number as DingTalk takes it; the renderer sorts a route's mentions into mobiles and ids by it too. */
    static final Pattern MOBILE = Pattern.compile("\\+?[0-9][0-9-]{2,19}");
    // how many timed-out digests the sink remembers the pack limit of; as many as a pipeline keeps pending by default
    private static final int MAX_PACK_LIMITS = 10_000;

    // the shared budget's period: a second over DingTalk's minute, since it is counted when a request leaves
    private static final Duration SHARED_PERIOD = Duration.ofSeconds(61);

    private final RobotEndpoint endpoint;
    private final DigestRenderer renderer;
    private final RobotBudgets.Budget budget;
    /** The robot's budget shared with other processes through the pipeline's state store, when it keeps one. */
    private volatile SharedBudgets sharedBudgets;
    private final int messagesPerMinute;
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

    private DingTalkSink(Builder b, RobotEndpoint endpoint) {
        this.endpoint = endpoint;
        Labels labels = Labels.of(b.locale);
        this.renderer = new DigestRenderer(new DigestRenderer.Settings(b.messageType, Optional.ofNullable(b.title),
                b.keywords, b.atMobiles, b.atUserIds, b.atAll, Optional.ofNullable(b.actionUrl),
                b.actionTitle != null ? b.actionTitle : labels.openLogs(), b.timeZone, b.maxMessageLength, labels));
        this.budget = b.budgets.forRobot(endpoint.budgetKey());
        this.messagesPerMinute = b.messagesPerMinute;
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxAttempts = b.maxAttempts;
        this.retryBackoff = b.retryBackoff;
        this.blockPeriod = b.blockPeriod;
        this.requestTimeout = b.requestTimeout;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.proxy != null) {
            http.proxy(ProxySelector.of(b.proxy));
        }
        this.http = http.build();
        this.name = b.name != null ? b.name : TYPE + "[" + endpoint.host() + ", robot " + endpoint.fingerprint() + "]";
    }

    /** Starts configuring a sink. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "DingTalkSink[" + endpoint.redacted() + ", robot " + endpoint.fingerprint() + "]";
    }

    @Override
    public synchronized List<DeliveryResult> deliver(List<Digest> digests) {
        Objects.requireNonNull(digests, "digests");
        if (digests.isEmpty()) {
            return List.of();
        }
        DeliveryResult[] results = new DeliveryResult[digests.size()];
        Instant now = clock.instant();
        Optional<Instant> blocked = budget.blockedUntil(now);
        if (blocked.isPresent()) {
            String reason = "not sent: the robot is throttled (errcode 410100/130101) until " + blocked.get();
            for (int i = 0; i < results.length; i++) {
                results[i] = DeliveryResult.retryLater(digests.get(i), reason, blocked);
            }
            LOG.warn("DingTalk sink {}: {} digest(s) held back: {}", name, results.length, reason);
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
            if (outcome.action == ErrorCodes.Action.DELIVERED) {
                accepted++;
                continue;
            }
            String reason = outcome.reason + partsNote(accepted, unit.messages.size());
            switch (outcome.action) {
                case TOO_LONG -> {
                    int smaller = unit.byteLimit / 2;
                    if (smaller >= MIN_BODY_BYTES) {
                        LOG.warn("DingTalk sink {}: '{}' was too long for the robot ({}); splitting it below {} "
                                + "bytes", name, message.title(), outcome.reason, smaller);
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
                    if (unit.digests.size() == 1 && outcome.action == ErrorCodes.Action.CONTENT_REJECTED
                            && unit.detail != DigestRenderer.Detail.COUNTS) {
                        withholdLogText(unit, digests, results, queue, message, outcome,
                                accepted == 0 ? "" : "; parts 1-" + accepted + " of " + unit.messages.size()
                                        + " had been delivered in full");
                    } else if (unit.digests.size() > 1) {
                        // a refusal for content is about one digest's text, not its pack-mates': send each alone
                        // (first, as far as the budget goes; the rest retry later), so only the culprit is rejected
                        LOG.warn("DingTalk sink {}: the robot refused '{}', which packs {} digests ({}); sending them "
                                + "one per message", name, message.title(), unit.digests.size(), outcome.reason);
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
                    LOG.warn("DingTalk sink {}: '{}' ({} digest(s)) got no reply: {}; it may have reached the robot. "
                            + "Nothing more is sent to the robot in this call; the next sends it again", name,
                            message.title(), unit.digests.size(), outcome.reason);
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
        LOG.debug("DingTalk sink {}: delivered {} digest(s) in {} message(s)", name, unit.digests.size(),
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
        DigestRenderer.Detail less = unit.detail == DigestRenderer.Detail.PATTERNS ? DigestRenderer.Detail.COUNTS
                : DigestRenderer.Detail.PATTERNS;
        String refused = unit.refused.isEmpty() ? outcome.reason + partsNote
                : unit.refused + "; then its patterns: " + outcome.reason;
        LOG.warn("DingTalk sink {}: the robot refused the text of '{}' ({}); sending it again with {}", name,
                message.title(), outcome.reason, less == DigestRenderer.Detail.PATTERNS
                        ? "patterns and counts only" : "counts only");
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
            LOG.warn("DingTalk sink {}: digest {} {}", name, digest.id(), note);
            return DeliveryResult.delivered(digest, note);
        }
        return DeliveryResult.delivered(digest);
    }

    /** What a delivered {@code unit} that withholds log text left out, and why. */
    static String withheldNote(Unit unit) {
        return (unit.detail == DigestRenderer.Detail.COUNTS
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
            Optional<List<OutgoingMessage>> parts = render(digests, index, byteLimit, DigestRenderer.Detail.FULL,
                    results);
            if (parts.isPresent()) {
                units.add(new Unit(List.of(index), parts.get(), byteLimit, DigestRenderer.Detail.FULL, ""));
                messages += parts.get().size();
            }
        }
        if (messages <= available || units.size() <= 1) {
            return units;
        }
        // more to say than the budget carries: pack projects together rather than hold any back
        List<Unit> packed = new ArrayList<>();
        List<Integer> pack = new ArrayList<>();
        OutgoingMessage packMessage = null;
        for (Unit unit : units) {
            int index = unit.digests.get(0);
            Optional<List<OutgoingMessage>> compact = render(digests, index, byteLimit, DigestRenderer.Detail.COMPACT,
                    results);
            if (compact.isEmpty()) {
                continue;
            }
            if (compact.get().size() > 1) {
                packed.add(new Unit(List.of(index), compact.get(), byteLimit, DigestRenderer.Detail.COMPACT, ""));
                continue;
            }
            List<Integer> candidate = new ArrayList<>(pack);
            candidate.add(index);
            // a digest whose request timed out goes only into a pack smaller than that request's
            boolean allowed = candidate.stream().allMatch(i -> packLimit(digests.get(i)) >= candidate.size());
            Optional<OutgoingMessage> together = pack.isEmpty() || !allowed ? Optional.empty()
                    : renderer.pack(candidate, candidate.stream().map(digests::get).toList(), byteLimit);
            if (together.isPresent()) {
                pack = candidate;
                packMessage = together.get();
            } else {
                if (!pack.isEmpty()) {
                    packed.add(new Unit(pack, List.of(packMessage), byteLimit, DigestRenderer.Detail.COMPACT, ""));
                }
                pack = new ArrayList<>(List.of(index));
                packMessage = compact.get().get(0);
            }
        }
        if (!pack.isEmpty()) {
            packed.add(new Unit(pack, List.of(packMessage), byteLimit, DigestRenderer.Detail.COMPACT, ""));
        }
        return packed;
    }

    /**
     * One unit per digest of a refused pack, each in the compact form it had in the pack (one message each): never
     * packed again, so a second refusal names its digest.
     */
    private List<Unit> alone(List<Digest> digests, List<Integer> indices, int byteLimit, DeliveryResult[] results) {
        List<Unit> units = new ArrayList<>();
        for (int index : indices) {
            render(digests, index, byteLimit, DigestRenderer.Detail.COMPACT, results).ifPresent(parts -> units.add(
                    new Unit(List.of(index), parts, byteLimit, DigestRenderer.Detail.COMPACT, "")));
        }
        return units;
    }

    /** The most digests a message carrying {@code digest} may carry; unlimited unless its request timed out. */
    private int packLimit(Digest digest) {
        return packLimits.getOrDefault(digest.id(), Integer.MAX_VALUE);
    }

    private Optional<List<OutgoingMessage>> render(List<Digest> digests, int index, int byteLimit,
            DigestRenderer.Detail detail, DeliveryResult[] results) {
        try {
            return Optional.of(renderer.split(index, digests.get(index), byteLimit, detail));
        } catch (RuntimeException e) {
            results[index] = DeliveryResult.rejected(digests.get(index),
                    "cannot render the digest within " + byteLimit + " bytes: " + e.getMessage());
            LOG.error("DingTalk sink {}: {}", name, results[index].reason());
            return Optional.empty();
        }
    }

    /**
     * Takes a slot of the robot's shared budget, when there is one; a full or unreadable budget sends nothing. The
     * shared period is a second longer than DingTalk's minute: a slot is taken when the request leaves, and DingTalk
     * counts it when it arrives.
     */
    private Optional<Outcome> takeShared(Instant now) {
        SharedBudgets shared = sharedBudgets;
        if (shared == null) {
            return Optional.empty();
        }
        Optional<Instant> free;
        try {
            free = shared.take("dingtalk~" + endpoint.budgetKey(), messagesPerMinute, SHARED_PERIOD, now);
        } catch (RuntimeException e) {
            return Optional.of(new Outcome(ErrorCodes.Action.NO_BUDGET, "the robot's budget shared with other "
                    + "processes cannot be read: " + e.getMessage(), Optional.empty()));
        }
        return free.map(at -> new Outcome(ErrorCodes.Action.NO_BUDGET, "the robot's budget of " + messagesPerMinute
                + " messages a minute, shared with other processes through the state store, is used up",
                Optional.of(at)));
    }

    /**
     * Shares the robot's budget with the sinks of other processes through {@code budgets}: every message takes a slot
     * of them too, so that several applications on one robot stay within its limit together.
     */
    @Override
    public void shareBudgets(SharedBudgets budgets) {
        this.sharedBudgets = Objects.requireNonNull(budgets, "budgets");
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
            Optional<RobotBudgets.Slot> slot = budget.tryAcquire(now, messagesPerMinute);
            if (slot.isEmpty()) {
                Optional<Instant> blocked = budget.blockedUntil(now);
                if (blocked.isPresent()) {
                    return new Outcome(ErrorCodes.Action.THROTTLED, "the robot is throttled until " + blocked.get(),
                            blocked);
                }
                return new Outcome(ErrorCodes.Action.NO_BUDGET, "the robot's budget of " + messagesPerMinute
                        + " messages a minute is used up" + (outcome == null ? "" : " after: " + outcome.reason),
                        Optional.of(budget.freeAt(now, messagesPerMinute, 1)));
            }
            outcome = post(message, now, slot.get());
            if (outcome.action != ErrorCodes.Action.RETRY) {
                return outcome;
            }
            if (attempt < maxAttempts) {
                Duration wait = backoff(attempt);
                LOG.warn("DingTalk sink {}: attempt {} of {} for '{}' failed: {}; retrying in {} ms", name, attempt,
                        maxAttempts, message.title(), outcome.reason, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(ErrorCodes.Action.INTERRUPTED, "interrupted while waiting to retry after: "
                            + outcome.reason, Optional.empty());
                }
            }
        }
        LOG.warn("DingTalk sink {}: giving up on '{}' for this run after {} attempt(s): {}", name, message.title(),
                maxAttempts, outcome.reason);
        return new Outcome(ErrorCodes.Action.RETRY, outcome.reason + " (after " + maxAttempts + " attempts)",
                Optional.empty());
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
     * an instant no earlier than the request's arrival at the robot (see {@link RobotBudgets.Budget}).
     */
    private Outcome post(OutgoingMessage message, Instant now, RobotBudgets.Slot slot) {
        HttpResponse<String> response = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint.requestUri(now.toEpochMilli()))
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()))
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            // nothing reached the robot, but another attempt would wait as long again: a run waits one timeout
            return new Outcome(ErrorCodes.Action.NO_CONNECTION, "no connection to " + endpoint.host()
                    + " within the connect timeout", Optional.empty());
        } catch (HttpTimeoutException e) {
            return new Outcome(ErrorCodes.Action.TIMED_OUT, "no reply within " + requestTimeout.toMillis() + " ms",
                    Optional.empty());
        } catch (ConnectException e) {
            return transportFailure("cannot connect to " + endpoint.host());
        } catch (IOException e) {
            return transportFailure("I/O error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + endpoint.scrub(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(ErrorCodes.Action.INTERRUPTED, "interrupted while sending", Optional.empty());
        } catch (RuntimeException e) {
            // e.g. an unresolvable proxy: one message's trouble must not become an exception for the whole run
            return transportFailure("cannot send: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + endpoint.scrub(e.getMessage())));
        } finally {
            Instant ended = clock.instant();
            // a reply means the robot has counted the request; without one it may still arrive, at the latest (as
            // far as a client can tell) when the request timeout runs out
            Instant deadline = now.plus(requestTimeout);
            budget.settle(slot, response != null || ended.isAfter(deadline) ? ended : deadline);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            return transportFailure("HTTP " + status + " from " + endpoint.host());
        }
        if (status != 200) {
            return loud(ErrorCodes.Action.ROBOT_REJECTED, message, "HTTP " + status + " from "
                    + endpoint.redacted() + "; check 'webhook' / 'base-url'");
        }
        int errcode;
        String errmsg;
        try {
            JsonNode reply = JSON.readTree(response.body());
            JsonNode code = reply == null ? null : reply.get("errcode");
            if (code == null || !code.canConvertToInt()) {
                return transportFailure("a reply without errcode from " + endpoint.host());
            }
            errcode = code.asInt();
            errmsg = endpoint.scrub(reply.path("errmsg").asText(""));
        } catch (IOException e) {
            // a proxy or gateway answering in HTML is passing trouble, not a verdict of the robot
            return transportFailure("a reply that is not JSON from " + endpoint.host());
        }
        ErrorCodes.Action action = ErrorCodes.action(errcode);
        String reason = "DingTalk errcode " + errcode + " (" + ErrorCodes.meaning(errcode) + ")"
                + (errmsg.isBlank() ? "" : ": " + errmsg);
        String hint = ErrorCodes.hint(errcode, errmsg);
        if (!hint.isEmpty()) {
            reason += " — " + hint;
        }
        return switch (action) {
            case DELIVERED -> new Outcome(action, "", Optional.empty());
            case RETRY -> new Outcome(action, reason, Optional.empty());
            case THROTTLED -> {
                Instant until = clock.instant().plus(blockPeriod);
                budget.block(until);
                LOG.error("DingTalk sink {}: the robot is throttled ({}); sending nothing to it until {}", name,
                        reason, until);
                yield new Outcome(action, reason + "; nothing is sent to the robot until " + until,
                        Optional.of(until));
            }
            case QUOTA -> {
                LOG.error("DingTalk sink {}: {}", name, reason);
                yield new Outcome(action, reason, Optional.empty());
            }
            case TOO_LONG -> new Outcome(action, reason, Optional.empty());
            default -> loud(action, message, reason);
        };
    }

    private Outcome loud(ErrorCodes.Action action, OutgoingMessage message, String reason) {
        LOG.error("DingTalk sink {}: the robot refused '{}': {}", name, message.title(), reason);
        return new Outcome(action, reason, Optional.empty());
    }

    private static Outcome transportFailure(String reason) {
        return new Outcome(ErrorCodes.Action.RETRY, reason, Optional.empty());
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
    record Unit(List<Integer> digests, List<OutgoingMessage> messages, int byteLimit, DigestRenderer.Detail detail,
            String refused) {
    }

    /** What became of one message. NO_BUDGET is not an errcode: the sink itself held the message back. */
    private record Outcome(ErrorCodes.Action action, String reason, Optional<Instant> retryAfter) {
    }

    /**
     * Configures a {@link DingTalkSink}. Set either {@link #webhook(String)} or {@link #accessToken(String)}; every
     * other setting has a default. {@link #build()} checks everything at once.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {

        private String webhook;
        private String accessToken;
        private URI baseUrl = DEFAULT_BASE_URL;
        private String secret;
        private List<String> keywords = List.of();
        private MessageType messageType = MessageType.MARKDOWN;
        // null: the title of the shared digest layout, in the sink's labels
        private String title;
        private String name;
        private String actionUrl;
        // null: "Open logs" in the sink's labels
        private String actionTitle;
        private List<String> atMobiles = List.of();
        private List<String> atUserIds = List.of();
        private boolean atAll;
        private ZoneId timeZone = ZoneId.systemDefault();
        private Locale locale = Locale.ENGLISH;
        private int maxMessageLength = 400;
        private int maxBodyBytes = MAX_BODY_BYTES;
        private int messagesPerMinute = MAX_MESSAGES_PER_MINUTE;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private InetSocketAddress proxy;
        private int maxAttempts = 3;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private Duration blockPeriod = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private RandomGenerator random = RandomGenerator.getDefault();
        private RobotBudgets budgets = RobotBudgets.shared();

        private Builder() {
        }

        /** The robot's webhook URL, {@code https://oapi.dingtalk.com/robot/send?access_token=…}. A secret. */
        public Builder webhook(String webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook");
            return this;
        }

        /** The robot's access token, sent to {@link #baseUrl(URI)}; instead of a webhook. A secret. */
        public Builder accessToken(String accessToken) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
            return this;
        }

        /** Where {@code /robot/send} is, with an access token. Default: {@code https://oapi.dingtalk.com}. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The robot's signing secret ({@code SEC…}), when it signs. Default: none. A secret. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The robot's custom keywords; every message carries one. Default: none. */
        public Builder keywords(List<String> keywords) {
            this.keywords = List.copyOf(keywords);
            return this;
        }

        /** The message type. Default: markdown. */
        public Builder messageType(MessageType messageType) {
            this.messageType = Objects.requireNonNull(messageType, "messageType");
            return this;
        }

        /**
         * The title template, with {@code {project} {events} {groups} {from} {to} {pipeline}}.
         * Default: "{project}: {events} errors" in the sink's {@link #locale(Locale) locale} ("shop: 1 error",
         * "shop：12 个错误"), as every sink titles a digest.
         */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /**
         * The sink's name in reports, logs and a pipeline's pending deliveries. A stable name keeps digests pending
         * for this sink across a change of token or URL. Never put a secret in it. Default:
         * {@code dingtalk[<host>, robot <fingerprint of the token>]}.
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a sink name cannot be blank");
            }
            this.name = name.strip();
            return this;
        }

        /**
         * A link per digest (the button of an action card), with {@code {project} {from} {to} {from-millis}
         * {to-millis}} filled in URL-encoded; e.g. a Kibana Discover view of the window. Default: none.
         */
        public Builder actionUrl(String actionUrl) {
            this.actionUrl = Objects.requireNonNull(actionUrl, "actionUrl");
            return this;
        }

        /** The text of the link or button. Default: "Open logs" in the sink's locale ("查看日志"). */
        public Builder actionTitle(String actionTitle) {
            this.actionTitle = Objects.requireNonNull(actionTitle, "actionTitle");
            return this;
        }

        /** Mobile numbers to @mention. Default: none. */
        public Builder atMobiles(List<String> atMobiles) {
            this.atMobiles = List.copyOf(atMobiles);
            return this;
        }

        /** DingTalk user ids to @mention. Default: none. */
        public Builder atUserIds(List<String> atUserIds) {
            this.atUserIds = List.copyOf(atUserIds);
            return this;
        }

        /** Whether to @mention everyone. Default: false. */
        public Builder atAll(boolean atAll) {
            this.atAll = atAll;
            return this;
        }

        /** The zone times are shown in, with their offset. Default: this machine's zone (the JVM's default). */
        public Builder timeZone(ZoneId timeZone) {
            this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
            return this;
        }

        /**
         * The language of the words around log text: English ({@link Locale#ENGLISH}) or Simplified Chinese
         * ({@link Locale#SIMPLIFIED_CHINESE}); see {@link Labels#of(Locale)}. Default: English.
         */
        public Builder locale(Locale locale) {
            this.locale = Objects.requireNonNull(locale, "locale");
            return this;
        }

        /** Characters of a sample message shown per group, 16 to 10,000. Default: 400. */
        public Builder maxMessageLength(int maxMessageLength) {
            this.maxMessageLength = maxMessageLength;
            return this;
        }

        /** Bodies are kept below this many UTF-8 bytes, 2,000 to 20,000. Default: 20,000. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Messages per robot in any 60 seconds, across the JVM, 1 to 20. Default: 20. */
        public Builder messagesPerMinute(int messagesPerMinute) {
            this.messagesPerMinute = messagesPerMinute;
            return this;
        }

        /**
         * How long to wait for a connection. A connect timeout is not retried within a call: nothing more is sent to
         * the robot until the next. Default: 5 s.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long to wait for a reply. A request without a reply in time may still have reached the robot: it is not
         * retried within the call, nothing more is sent to the robot until the next call, and its digests are then
         * sent again (at most once more each per timed-out request, never in a bigger pack). So a call waits for at
         * most one request timeout. Default: 10 s.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** An HTTP proxy to send through. Default: none. */
        public Builder proxy(InetSocketAddress proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * Attempts per message on a passing failure (-1, HTTP 5xx or 429, a dropped connection, a reply that is not
         * JSON), 1 to 10; timeouts are not retried within a call. Default: 3.
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait before the second attempt; doubled for each further one, with jitter, at most 30 s. Default: 1 s. */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
            return this;
        }

        /** How long a throttled robot (410100/130101) is left alone. Default: 10 minutes, as DingTalk blocks. */
        public Builder blockPeriod(Duration blockPeriod) {
            this.blockPeriod = Objects.requireNonNull(blockPeriod, "blockPeriod");
            return this;
        }

        /** The clock for the rate budget, blocks and signatures. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How to wait between attempts. Default: {@link Sleeper#system()}. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The source of backoff jitter. Default: {@link RandomGenerator#getDefault()}. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        // tests give sinks their own registry so that they do not share budgets through the JVM
        Builder budgets(RobotBudgets budgets) {
            this.budgets = Objects.requireNonNull(budgets, "budgets");
            return this;
        }

        /**
         * Builds the sink.
         *
         * @throws ConfigException listing every problem of the settings
         */
        public DingTalkSink build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new ConfigException(TYPE, problems);
            }
            return new DingTalkSink(this, endpoint(new ArrayList<>()));
        }

        /** Every problem of the settings, in config-key terms; never a secret's value. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            endpoint(problems);
            if (secret != null && !secret.startsWith("SEC")) {
                problems.add("'secret' must be the robot's signing secret, which starts with SEC (value not shown)");
            }
            if (keywords.size() > 10) {
                problems.add("'keywords' holds " + keywords.size() + " keywords; a robot has at most 10");
            }
            if (keywords.stream().anyMatch(String::isBlank)) {
                problems.add("'keywords' holds a blank keyword");
            }
            if (title != null) {
                for (String unknown : DigestRenderer.unknownPlaceholders(title,
                        DigestRenderer.TITLE_PLACEHOLDERS)) {
                    problems.add("'title' has the unknown placeholder " + unknown + "; known: {project}, {events}, "
                            + "{groups}, {from}, {to}, {pipeline}");
                }
                if (title.isBlank()) {
                    problems.add("'title' must not be blank");
                }
            }
            try {
                Labels.of(locale);
            } catch (IllegalArgumentException e) {
                problems.add("'locale' must be one of " + String.join(", ", Labels.SUPPORTED) + ", was '"
                        + locale.toLanguageTag() + "'");
            }
            if (actionUrl != null) {
                for (String unknown : DigestRenderer.unknownPlaceholders(actionUrl, DigestRenderer.URL_PLACEHOLDERS)) {
                    problems.add("'action-url' has the unknown placeholder " + unknown + "; known: {project}, "
                            + "{from}, {to}, {from-millis}, {to-millis}");
                }
                String scheme = actionUrl.strip().toLowerCase(Locale.ROOT);
                if (!scheme.startsWith("http://") && !scheme.startsWith("https://")
                        && !scheme.startsWith("dingtalk://")) {
                    problems.add("'action-url' must be an http(s) or dingtalk:// URL, was '" + actionUrl + "'");
                }
            } else if (messageType == MessageType.ACTION_CARD) {
                problems.add("'message-type' actionCard needs 'action-url': the link of its button");
            }
            if (messageType == MessageType.ACTION_CARD && (atAll || !atMobiles.isEmpty() || !atUserIds.isEmpty())) {
                problems.add("'at-mobiles', 'at-user-ids' and 'at-all' work with markdown and text messages only, "
                        + "not actionCard");
            }
            for (String mobile : atMobiles) {
                if (!MOBILE.matcher(mobile).matches()) {
                    problems.add("'at-mobiles' holds '" + mobile + "', which is not a mobile number");
                }
            }
            if (atUserIds.stream().anyMatch(u -> u.isBlank() || u.chars().anyMatch(Character::isWhitespace))) {
                problems.add("'at-user-ids' holds a blank user id or one with spaces");
            }
            range(problems, "max-message-length", maxMessageLength, 16, 10_000);
            range(problems, "max-body-bytes", maxBodyBytes, 2_000, MAX_BODY_BYTES);
            range(problems, "messages-per-minute", messagesPerMinute, 1, MAX_MESSAGES_PER_MINUTE);
            range(problems, "max-attempts", maxAttempts, 1, 10);
            positive(problems, "connect-timeout", connectTimeout);
            positive(problems, "request-timeout", requestTimeout);
            if (retryBackoff.isNegative()) {
                problems.add("'retry-backoff' must not be negative, was " + retryBackoff);
            }
            if (blockPeriod.isNegative()) {
                problems.add("blockPeriod must not be negative, was " + blockPeriod);
            }
            return problems;
        }

        private RobotEndpoint endpoint(List<String> problems) {
            Optional<String> signing = Optional.ofNullable(secret);
            if (webhook != null && accessToken != null) {
                problems.add("set either 'webhook' or 'access-token', not both");
                return null;
            }
            if (webhook != null) {
                try {
                    return RobotEndpoint.ofWebhook(webhook, signing);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                    return null;
                }
            }
            if (accessToken == null || accessToken.isBlank()) {
                problems.add("'webhook' or 'access-token' is required: the robot's webhook URL, or its access token");
                return null;
            }
            if (baseUrl.getRawUserInfo() != null) {
                // a user name and password would reach sink names, logs and reasons, which show the host
                problems.add("'base-url' must not hold a user name or password before the host (value not shown)");
                return null;
            }
            String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
                // not echoed: an authority that is not a host (user:pw@ho_st) hides its user info from the check above
                problems.add("'base-url' must be an http(s) URL with a host, such as " + DEFAULT_BASE_URL
                        + " (value not shown)");
                return null;
            }
            return RobotEndpoint.of(baseUrl, accessToken.strip(), signing);
        }

        private static void range(List<String> problems, String key, int value, int min, int max) {
            if (value < min || value > max) {
                problems.add("'" + key + "' must be from " + min + " to " + max + ", was " + value);
            }
        }

        private static void positive(List<String> problems, String key, Duration value) {
            if (value.isZero() || value.isNegative()) {
                problems.add("'" + key + "' must be longer than zero, was " + value);
            }
        }

        @Override
        public String toString() {
            return "DingTalkSink.Builder[" + (webhook != null ? "webhook=***"
                    : "base-url=" + (baseUrl.getRawAuthority() != null && baseUrl.getRawAuthority().contains("@")
                            ? "(holds a user name, not shown)" : baseUrl))
                    + ", secret=" + (secret == null ? "none" : "***") + "]";
        }
    }
}
