package io.logalert.sink.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.sink.robot.RobotEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A DingTalk custom robot on loopback, for tests and demos: it checks requests as DingTalk does (token, signature
 * and its one-hour timestamp window, keywords, IP allow-list, the JSON shape of each message type, the body size,
 * 20 messages a minute followed by a 10-minute block) and answers as DingTalk does: HTTP 200 with an
 * {@code errcode}. Its clock is injectable, so a test moves time instead of waiting. Faults can be injected:
 * chosen error codes, content refusals, HTTP errors, slow replies, dropped connections and requests never answered,
 * for the next requests or for a stretch of the robot's clock (an outage). It records every request and the
 * messages it accepted. The server, the records, the rate window and the faults are {@link RobotEmulator}'s, shared
 * with the other platforms' emulators; this class holds DingTalk's checks and answers.
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
public final class DingTalkEmulator extends RobotEmulator<DingTalkEmulator.Accepted, DingTalkEmulator> {

    private static final Set<String> TYPES = Set.of("text", "markdown", "link", "actionCard", "feedCard");

    /**
     * DingTalk markdown as its documentation lists it: headings, links, images; code spans are not documented, so
     * their text is read as markup too. Mentions come from the {@code at} object only.
     */
    private static final EmulatorRendering.Syntax MARKDOWN = new EmulatorRendering.Syntax(true, true, true, true,
            false, Optional.empty());

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

        /**
         * What the group would see interpreted: links, images and headings of the markdown of markdown and
         * actionCard messages, bare URLs of the plain text of the others, the links and pictures their structure
         * adds (a link message's target, an actionCard's buttons, a feedCard's entries), and who the {@code at}
         * object notifies ({@code @all} for everyone).
         */
        public EmulatorRendering rendered() {
            List<String> notified = new ArrayList<>(atMobiles);
            notified.addAll(atUserIds);
            if (atAll) {
                notified.add("@all");
            }
            boolean markdown = msgtype.equals("markdown") || msgtype.equals("actionCard");
            EmulatorRendering.Builder rendering = EmulatorRendering.builder()
                    .add(text, markdown ? MARKDOWN : EmulatorRendering.Syntax.PLAIN).mentions(notified);
            JsonNode payload = structure().path(msgtype);
            structuredLink(rendering, payload, "title", "messageUrl", "picUrl");
            structuredLink(rendering, payload, "singleTitle", "singleURL", "");
            payload.path("btns").forEach(button -> structuredLink(rendering, button, "title", "actionURL", ""));
            payload.path("links").forEach(entry -> structuredLink(rendering, entry, "title", "messageURL", "picURL"));
            return rendering.build();
        }

        private JsonNode structure() {
            try {
                return mapper().readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException("the emulator recorded a body it could not read again", e);
            }
        }

