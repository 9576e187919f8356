package io.logalert.sink.robot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part every chat-robot emulator shares: a server on a free loopback port, the log of requests and of the messages
 * the robot accepted, rate windows on an injectable {@link Clock} with an optional block after they overflow, refused
 * content, and injected faults (a chosen error code, an HTTP error, a slow reply, a dropped connection, a request that
 * is never answered) for the next requests or for a stretch of the robot's clock. A platform's emulator supplies what
 * differs: which paths it serves, its verdict on a request ({@link #judge(Request)}), the JSON shape of its answer
 * and the usual message of each code.
 *
 * <p>Requests are handled on their own threads, so a held reply does not hold up the next request. Thread-safe.
 *
 * @param <M> the record of one accepted message
 * @param <E> the emulator itself, so that the fault methods chain
 */
public abstract class RobotEmulator<M, E extends RobotEmulator<M, E>> implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's server writes a reply's headers and body in two segments; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, about 40 ms a request, which made a 100-message rate test take 5 s
        // instead of 0.3 s. The JDK reads the setting once, when its first server starts; a choice of the
        // application's own is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * One request and the emulator's answer.
     *
     * @param receivedAt when, on the emulator's clock
     * @param httpStatus the HTTP status answered, or 0 when the connection was dropped or never answered
     * @param errcode    the platform's error code answered ({@code errcode} of DingTalk and WeCom, {@code code} of
     *                   Feishu), or empty when there was no JSON answer
     * @param errmsg     the message answered with the code, or empty
     * @param bodyBytes  the size of the request body
     */
    public record Exchange(Instant receivedAt, int httpStatus, Optional<Integer> errcode, String errmsg,
            int bodyBytes) {
    }

    /**
     * At most {@code requests} requests in any {@code per} (a sliding window on the robot's clock).
     *
     * @param requests how many requests the window holds; at least 1
     * @param per      the window's length; positive
     */
    public record RateLimit(int requests, Duration per) {

        /** Checks the limit is usable. */
        public RateLimit {
            Objects.requireNonNull(per, "per");
            if (requests < 1 || per.isZero() || per.isNegative()) {
                throw new IllegalArgumentException("a rate limit needs at least 1 request in a positive period, not "
                        + requests + " per " + per);
            }
        }
    }

    /**
     * A fault the robot meets a request with, for {@link #failUntil(Instant, Fault...)}; {@link #failNext(int, int)}
     * and its neighbours queue the same faults one request at a time.
     */
    public sealed interface Fault permits ErrorFault, HttpFault, DelayFault, DropFault, HangFault {

        /** Answers with {@code code} and the platform's usual message for it, without handling the request. */
        static Fault errcode(int code) {
            return new ErrorFault(code, Optional.empty());
        }

        /** Answers with {@code code} and {@code message}, without handling the request. */
        static Fault errcode(int code, String message) {
            return new ErrorFault(code, Optional.of(Objects.requireNonNull(message, "message")));
        }

        /** Answers HTTP {@code status} without JSON (502, 503, …), without handling the request. */
        static Fault httpError(int status) {
            return new HttpFault(status);
        }

        /**
         * Handles the request at once (accepting or refusing it as usual) and holds the reply for {@code delay} of
         * real time, to trip a client's request timeout: the message is delivered all the same.
         */
        static Fault slowReply(Duration delay) {
            return new DelayFault(Objects.requireNonNull(delay, "delay"));
        }

        /** Closes the connection without any reply, and without handling the request. */
        static Fault drop() {
            return new DropFault();
        }

        /**
         * Never answers and never handles the request: the connection stays open until the client gives up or the
         * emulator closes. Unlike {@link #slowReply(Duration)}, nothing was delivered.
         */
        static Fault hang() {
            return new HangFault();
        }
    }

    private record ErrorFault(int code, Optional<String> message) implements Fault {
    }

    private record HttpFault(int status) implements Fault {
    }

    private record DelayFault(Duration delay) implements Fault {
    }

    private record DropFault() implements Fault {
    }

    private record HangFault() implements Fault {
    }

    /**
     * A request as the platform's checks see it.
     *
     * @param method     the HTTP method
     * @param path       the decoded path
     * @param query      the decoded query parameters (the last of a repeated name)
     * @param headers    the request headers, names in lower case
     * @param remoteIp   the client's address
     * @param body       the body as received
     * @param receivedAt when, on the emulator's clock
     * @param replyDelay how long the reply will be held ({@link Fault#slowReply(Duration)}), zero when it is not
     */
    protected record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
            String remoteIp, byte[] body, Instant receivedAt, Duration replyDelay) {

        /** The header {@code name} (any case), if present. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /**
     * The platform's reply to a request.
     *
     * @param httpStatus the HTTP status (200 for most answers of these platforms, refusals included)
     * @param code       the platform's code, 0 when accepted
     * @param message    the message answered with the code
     * @param accepted   the message the robot took, when it took one
     * @param <T>        the record of an accepted message
     */
    protected record Reply<T>(int httpStatus, int code, String message, Optional<T> accepted) {

        /** The robot took {@code message} and answers HTTP 200, code 0 and {@code answer}. */
        public static <T> Reply<T> accept(T message, String answer) {
            return new Reply<>(200, 0, answer, Optional.of(message));
        }

        /** The robot refuses with HTTP 200, {@code code} and {@code message}. */
        public static <T> Reply<T> refuse(int code, String message) {
            return new Reply<>(200, code, message, Optional.empty());
        }

        /** The robot refuses with HTTP {@code httpStatus}, {@code code} and {@code message}. */
        public static <T> Reply<T> refuse(int httpStatus, int code, String message) {
            return new Reply<>(httpStatus, code, message, Optional.empty());
        }
    }

    /**
     * What every emulator's builder sets: the robot's clock and its rate. A platform's builder extends it (or
     * {@link SecuredSettings}) with its own settings and a {@code start()}.
     *
     * <p>Not thread-safe.
     *
     * @param <S> the platform's builder, so that the setters chain
     */
    public abstract static class Settings<S extends Settings<S>> {

        private Clock clock = Clock.systemUTC();
        private int messagesPerMinute;
        private Duration blockPeriod;

        /**
         * Starts with the platform's defaults.
         *
         * @param messagesPerMinute requests the robot takes in any 60 seconds
         * @param blockPeriod       how long it refuses everything after that window overflowed; zero for only while
         *                          it is full
         */
        protected Settings(int messagesPerMinute, Duration blockPeriod) {
            this.messagesPerMinute = messagesPerMinute;
            this.blockPeriod = Objects.requireNonNull(blockPeriod, "blockPeriod");
        }

        /** The robot's clock, for its rate windows, block, timestamp check and records. Default: the system's. */
        public S clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return self();
        }

        /** Requests allowed in any 60 seconds. */
        public S messagesPerMinute(int messagesPerMinute) {
            this.messagesPerMinute = messagesPerMinute;
            return self();
        }

        /** How long the robot refuses everything after too many requests; zero for only while its window is full. */
        public S blockPeriod(Duration blockPeriod) {
            this.blockPeriod = Objects.requireNonNull(blockPeriod, "blockPeriod");
            return self();
        }

        /** This builder. */
        @SuppressWarnings("unchecked")
        protected final S self() {
            return (S) this;
        }
    }

    /**
     * The settings of a robot with security settings (a signing secret, custom keywords, an IP allow-list) and a body
     * limit, as DingTalk's and Feishu's have. The platform checks them in its own order with
     * {@link RobotEmulator#signatureSecret()}, {@link RobotEmulator#timestampWithinTolerance(Instant, Instant)},
     * {@link RobotEmulator#fromAllowedAddress(Request)}, {@link RobotEmulator#holdsKeyword(String...)} and
     * {@link RobotEmulator#withinBodyLimit(Request)}.
     *
     * <p>Not thread-safe.
     *
     * @param <S> the platform's builder, so that the setters chain
     */
    public abstract static class SecuredSettings<S extends SecuredSettings<S>> extends Settings<S> {

        private String secret;
        private List<String> keywords = List.of();
        private List<String> allowedIps = List.of();
        private Duration timestampTolerance = Duration.ofHours(1);
        private int maxBodyBytes;

        /**
         * Starts with the platform's defaults, no secret, no keywords, no IP allow-list and a one-hour timestamp
         * window.
         *
         * @param maxBodyBytes the largest body the robot takes, in bytes
         */
        protected SecuredSettings(int messagesPerMinute, Duration blockPeriod, int maxBodyBytes) {
            super(messagesPerMinute, blockPeriod);
            this.maxBodyBytes = maxBodyBytes;
        }

        /** Makes the robot check signatures made with {@code secret}. */
        public S secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return self();
        }

        /** The robot's custom keywords; a message must hold one. */
        public S keywords(String... keywords) {
            this.keywords = List.of(keywords);
            return self();
        }

        /** The IP addresses the robot accepts requests from; empty for any. */
        public S allowedIps(String... ips) {
            this.allowedIps = List.of(ips);
            return self();
        }

        /** How far a signature's timestamp may be from the robot's clock. Default: one hour. */
        public S timestampTolerance(Duration timestampTolerance) {
            this.timestampTolerance = Objects.requireNonNull(timestampTolerance, "timestampTolerance");
            return self();
        }

        /** The largest body accepted, in bytes. */
        public S maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return self();
        }
    }

    private final Clock clock;
    private final List<RateLimit> limits;
    private final Duration blockPeriod;
    private final Optional<String> secret;
    private final List<String> keywords;
    private final List<String> allowedIps;
    private final Duration timestampTolerance;
    private final int maxBodyBytes;
    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closed = new CountDownLatch(1);

    private final Deque<Fault> faults = new ArrayDeque<>();
    private List<Fault> outage = List.of();
    private Instant outageUntil = Instant.MIN;
    private int outageNext;
    private final Map<String, Integer> refusedContent = new LinkedHashMap<>();
    private final Deque<Instant> recent = new ArrayDeque<>();
    private final List<M> accepted = new ArrayList<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private Instant blockedUntil = Instant.MIN;

    /**
     * Starts the server on a free loopback port.
     *
     * @param name     the platform's name, for thread names
     * @param settings the robot's settings; its rate is a window of {@code messagesPerMinute} in any 60 seconds
     * @param more     further rate windows every counted request must also fit in (Feishu's 5 a second)
     * @throws UncheckedIOException when no server socket can be opened
     */
    protected RobotEmulator(String name, Settings<?> settings, RateLimit... more) {
        this.clock = settings.clock;
        List<RateLimit> windows = new ArrayList<>(List.of(more));
        windows.add(0, new RateLimit(settings.messagesPerMinute, Duration.ofMinutes(1)));
        this.limits = List.copyOf(windows);
        this.blockPeriod = settings.blockPeriod;
        if (settings instanceof SecuredSettings<?> secured) {
            this.secret = Optional.ofNullable(secured.secret);
            this.keywords = secured.keywords;
            this.allowedIps = secured.allowedIps;
            this.timestampTolerance = secured.timestampTolerance;
            this.maxBodyBytes = secured.maxBodyBytes;
        } else {
            this.secret = Optional.empty();
            this.keywords = List.of();
            this.allowedIps = List.of();
            this.timestampTolerance = Duration.ofHours(1);
            this.maxBodyBytes = Integer.MAX_VALUE;
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name + "-emulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the " + name + " emulator", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Whether the robot serves {@code path} (other paths are answered 404). */
    protected abstract boolean serves(String path);

    /**
     * The platform's verdict on a request no fault met, its checks in the platform's order. Called on the request's
     * thread, without a lock held; use {@link #withinRate(Instant)} and {@link #refusal(String...)} for the shared
     * checks.
     */
    protected abstract Reply<M> judge(Request request);

    /** The JSON object the platform answers {@code code} and {@code message} with. */
    protected abstract Map<String, Object> answer(int code, String message);

    /** The platform's usual message for {@code code}, for injected error codes. */
    protected abstract String defaultMessage(int code);

    /** The HTTP status the platform sends {@code code} with, for injected error codes. Default: 200. */
    protected int httpStatus(int code) {
        return 200;
    }

    /** The robot's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public URI baseUrl() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    /** The messages accepted so far, in order. */
    public synchronized List<M> accepted() {
        return List.copyOf(accepted);
    }

    /** Every request so far and its answer, in order. */
    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** How many requests were answered with {@code errcode}. */
    public synchronized long answered(int errcode) {
        return exchanges.stream().filter(e -> e.errcode().equals(Optional.of(errcode))).count();
    }

    /** When the robot's throttling block ends, if it is blocked now. */
    public synchronized Optional<Instant> blockedUntil() {
        Instant now = clock.instant();
        return now.isBefore(blockedUntil) ? Optional.of(blockedUntil) : Optional.empty();
    }

    /** Answers the next {@code count} requests with {@code errcode} and the platform's usual message for it. */
    public synchronized E failNext(int count, int errcode) {
        for (int i = 0; i < count; i++) {
            faults.add(Fault.errcode(errcode));
        }
        return self();
    }

    /** Answers the next {@code count} requests with {@code errcode} and {@code errmsg}. */
    public synchronized E failNext(int count, int errcode, String errmsg) {
        Objects.requireNonNull(errmsg, "errmsg");
        for (int i = 0; i < count; i++) {
            faults.add(Fault.errcode(errcode, errmsg));
        }
        return self();
    }

    /** Answers the next {@code count} requests with HTTP {@code status} and no JSON. */
    public synchronized E httpErrorNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(Fault.httpError(status));
        }
        return self();
    }

    /**
     * Handles the next {@code count} requests at once (accepting or refusing them as usual, on the robot's clock)
     * and holds their replies for {@code delay} of real time, to trip a client's timeout. As with the real platforms,
     * a client that gave up waiting may still have had its message delivered: a retry then shows it twice.
     */
    public synchronized E delayNext(int count, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        for (int i = 0; i < count; i++) {
            faults.add(Fault.slowReply(delay));
        }
        return self();
    }

    /** Closes the connection of the next {@code count} requests without any reply. */
    public synchronized E dropNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(Fault.drop());
        }
        return self();
    }

    /**
     * Leaves the next {@code count} requests unanswered and unhandled until the client gives up or the emulator
     * closes: a client without a request timeout waits for ever.
     */
    public synchronized E hangNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(Fault.hang());
        }
        return self();
    }

    /**
     * Refuses every message whose text holds {@code fragment} with {@code errcode}, as the platforms' content checks
     * do, after the other checks passed. Until {@link #reset()}.
     */
    public synchronized E refuseContent(String fragment, int errcode) {
        Objects.requireNonNull(fragment, "fragment");
        refusedContent.put(fragment, errcode);
        return self();
    }

    /**
     * Meets every request with a fault until {@code until} on the robot's clock: the first request with the first
     * of {@code faults}, the next with the next, from the first again after the last. Faults queued by
     * {@link #failNext(int, int)} and its neighbours come first. Until {@link #reset()}; a later call replaces the
     * outage.
     *
     * <pre>{@code
     * robot.failUntil(clock.instant().plus(Duration.ofMinutes(10)), Fault.errcode(-1), Fault.httpError(503),
     *         Fault.slowReply(Duration.ofSeconds(2)), Fault.drop());
     * }</pre>
     */
    public synchronized E failUntil(Instant until, Fault... faults) {
        Objects.requireNonNull(until, "until");
        if (faults.length == 0) {
            throw new IllegalArgumentException("an outage needs at least one fault");
        }
        this.outage = List.of(faults);
        this.outageUntil = until;
        this.outageNext = 0;
        return self();
    }

    /** Forgets the recorded requests and messages, pending faults, refused content, the rate count and any block. */
    public synchronized void reset() {
        faults.clear();
        outage = List.of();
        outageUntil = Instant.MIN;
        outageNext = 0;
        refusedContent.clear();
        recent.clear();
        accepted.clear();
        exchanges.clear();
        blockedUntil = Instant.MIN;
    }

    /** Stops the server; requests left hanging are cut off. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + baseUrl() + "]";
    }

    /**
     * Counts a request made at {@code now} against the rate windows. Returns false, without counting it, when the
     * robot is blocked or a window is full; a full window also starts the block period.
     */
    protected final synchronized boolean withinRate(Instant now) {
        if (now.isBefore(blockedUntil)) {
            return false;
        }
        Duration longest = limits.stream().map(RateLimit::per).max(Duration::compareTo).orElse(Duration.ZERO);
        while (!recent.isEmpty() && !recent.peekFirst().plus(longest).isAfter(now)) {
            recent.removeFirst();
        }
        for (RateLimit limit : limits) {
            long inWindow = recent.stream().filter(t -> t.plus(limit.per()).isAfter(now)).count();
            if (inWindow >= limit.requests()) {
                if (!blockPeriod.isZero()) {
                    blockedUntil = now.plus(blockPeriod);
                }
                return false;
            }
        }
        recent.addLast(now);
        return true;
    }

    /** The code of the first refused fragment that one of {@code texts} holds ({@link #refuseContent}). */
    protected final Optional<Integer> refusal(String... texts) {
        Map<String, Integer> rules;
        synchronized (this) {
            rules = new LinkedHashMap<>(refusedContent);
        }
        for (Map.Entry<String, Integer> rule : rules.entrySet()) {
            for (String text : texts) {
                if (text.contains(rule.getKey())) {
                    return Optional.of(rule.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** The secret the robot checks signatures with, if it has one ({@link SecuredSettings#secret(String)}). */
    protected final Optional<String> signatureSecret() {
        return secret;
    }

    /** Whether a signature's {@code timestamp} is close enough to the robot's {@code now}. */
    protected final boolean timestampWithinTolerance(Instant timestamp, Instant now) {
        return Duration.between(timestamp, now).abs().compareTo(timestampTolerance) <= 0;
    }

    /** Whether the request comes from an allowed address (any, when the robot has no allow-list). */
    protected final boolean fromAllowedAddress(Request request) {
        return allowedIps.isEmpty() || allowedIps.contains(request.remoteIp());
    }

    /** Whether one of {@code texts} holds one of the robot's keywords (true when it has none). */
    protected final boolean holdsKeyword(String... texts) {
        for (String text : texts) {
            if (keywords.isEmpty() || keywords.stream().anyMatch(text::contains)) {
                return true;
            }
        }
        return keywords.isEmpty();
    }

    /** Whether the body is within the robot's limit. */
    protected final boolean withinBodyLimit(Request request) {
        return request.body().length <= maxBodyBytes;
    }

    /** The robot's body limit, in bytes. */
    protected final int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The robot's clock. */
    protected final Clock clock() {
        return clock;
    }

    /** The answer of the platforms that answer {@code {"errcode":…,"errmsg":…}} (DingTalk, WeCom). */
    protected static Map<String, Object> errcodeAnswer(int code, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("errcode", code);
        answer.put("errmsg", message);
        return answer;
    }

    /** The texts of a JSON array (mention lists), empty when {@code array} is missing or not an array. */
    protected static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    /** The body as JSON text, for records of accepted messages. */
    protected static String json(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reader for request bodies. */
    protected static ObjectMapper mapper() {
        return JSON;
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Fault fault;
            synchronized (this) {
                fault = faults.poll();
                if (fault == null && clock.instant().isBefore(outageUntil)) {
                    fault = outage.get(outageNext++ % outage.size());
                }
            }
            Duration hold = Duration.ZERO;
            if (fault instanceof DelayFault delay) {
                // the request is handled now and only the reply is late, as when a platform answers slowly
                hold = delay.delay();
                fault = null;
            }
            if (fault instanceof DropFault) {
                record(0, null, "", body.length);
                // an exception out of the handler makes the server close the connection without a reply
                throw new IOException("connection dropped on purpose");
            }
            if (fault instanceof HangFault) {
                record(0, null, "", body.length);
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("request left unanswered on purpose");
            }
            if (fault instanceof HttpFault http) {
                record(http.status(), null, "", body.length);
                byte[] text = ("<html><body>HTTP " + http.status() + "</body></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                exchange.sendResponseHeaders(http.status(), text.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(text);
                }
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (!serves(path) || !exchange.getRequestMethod().equals("POST")) {
                record(404, null, "", body.length);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Reply<M> verdict;
            if (fault instanceof ErrorFault error) {
                verdict = Reply.refuse(httpStatus(error.code()), error.code(),
                        error.message().orElseGet(() -> defaultMessage(error.code())));
            } else {
                verdict = judge(request(exchange, path, body, hold));
            }
            synchronized (this) {
                verdict.accepted().ifPresent(accepted::add);
                exchanges.add(new Exchange(clock.instant(), verdict.httpStatus(), Optional.of(verdict.code()),
                        verdict.message(), body.length));
            }
            if (!hold.isZero()) {
                try {
                    Thread.sleep(hold.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] json = JSON.writeValueAsBytes(answer(verdict.code(), verdict.message()));
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(verdict.httpStatus(), json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        }
    }

    private Request request(HttpExchange exchange, String path, byte[] body, Duration hold) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
            }
        });
        return new Request(exchange.getRequestMethod(), path, query(exchange.getRequestURI().getRawQuery()),
                Map.copyOf(headers), exchange.getRemoteAddress().getAddress().getHostAddress(), body,
                clock.instant(), hold);
    }

    private synchronized void record(int status, Integer errcode, String errmsg, int bodyBytes) {
        exchanges.add(new Exchange(clock.instant(), status, Optional.ofNullable(errcode), errmsg, bodyBytes));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
