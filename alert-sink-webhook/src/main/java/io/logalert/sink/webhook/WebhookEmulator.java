package io.logalert.sink.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.sink.robot.RobotEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback, for tests of a {@link WebhookSink} configuration and for demos: the checks a
 * careful receiver makes, each answered the way such receivers answer. It takes {@code POST} at one path, and
 *
 * <ul>
 *   <li>answers HTTP 401 when a required header is missing or wrong, or when the signature (HMAC over the body, or
 *       over {@code <timestamp>.<body>} with a timestamp header within 5 minutes of its clock) does not verify — it
 *       checks signatures on its own, not with the sink's code;</li>
 *   <li>HTTP 429 over its rate (a sliding minute on its clock), HTTP 413 over its body limit, HTTP 400 for a body
 *       that is not JSON;</li>
 *   <li>otherwise HTTP 200 {@code {"code":0,"message":"ok"}} and records the message.</li>
 * </ul>
 *
 * Faults are injected as in every {@link RobotEmulator}: {@code failNext(n, code)} answers {@code {"code":code}}
 * with HTTP 200 for a code below 400 (a refusal in the body, for a success criterion on a field) and with the code as
 * the HTTP status from 400 on; {@code httpErrorNext}, {@code delayNext}, {@code dropNext}, {@code hangNext},
 * {@code refuseContent} (answered with its code likewise) and {@code failUntil}.
 *
 * <pre>{@code
 * try (WebhookEmulator receiver = WebhookEmulator.builder().secret("s3cr3t").clock(clock).start()) {
 *     WebhookSink sink = WebhookSink.builder().webhook(receiver.url()).signatureSecret("s3cr3t").build();
 *     sink.deliver(digests);
 *     assertThat(receiver.accepted()).singleElement()
 *             .satisfies(m -> assertThat(m.body().path("project").asText()).isEqualTo("checkout"));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WebhookEmulator extends RobotEmulator<WebhookEmulator.Accepted, WebhookEmulator> {

    /** The path it takes requests at by default. */
    public static final String DEFAULT_PATH = "/hooks/logalert";
    /** How far a signed timestamp may be from the receiver's clock. */
    public static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    /**
     * A message the receiver accepted.
     *
     * @param receivedAt when, on the receiver's clock
     * @param headers    the request headers, names in lower case
     * @param json       the body as received
     * @param replyDelay how long the reply was held back; zero when it was not
     */
    public record Accepted(Instant receivedAt, Map<String, String> headers, String json, Duration replyDelay) {

        /** Copies the headers. */
        public Accepted {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(json, "json");
        }

        /** The body, parsed. */
        public JsonNode body() {
            try {
                return mapper().readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The UTF-8 size of the body. */
        public int bodyBytes() {
            return json.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private final String path;
    private final Map<String, String> requiredHeaders;
    private final String signatureHeader;
    private final SignatureAlgorithm algorithm;
    private final SignatureEncoding encoding;
    private final String prefix;
    private final Optional<String> timestampHeader;

    private WebhookEmulator(Builder b) {
        super("webhook", b);
        this.path = b.path;
        this.requiredHeaders = Map.copyOf(b.requiredHeaders);
        this.signatureHeader = b.signatureHeader;
        this.algorithm = b.algorithm;
        this.encoding = b.encoding;
        this.prefix = b.prefix != null ? b.prefix : b.encoding == SignatureEncoding.HEX ? b.algorithm.defaultPrefix()
                : "";
        this.timestampHeader = Optional.ofNullable(b.timestampHeader);
    }

    /** Starts configuring a receiver. */
    public static Builder builder() {
        return new Builder();
    }

    /** The receiver's URL. */
    public String url() {
        return baseUrl() + path;
    }

    @Override
    protected boolean serves(String requestPath) {
        return requestPath.equals(path);
    }

    @Override
    protected Map<String, Object> answer(int code, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", code);
        answer.put("message", message);
        return answer;
    }

    @Override
    protected String defaultMessage(int code) {
        return switch (code) {
            case 0 -> "ok";
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 413 -> "payload too large";
            case 429 -> "too many requests";
            case 500 -> "internal server error";
            case 502 -> "bad gateway";
            case 503 -> "service unavailable";
            default -> "error " + code;
        };
    }

    /** A code from 400 on is an HTTP status; a lower one is a refusal in the body of an HTTP 200. */
    @Override
    protected int httpStatus(int code) {
        return code >= 400 && code <= 599 ? code : 200;
    }

    /** The receiver's verdict: headers, signature, rate, size, JSON, content, in that order. */
    @Override
    protected Reply<Accepted> judge(Request request) {
        for (Map.Entry<String, String> required : requiredHeaders.entrySet()) {
            if (!request.header(required.getKey()).filter(required.getValue()::equals).isPresent()) {
                return Reply.refuse(401, 401, "missing or wrong header " + required.getKey());
            }
        }
        if (!fromAllowedAddress(request)) {
            return Reply.refuse(403, 403, "address " + request.remoteIp() + " not allowed");
        }
        if (signatureSecret().isPresent()) {
            Optional<String> problem = signatureProblem(request);
            if (problem.isPresent()) {
                return Reply.refuse(401, 401, problem.get());
            }
        }
        if (!withinRate(request.receivedAt())) {
            return Reply.refuse(429, 429, "too many requests");
        }
        if (!withinBodyLimit(request)) {
            return Reply.refuse(413, 413, "payload too large: " + request.body().length + " bytes, limit "
                    + maxBodyBytes());
        }
        String json = new String(request.body(), StandardCharsets.UTF_8);
        try {
            JsonNode body = mapper().readTree(json);
            if (body == null) {
                return Reply.refuse(400, 400, "empty body");
            }
        } catch (IOException e) {
            return Reply.refuse(400, 400, "body is not JSON");
        }
        if (!holdsKeyword(json)) {
            return Reply.refuse(422, 422, "no keyword in the body");
        }
        Optional<Integer> refused = refusal(json);
        if (refused.isPresent()) {
            return Reply.refuse(httpStatus(refused.get()), refused.get(), defaultMessage(refused.get()));
        }
        return Reply.accept(new Accepted(request.receivedAt(), request.headers(), json, request.replyDelay()), "ok");
    }

    /** What is wrong with the request's signature, verified as a receiver would; empty when it verifies. */
    private Optional<String> signatureProblem(Request request) {
        Optional<String> given = request.header(signatureHeader);
        if (given.isEmpty()) {
            return Optional.of("missing signature header " + signatureHeader);
        }
        byte[] signed = request.body();
        if (timestampHeader.isPresent()) {
            Optional<String> stamp = request.header(timestampHeader.get());
            long seconds;
            try {
                seconds = Long.parseLong(stamp.orElse(""));
            } catch (NumberFormatException e) {
                return Optional.of("missing or malformed timestamp header " + timestampHeader.get());
            }
            if (!timestampWithinTolerance(Instant.ofEpochSecond(seconds), request.receivedAt())) {
                return Optional.of("timestamp " + seconds + " is too far from the receiver's clock");
            }
            signed = (seconds + "." + new String(request.body(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] mac;
        try {
            Mac hmac = Mac.getInstance(algorithm.jcaName());
            hmac.init(new SecretKeySpec(signatureSecret().orElseThrow().getBytes(StandardCharsets.UTF_8), algorithm.jcaName()));
            mac = hmac.doFinal(signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String expected = prefix + (encoding == SignatureEncoding.HEX ? HexFormat.of().formatHex(mac)
                : Base64.getEncoder().encodeToString(mac));
        // compared in constant time, as a receiver must: an early exit would tell an attacker how much matched
        boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.get().getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.empty() : Optional.of("signature mismatch");
    }

    /**
     * Configures a {@link WebhookEmulator}: besides its own settings, the clock, the rate (default 20 a minute), the
     * body limit (default 20,000 bytes), the signing secret, the timestamp tolerance (default 5 minutes), an IP
     * allow-list (403 otherwise) and keywords (422 when the body holds none) of every robot emulator. Not thread-safe.
     */
    public static final class Builder extends SecuredSettings<Builder> {

        private String path = DEFAULT_PATH;
        private final Map<String, String> requiredHeaders = new LinkedHashMap<>();
        private String signatureHeader = WebhookSink.DEFAULT_SIGNATURE_HEADER;
        private SignatureAlgorithm algorithm = SignatureAlgorithm.HMAC_SHA256;
        private SignatureEncoding encoding = SignatureEncoding.HEX;
        private String prefix;
        private String timestampHeader;

        private Builder() {
            super(WebhookSink.DEFAULT_MESSAGES_PER_MINUTE, Duration.ZERO, WebhookSink.DEFAULT_MAX_BODY_BYTES);
            timestampTolerance(TIMESTAMP_TOLERANCE);
        }

        /** The path requests go to. Default: {@value #DEFAULT_PATH}. */
        public Builder path(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a path starts with /");
            }
            this.path = path;
            return this;
        }

        /** Requires header {@code name} with {@code value} on every request (401 otherwise). */
        public Builder requireHeader(String name, String value) {
            requiredHeaders.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The signature header checked when a {@link #secret(String)} is set. Default: X-Logalert-Signature. */
        public Builder signatureHeader(String header) {
            this.signatureHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** The signature's HMAC. Default: HmacSHA256. */
        public Builder algorithm(SignatureAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** How the signature is written. Default: hex. */
        public Builder encoding(SignatureEncoding encoding) {
            this.encoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /** The signature's prefix. Default: {@code sha256=} (the algorithm's) for hex, none for Base64. */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Requires the epoch seconds in {@code header}, signed with the body. Default: none. */
        public Builder timestampHeader(String header) {
            this.timestampHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /** Starts the receiver on a free loopback port. */
        public WebhookEmulator start() {
            return new WebhookEmulator(this);
        }
    }
}