        private static void structuredLink(EmulatorRendering.Builder rendering, JsonNode node, String title,
                String target, String picture) {
            if (node.path(target).isTextual()) {
                rendering.link(node.path(title).asText(""), node.path(target).asText());
            }
            if (!picture.isEmpty() && node.path(picture).isTextual()) {
                rendering.image(node.path(picture).asText());
            }
        }
    }

    private final String accessToken;
    private final int throttleCode;

    private DingTalkEmulator(Builder b) {
        super("dingtalk", b);
        this.accessToken = b.accessToken;
        this.throttleCode = b.legacyThrottleCode ? ErrorCodes.THROTTLED_LEGACY : ErrorCodes.THROTTLED;
    }

    /** Starts configuring an emulator. */
    public static Builder builder() {
        return new Builder();
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

    @Override
    protected boolean serves(String path) {
        return path.equals(RobotEndpoint.SEND_PATH);
    }

    @Override
    protected Map<String, Object> answer(int code, String message) {
        return errcodeAnswer(code, message);
    }

    /** DingTalk's verdict on a request, in the order its checks are reported to run. */
    @Override
    protected Reply<Accepted> judge(Request request) {
        String token = request.query().get("access_token");
        if (token == null || token.isEmpty()) {
            return Reply.refuse(ErrorCodes.TOKEN_MISSING, "缺少参数 access_token");
        }
        if (!token.equals(accessToken)) {
            return Reply.refuse(ErrorCodes.TOKEN_INVALID, "token is not exist");
        }
        Instant now = request.receivedAt();
        if (!withinRate(now)) {
            return Reply.refuse(throttleCode, "send too fast, exceed 20 times per minute");
        }
        Optional<String> secret = signatureSecret();
        if (secret.isPresent()) {
            String timestamp = request.query().get("timestamp");
            String sign = request.query().get("sign");
            long millis;
            try {
                millis = Long.parseLong(Objects.requireNonNullElse(timestamp, ""));
            } catch (NumberFormatException e) {
                return Reply.refuse(ErrorCodes.SECURITY, "invalid timestamp");
            }
            if (!timestampWithinTolerance(Instant.ofEpochMilli(millis), now)) {
                return Reply.refuse(ErrorCodes.SECURITY, "invalid timestamp");
            }
            if (sign == null || !sign.equals(Signature.base64(millis, secret.get()))) {
                return Reply.refuse(ErrorCodes.SECURITY, "sign not match");
            }
        }
        if (!fromAllowedAddress(request)) {
            return Reply.refuse(ErrorCodes.SECURITY, "ip " + request.remoteIp() + " not in whitelist");
        }
        String contentType = request.header("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Reply.refuse(ErrorCodes.BAD_CONTENT_TYPE, "不合法的 Content-Type");
        }
        if (!withinBodyLimit(request)) {
            return Reply.refuse(ErrorCodes.TOO_LONG, "message too long, exceed " + maxBodyBytes() + " bytes");
        }
        JsonNode message;
        try {
            message = mapper().readTree(request.body());
        } catch (IOException e) {
            return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 json");
        }
        if (message == null || !message.isObject()) {
            return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 json");
        }
        return parse(message, now, request.replyDelay());
    }

    private Reply<Accepted> parse(JsonNode message, Instant now, Duration hold) {
        String msgtype = message.path("msgtype").asText("");
        if (msgtype.isEmpty()) {
            return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 msgtype");
        }
        if (!TYPES.contains(msgtype)) {
            return Reply.refuse(ErrorCodes.UNSUPPORTED_TYPE, "不支持的消息类型");
        }
        JsonNode payload = message.path(msgtype);
        if (!payload.isObject()) {
            return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 " + msgtype);
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
                return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 " + msgtype + "." + field);
            }
        }
        if (msgtype.equals("actionCard")) {
            boolean single = payload.path("singleTitle").isTextual() && payload.path("singleURL").isTextual();
            boolean buttons = payload.path("btns").isArray() && !payload.path("btns").isEmpty();
            if (single == buttons) {
                return Reply.refuse(ErrorCodes.MISSING_PARAM, "actionCard needs singleTitle+singleURL or btns");
            }
            for (JsonNode button : payload.path("btns")) {
                if (!button.path("title").isTextual() || !button.path("actionURL").isTextual()) {
                    return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 actionCard.btns.title/actionURL");
                }
            }
        }
        if (msgtype.equals("feedCard") && (!payload.path("links").isArray() || payload.path("links").isEmpty())) {
            return Reply.refuse(ErrorCodes.MISSING_PARAM, "缺少参数 feedCard.links");
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
        if (!holdsKeyword(text)) {
            return Reply.refuse(ErrorCodes.SECURITY, "keywords not in content");
        }
        Optional<Integer> refused = refusal(text, title);
        if (refused.isPresent()) {
            return Reply.refuse(refused.get(), defaultMessage(refused.get()));
        }
        JsonNode at = message.path("at");
        if (!at.isMissingNode() && !at.isObject()) {
            return Reply.refuse(ErrorCodes.MISSING_PARAM, "at must be an object");
        }
        return Reply.accept(new Accepted(now, msgtype, title, text, strings(at.path("atMobiles")),
                strings(at.path("atUserIds")), at.path("isAtAll").asBoolean(false), json(message), hold), "ok");
    }

    @Override
    protected String defaultMessage(int errcode) {
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
    public static final class Builder extends SecuredSettings<Builder> {

        private String accessToken = "emulated-" + UUID.randomUUID().toString().replace("-", "");
        private boolean legacyThrottleCode;

        private Builder() {
            super(DingTalkSink.MAX_MESSAGES_PER_MINUTE, Duration.ofMinutes(10), DingTalkSink.MAX_BODY_BYTES);
        }

        /** The access token the robot accepts. */
        public Builder accessToken(String accessToken) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
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
            return new DingTalkEmulator(this);
        }
    }
}
