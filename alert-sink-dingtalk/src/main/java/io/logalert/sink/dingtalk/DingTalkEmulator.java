package io.logalert.sink.dingtalk;

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
import java.net.URLEncoder;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DingTalk custom robot on loopback, for tests and demos: it checks requests as DingTalk does (token, signature
 * and its one-hour timestamp window, keywords, IP allow-list, the JSON shape of each message type, the body size,
 * 20 messages a minute followed by a 10-minute block) and answers as DingTalk does: HTTP 200 with an
 * {@code errcode}. Its clock is injectable, so a test moves time instead of waiting. Faults can be injected:
 * chosen error codes, content refusals, HTTP errors, slow replies and dropped connections, for the next requests or
 * for a stretch of the robot's clock (an outage). It records every request and the messages it accepted.
 *
 * <pre>{@code
 * try (DingTalkEmulator robot = DingTalkEmulator.builder().secret("SECxyz").keywords("alert").start()) {
 *     AlertSink sink = DingTalkSink.builder().webhook(robot.url()).secret("SECxyz")
 *             .keywords(List.of("alert")).build();
 *     sink.deliver(digests);
 *     assertThat(robot.accepted()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DingTalkEmulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("text", "markdown", "link", "actionCard", "feedCard");

    /**
     * A message the robot accepted.
     *
     * @param receivedAt when, on the emulator's clock
     * @param msgtype    the message type, e.g. {@code markdown}
     * @param title      the title (markdown, actionCard, link), or empty
     * @param text       what the group sees: the content of a text message, the text of the others
     * @param atMobiles  mobiles mentioned
     * @param atUserIds  user ids mentioned
     * @param atAll      whether everyone was mentioned
     * @param json       the body as received
     * @param replyDelay how long the reply was held back ({@link Fault#slowReply(Duration)}); zero when it was not. A
     *                   client that gave up waiting did not learn that this message was accepted, and may send it
     *                   again
     */
    public record Accepted(Instant receivedAt, String msgtype, String title, String text, List<String> atMobiles,
            List<String> atUserIds, boolean atAll, String json, Duration replyDelay) {

        /** Copies the lists. */
        public Accepted {
            atMobiles = List.copyOf(atMobiles);
            atUserIds = List.copyOf(atUserIds);
            Objects.requireNonNull(replyDelay, "replyDelay");
        }
    }

    /**
     * One request and the emulator's answer.
     *
     * @param receivedAt when, on the emulator's clock
     * @param httpStatus the HTTP status answered, or 0 when the connection was dropped
     * @param errcode    the errcode answered, or empty when there was no JSON answer
     * @param errmsg     the errmsg answered, or empty
     * @param bodyBytes  the size of the request body
     */
    public record Exchange(Instant receivedAt, int httpStatus, Optional<Integer> errcode, String errmsg,
            int bodyBytes) {
    }

    /**
     * A fault the robot meets a request with, for {@link #failUntil(Instant, Fault...)}; {@link #failNext(int, int)}
     * and its neighbours queue the same faults one request at a time.
     */
    public sealed interface Fault permits ErrorFault, HttpFault, DelayFault, DropFault {

        /** Answers HTTP 200 with {@code errcode} and DingTalk's usual errmsg for it (-1 system busy, 410100, …). */
        static Fault errcode(int errcode) {
            return new ErrorFault(errcode, defaultErrmsg(errcode));
        }

        /** Answers HTTP {@code status} without JSON (502, 503, …). */
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
    }

    private record ErrorFault(int errcode, String errmsg) implements Fault {
    }

    private record HttpFault(int status) implements Fault {
    }

    private record DelayFault(Duration delay) implements Fault {
    }

    private record DropFault() implements Fault {
    }

    private final String accessToken;
    private final Optional<String> secret;
    private final List<String> keywords;
    private final List<String> allowedIps;
    private final Clock clock;
    private final int messagesPerMinute;
    private final Duration blockPeriod;
    private final Duration timestampTolerance;
    private final int maxBodyBytes;
    private final int throttleCode;
    private final HttpServer server;
    private final ExecutorService executor;

    private final Deque<Fault> faults = new ArrayDeque<>();
    private List<Fault> outage = List.of();
    private Instant outageUntil = Instant.MIN;
    private int outageNext;
    private final Map<String, Integer> refusedContent = new LinkedHashMap<>();
    private final List<Instant> recent = new ArrayList<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private Instant blockedUntil = Instant.MIN;

    private DingTalkEmulator(Builder b) throws IOException {
        this.accessToken = b.accessToken;
        this.secret = Optional.ofNullable(b.secret);
        this.keywords = b.keywords;
        this.allowedIps = b.allowedIps;
        this.clock = b.clock;
        this.messagesPerMinute = b.messagesPerMinute;
        this.blockPeriod = b.blockPeriod;
        this.timestampTolerance = b.timestampTolerance;
        this.maxBodyBytes = b.maxBodyBytes;
        this.throttleCode = b.legacyThrottleCode ? ErrorCodes.THROTTLED_LEGACY : ErrorCodes.THROTTLED;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dingtalk-emulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts configuring an emulator. */
    public static Builder builder() {
        return new Builder();
    }

    /** The robot's base URL, e.g. {@code http://127.0.0.1:40123}, for the sink's {@code base-url}. */
    public URI baseUrl() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    /** The robot's webhook URL, access token included. */
    public String url() {
        return baseUrl() + RobotEndpoint.SEND_PATH + "?access_token="
                + URLEncoder.encode(accessToken, StandardCharsets.UTF_8);
    }

    /** The access token the robot accepts. */
    public String accessToken() {
        return accessToken;
    }

    /** The messages accepted so far, in order. */
    public synchronized List<Accepted> accepted() {
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

    /** Answers the next {@code count} requests with {@code errcode} and DingTalk's usual errmsg for it. */
    public DingTalkEmulator failNext(int count, int errcode) {
        return failNext(count, errcode, defaultErrmsg(errcode));
    }

    /** Answers the next {@code count} requests with {@code errcode} and {@code errmsg} (HTTP 200). */
    public synchronized DingTalkEmulator failNext(int count, int errcode, String errmsg) {
        Objects.requireNonNull(errmsg, "errmsg");
        for (int i = 0; i < count; i++) {
            faults.add(new ErrorFault(errcode, errmsg));
        }
        return this;
    }

    /** Answers the next {@code count} requests with HTTP {@code status} and no JSON. */
    public synchronized DingTalkEmulator httpErrorNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(new HttpFault(status));
        }
        return this;
    }

    /**
     * Handles the next {@code count} requests at once (accepting or refusing them as usual, on the robot's clock)
     * and holds their replies for {@code delay} of real time, to trip a client's timeout. As with DingTalk, a client
     * that gave up waiting may still have had its message delivered: a retry then shows it twice.
     */
    public synchronized DingTalkEmulator delayNext(int count, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        for (int i = 0; i < count; i++) {
            faults.add(new DelayFault(delay));
        }
        return this;
    }

    /**
     * Refuses every message whose title or text holds {@code fragment} with {@code errcode}, as DingTalk's content
     * checks do (430101 unsafe link, 430102 inappropriate text, 430104 inappropriate content), after the other
     * checks passed. Until {@link #reset()}.
     */
    public synchronized DingTalkEmulator refuseContent(String fragment, int errcode) {
        Objects.requireNonNull(fragment, "fragment");
        refusedContent.put(fragment, errcode);
        return this;
    }

    /**
     * Meets every request with a fault until {@code until} on the robot's clock: the first request with the first
     * of {@code faults}, the next with the next, from the first again after the last. Faults queued by
     * {@link #failNext(int, int)} and its neighbours come first. Until {@link #reset()}; a later call replaces the
     * outage.
     *
     * <pre>{@code
     * robot.failUntil(clock.instant().plus(Duration.ofMinutes(10)), Fault.errcode(-1), Fault.httpError(503),
     *         Fault.slowReply(Duration.ofSeconds(2)), Fault.errcode(410100));
     * }</pre>
     */
    public synchronized DingTalkEmulator failUntil(Instant until, Fault... faults) {
        Objects.requireNonNull(until, "until");
        if (faults.length == 0) {
            throw new IllegalArgumentException("an outage needs at least one fault");
        }
        this.outage = List.of(faults);
        this.outageUntil = until;
        this.outageNext = 0;
        return this;
    }

    /** Closes the connection of the next {@code count} requests without any reply. */
    public synchronized DingTalkEmulator dropNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(new DropFault());
        }
        return this;
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

    /** Stops the server. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "DingTalkEmulator[" + baseUrl() + "]";
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
                // the request is handled now and only the reply is late, as when DingTalk answers slowly
                hold = delay.delay();
                fault = null;
            }
            if (fault instanceof DropFault) {
                record(0, null, "", body.length);
                // an exception out of the handler makes the server close the connection without a reply
                throw new IOException("connection dropped on purpose");
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
            Map.Entry<Integer, String> reply;
            if (!exchange.getRequestURI().getPath().equals(RobotEndpoint.SEND_PATH)
                    || !exchange.getRequestMethod().equals("POST")) {
                record(404, null, "", body.length);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (fault instanceof ErrorFault error) {
                reply = Map.entry(error.errcode(), error.errmsg());
            } else {
                reply = judge(exchange, body, hold);
            }
            record(200, reply.getKey(), reply.getValue(), body.length);
            if (!hold.isZero()) {
                try {
                    Thread.sleep(hold.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("errcode", reply.getKey());
            answer.put("errmsg", reply.getValue());
            byte[] json = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        }
    }

    /** DingTalk's verdict on a request, in the order its checks are reported to run. */
    private Map.Entry<Integer, String> judge(HttpExchange exchange, byte[] body, Duration hold) {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String token = query.get("access_token");
        if (token == null || token.isEmpty()) {
            return Map.entry(ErrorCodes.TOKEN_MISSING, "缺少参数 access_token");
        }
        if (!token.equals(accessToken)) {
            return Map.entry(ErrorCodes.TOKEN_INVALID, "token is not exist");
        }
        Instant now = clock.instant();
        synchronized (this) {
            if (now.isBefore(blockedUntil)) {
                return Map.entry(throttleCode, "send too fast, exceed 20 times per minute");
            }
            recent.removeIf(t -> !t.plus(Duration.ofMinutes(1)).isAfter(now));
            if (recent.size() >= messagesPerMinute) {
                blockedUntil = now.plus(blockPeriod);
                return Map.entry(throttleCode, "send too fast, exceed 20 times per minute");
            }
            recent.add(now);
        }
        if (secret.isPresent()) {
            String timestamp = query.get("timestamp");
            String sign = query.get("sign");
            long millis;
            try {
                millis = Long.parseLong(Objects.requireNonNullElse(timestamp, ""));
            } catch (NumberFormatException e) {
                return Map.entry(ErrorCodes.SECURITY, "invalid timestamp");
            }
            if (Duration.between(Instant.ofEpochMilli(millis), now).abs().compareTo(timestampTolerance) > 0) {
                return Map.entry(ErrorCodes.SECURITY, "invalid timestamp");
            }
            if (sign == null || !sign.equals(Signature.base64(millis, secret.get()))) {
                return Map.entry(ErrorCodes.SECURITY, "sign not match");
            }
        }
        if (!allowedIps.isEmpty()) {
            String ip = exchange.getRemoteAddress().getAddress().getHostAddress();
            if (!allowedIps.contains(ip)) {
                return Map.entry(ErrorCodes.SECURITY, "ip " + ip + " not in whitelist");
            }
        }
        String contentType = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Content-Type"), "");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Map.entry(ErrorCodes.BAD_CONTENT_TYPE, "不合法的 Content-Type");
        }
        if (body.length > maxBodyBytes) {
            return Map.entry(ErrorCodes.TOO_LONG, "message too long, exceed " + maxBodyBytes + " bytes");
        }
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (IOException e) {
            return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 json");
        }
        if (message == null || !message.isObject()) {
            return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 json");
        }
        return parse(message, now, hold);
    }

    private Map.Entry<Integer, String> parse(JsonNode message, Instant now, Duration hold) {
        String msgtype = message.path("msgtype").asText("");
        if (msgtype.isEmpty()) {
            return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 msgtype");
        }
        if (!TYPES.contains(msgtype)) {
            return Map.entry(ErrorCodes.UNSUPPORTED_TYPE, "不支持的消息类型");
        }
        JsonNode payload = message.path(msgtype);
        if (!payload.isObject()) {
            return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 " + msgtype);
        }
        List<String> required = switch (msgtype) {
            case "text" -> List.of("content");
            case "markdown" -> List.of("title", "text");
            case "link" -> List.of("title", "text", "messageUrl");
            case "actionCard" -> List.of("title", "text");
            default -> List.of();
        };
        for (String field : required) {
            if (!payload.path(field).isTextual() || payload.path(field).asText().isEmpty()) {
                return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 " + msgtype + "." + field);
            }
        }
        if (msgtype.equals("actionCard")) {
            boolean single = payload.path("singleTitle").isTextual() && payload.path("singleURL").isTextual();
            boolean buttons = payload.path("btns").isArray() && !payload.path("btns").isEmpty();
            if (single == buttons) {
                return Map.entry(ErrorCodes.MISSING_PARAM, "actionCard needs singleTitle+singleURL or btns");
            }
            for (JsonNode button : payload.path("btns")) {
                if (!button.path("title").isTextual() || !button.path("actionURL").isTextual()) {
                    return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 actionCard.btns.title/actionURL");
                }
            }
        }
        if (msgtype.equals("feedCard") && (!payload.path("links").isArray() || payload.path("links").isEmpty())) {
            return Map.entry(ErrorCodes.MISSING_PARAM, "缺少参数 feedCard.links");
        }
        String text = switch (msgtype) {
            case "text" -> payload.path("content").asText();
            case "feedCard" -> {
                List<String> titles = new ArrayList<>();
                payload.path("links").forEach(link -> titles.add(link.path("title").asText("")));
                yield String.join("\n", titles);
            }
            default -> payload.path("text").asText();
        };
        String title = payload.path("title").asText("");
        if (!keywords.isEmpty() && keywords.stream().noneMatch(text::contains)) {
            return Map.entry(ErrorCodes.SECURITY, "keywords not in content");
        }
        Map<String, Integer> refused;
        synchronized (this) {
            refused = new LinkedHashMap<>(refusedContent);
        }
        for (Map.Entry<String, Integer> rule : refused.entrySet()) {
            if (text.contains(rule.getKey()) || title.contains(rule.getKey())) {
                return Map.entry(rule.getValue(), defaultErrmsg(rule.getValue()));
            }
        }
        JsonNode at = message.path("at");
        if (!at.isMissingNode() && !at.isObject()) {
            return Map.entry(ErrorCodes.MISSING_PARAM, "at must be an object");
        }
        List<String> mobiles = strings(at.path("atMobiles"));
        List<String> userIds = strings(at.path("atUserIds"));
        try {
            synchronized (this) {
                accepted.add(new Accepted(now, msgtype, title, text, mobiles, userIds,
                        at.path("isAtAll").asBoolean(false), JSON.writeValueAsString(message), hold));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return Map.entry(ErrorCodes.OK, "ok");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
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

    private static String defaultErrmsg(int errcode) {
        return switch (errcode) {
            case ErrorCodes.BUSY -> "系统繁忙";
            case ErrorCodes.THROTTLED, ErrorCodes.THROTTLED_LEGACY -> "send too fast, exceed 20 times per minute";
            case ErrorCodes.QUOTA -> "webhook quota exceeded";
            case ErrorCodes.SECURITY -> "keywords not in content";
            case ErrorCodes.TOO_LONG -> "message too long, exceed 20000 bytes";
            default -> ErrorCodes.meaning(errcode);
        };
    }

    /**
     * Configures a {@link DingTalkEmulator}. Defaults: a random access token, no secret, no keywords, no IP
     * allow-list, the system clock, 20 messages a minute, a 10-minute block, a one-hour timestamp window and
     * 20,000-byte bodies.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {

        private String accessToken = "emulated-" + UUID.randomUUID().toString().replace("-", "");
        private String secret;
        private List<String> keywords = List.of();
        private List<String> allowedIps = List.of();
        private Clock clock = Clock.systemUTC();
        private int messagesPerMinute = DingTalkSink.MAX_MESSAGES_PER_MINUTE;
        private Duration blockPeriod = Duration.ofMinutes(10);
        private Duration timestampTolerance = Duration.ofHours(1);
        private int maxBodyBytes = DingTalkSink.MAX_BODY_BYTES;
        private boolean legacyThrottleCode;

        private Builder() {
        }

        /** The access token the robot accepts. */
        public Builder accessToken(String accessToken) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
            return this;
        }

        /** Makes the robot check signatures made with {@code secret}. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** The robot's custom keywords; a message must hold one. */
        public Builder keywords(String... keywords) {
            this.keywords = List.of(keywords);
            return this;
        }

        /** The IP addresses the robot accepts requests from; empty for any. */
        public Builder allowedIps(String... ips) {
            this.allowedIps = List.of(ips);
            return this;
        }

        /** The robot's clock, for its rate limit, block and timestamp check. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Requests allowed in any 60 seconds before the robot is blocked. */
        public Builder messagesPerMinute(int messagesPerMinute) {
            this.messagesPerMinute = messagesPerMinute;
            return this;
        }

        /** How long the robot stays blocked after too many requests. */
        public Builder blockPeriod(Duration blockPeriod) {
            this.blockPeriod = Objects.requireNonNull(blockPeriod, "blockPeriod");
            return this;
        }

        /** How far a signature's timestamp may be from the robot's clock. */
        public Builder timestampTolerance(Duration timestampTolerance) {
            this.timestampTolerance = Objects.requireNonNull(timestampTolerance, "timestampTolerance");
            return this;
        }

        /** The largest body accepted, in bytes. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Answer throttling with 130101, as older robots are reported to, instead of 410100. */
        public Builder legacyThrottleCode(boolean legacyThrottleCode) {
            this.legacyThrottleCode = legacyThrottleCode;
            return this;
        }

        /**
         * Starts the emulator on a free loopback port.
         *
         * @throws UncheckedIOException when no server socket can be opened
         */
        public DingTalkEmulator start() {
            try {
                return new DingTalkEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the DingTalk emulator", e);
            }
        }
    }
}
