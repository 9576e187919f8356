package io.logalert.sink.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.sink.robot.RobotEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WeCom (企业微信) group robot on loopback, for tests and demos. It checks requests as WeCom does, in the facts of
 * {@code docs/robots.md}: the {@code key} in the webhook URL (the robot's only credential), the JSON shape of
 * {@code text}, {@code markdown}, {@code markdown_v2}, {@code image}, {@code news}, {@code file}, {@code voice} and
 * {@code template_card}, content limits in UTF-8 bytes (text 2,048, markdown 4,096), and 20 messages in any 60 seconds.
 * It answers as WeCom does: HTTP 200 with an {@code errcode} and an {@code errmsg} that carries WeCom's
 * {@code hint: […], from ip: …, more info at …} tail — 93000 for a wrong key, 45009 over the rate, 40058 over a
 * length limit, 40008 for an unknown type, 44004 for empty content. Its clock is injectable, so a test moves time
 * instead of waiting; faults are injected as in every {@link RobotEmulator}. Each accepted message records what the
 * group would see interpreted ({@link Accepted#rendering()}): links, images, headings and who is notified.
 *
 * <pre>{@code
 * try (WeComEmulator robot = WeComEmulator.builder().clock(clock).start()) {
 *     // point the sink at robot.url()
 *     assertThat(robot.accepted()).singleElement()
 *             .satisfies(m -> assertThat(m.rendering().links()).isEmpty());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WeComEmulator extends RobotEmulator<WeComEmulator.Accepted, WeComEmulator> {

    /** The path of the webhook. */
    public static final String SEND_PATH = "/cgi-bin/webhook/send";
    /** Most UTF-8 bytes of a {@code text} message's content. */
    public static final int MAX_TEXT_BYTES = 2_048;
    /** Most UTF-8 bytes of a {@code markdown} or {@code markdown_v2} message's content. */
    public static final int MAX_MARKDOWN_BYTES = 4_096;
    /** Messages a robot takes in any minute. */
    public static final int MESSAGES_PER_MINUTE = 20;

    private static final int MAX_IMAGE_BYTES = 2 * 1024 * 1024;
    private static final int MAX_ARTICLES = 8;

    private static final String MENTION = "<@([^>\\s]+)>";
    /** WeCom markdown as documented: headings, links, code spans, {@code <@userid>}; no images. */
    private static final EmulatorRendering.Syntax MARKDOWN = new EmulatorRendering.Syntax(true, true, false, true,
            true, Optional.empty()).mentioning(MENTION);
    /** WeCom markdown_v2 adds images (and tables); whether it honours {@code <@userid>} is not documented. */
    private static final EmulatorRendering.Syntax MARKDOWN_V2 = new EmulatorRendering.Syntax(true, true, true, true,
            true, Optional.empty()).mentioning(MENTION);
    private static final EmulatorRendering.Syntax TEXT = EmulatorRendering.Syntax.PLAIN.mentioning(MENTION);

    /**
     * A message the robot accepted.
     *
     * @param receivedAt          when, on the emulator's clock
     * @param msgtype             the message type, e.g. {@code markdown}
     * @param content             what the group reads: the content of text and markdown, the titles and descriptions
     *                            of news, empty for the other types
     * @param mentionedList       {@code text.mentioned_list} as sent (user ids, {@code @all})
     * @param mentionedMobileList {@code text.mentioned_mobile_list} as sent
     * @param rendering           what the group would see interpreted, and who is notified (markdown notifies only
     *                            {@code <@userid>} in its content: WeCom ignores mention lists there)
     * @param json                the body as received
     * @param replyDelay          how long the reply was held back ({@link Fault#slowReply(Duration)}); zero when it was
     *                            not
     */
    public record Accepted(Instant receivedAt, String msgtype, String content, List<String> mentionedList,
            List<String> mentionedMobileList, EmulatorRendering rendering, String json, Duration replyDelay) {

        /** Copies the lists. */
        public Accepted {
            mentionedList = List.copyOf(mentionedList);
            mentionedMobileList = List.copyOf(mentionedMobileList);
            Objects.requireNonNull(rendering, "rendering");
            Objects.requireNonNull(replyDelay, "replyDelay");
        }

        /** The UTF-8 size of {@link #content()}, the measure of WeCom's limits. */
        public int contentBytes() {
            return content.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private final String key;
    private final AtomicLong hints = new AtomicLong(1_700_000_000_000L);

    private WeComEmulator(Builder b) {
        super("wecom", b);
        this.key = b.key;
    }

    /** Starts configuring an emulator. */
    public static Builder builder() {
        return new Builder();
    }

    /** The robot's webhook URL, key included (which makes it a secret). */
    public String url() {
        return baseUrl() + SEND_PATH + "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /** The key the robot accepts. */
    public String key() {
        return key;
    }

    @Override
    protected boolean serves(String path) {
        return path.equals(SEND_PATH);
    }

    @Override
    protected Map<String, Object> answer(int code, String message) {
        return errcodeAnswer(code, message);
    }

    @Override
    protected String defaultMessage(int code) {
        return switch (code) {
            case ErrorCodes.OK -> "ok";
            case ErrorCodes.BUSY -> "system busy";
            case ErrorCodes.INVALID_TYPE -> "invalid message type";
            case ErrorCodes.INVALID_PARAMETER -> "invalid Request Parameter";
            case ErrorCodes.EMPTY_CONTENT -> "empty content";
            case ErrorCodes.RATE_LIMITED -> "api freq out of limit";
            case ErrorCodes.BAD_JSON -> "data format error";
            case ErrorCodes.INVALID_WEBHOOK -> "invalid webhook url";
            default -> "error " + code;
        };
    }

    /** WeCom's verdict on a request: the key, the rate, then the message. */
    @Override
    protected Reply<Accepted> judge(Request request) {
        String ip = request.remoteIp();
        String given = request.query().get("key");
        if (given == null || !given.equals(key)) {
            return refuse(ErrorCodes.INVALID_WEBHOOK, "invalid webhook url", ip);
        }
        if (!withinRate(request.receivedAt())) {
            return refuse(ErrorCodes.RATE_LIMITED, "api freq out of limit", ip);
        }
        JsonNode message;
        try {
            message = mapper().readTree(request.body());
        } catch (IOException e) {
            return refuse(ErrorCodes.BAD_JSON, "data format error", ip);
        }
        if (message == null || !message.isObject()) {
            return refuse(ErrorCodes.BAD_JSON, "data format error", ip);
        }
        String msgtype = message.path("msgtype").asText("");
        JsonNode payload = message.path(msgtype);
        if (!msgtype.isEmpty() && !payload.isObject() && isKnown(msgtype)) {
            return invalid(request, "missing " + msgtype);
        }
        return switch (msgtype) {
            case "text" -> text(request, payload);
            case "markdown", "markdown_v2" -> markdown(request, msgtype, payload);
            case "image" -> image(request, payload);
            case "news" -> news(request, payload);
            case "file", "voice" -> media(request, msgtype, payload);
            case "template_card" -> templateCard(request, payload);
            default -> refuse(ErrorCodes.INVALID_TYPE, "invalid message type", ip);
        };
    }

    private static boolean isKnown(String msgtype) {
        return List.of("text", "markdown", "markdown_v2", "image", "news", "file", "voice", "template_card")
                .contains(msgtype);
    }

    private Reply<Accepted> text(Request request, JsonNode payload) {
        String content = payload.path("content").asText("");
        Optional<Reply<Accepted>> wrong = checkContent(request, "text", content, MAX_TEXT_BYTES);
        if (wrong.isPresent()) {
            return wrong.get();
        }
        List<String> ids = strings(payload.path("mentioned_list"));
        List<String> mobiles = strings(payload.path("mentioned_mobile_list"));
        List<String> notified = new ArrayList<>(ids);
        notified.addAll(mobiles);
        EmulatorRendering rendering = EmulatorRendering.builder().add(content, TEXT).mentions(notified).build();
        return accept(request, "text", content, ids, mobiles, rendering);
    }

    private Reply<Accepted> markdown(Request request, String msgtype, JsonNode payload) {
        String content = payload.path("content").asText("");
        Optional<Reply<Accepted>> wrong = checkContent(request, msgtype, content, MAX_MARKDOWN_BYTES);
        if (wrong.isPresent()) {
            return wrong.get();
        }
        EmulatorRendering rendering = EmulatorRendering.of(content,
                msgtype.equals("markdown") ? MARKDOWN : MARKDOWN_V2);
        return accept(request, msgtype, content, strings(payload.path("mentioned_list")),
                strings(payload.path("mentioned_mobile_list")), rendering);
    }

    private Reply<Accepted> image(Request request, JsonNode payload) {
        String base64 = payload.path("base64").asText("");
        String md5 = payload.path("md5").asText("");
        if (base64.isEmpty() || md5.isEmpty()) {
            return invalid(request, "image.base64 and image.md5 are required");
        }
        byte[] image;
        try {
            image = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return invalid(request, "image.base64 is not base64");
        }
        if (image.length > MAX_IMAGE_BYTES) {
            return invalid(request, "image exceed max size 2M");
        }
        if (!md5(image).equalsIgnoreCase(md5)) {
            return invalid(request, "image.md5 does not match image.base64");
        }
        return accept(request, "image", "", List.of(), List.of(), EmulatorRendering.builder().image("base64").build());
    }

    private Reply<Accepted> news(Request request, JsonNode payload) {
        JsonNode articles = payload.path("articles");
        if (!articles.isArray() || articles.isEmpty() || articles.size() > MAX_ARTICLES) {
            return invalid(request, "news.articles must hold 1 to 8 articles");
        }
        EmulatorRendering.Builder rendering = EmulatorRendering.builder();
        List<String> lines = new ArrayList<>();
        for (JsonNode article : articles) {
            String title = article.path("title").asText("");
            String url = article.path("url").asText("");
            if (title.isEmpty() || url.isEmpty()) {
                return invalid(request, "news.articles.title and url are required");
            }
            rendering.link(title, url);
            if (article.path("picurl").isTextual()) {
                rendering.image(article.path("picurl").asText());
            }
            lines.add(title);
            if (article.path("description").isTextual()) {
                lines.add(article.path("description").asText());
            }
        }
        return accept(request, "news", String.join("\n", lines), List.of(), List.of(), rendering.build());
    }

    private Reply<Accepted> media(Request request, String msgtype, JsonNode payload) {
        if (payload.path("media_id").asText("").isEmpty()) {
            return invalid(request, msgtype + ".media_id is required");
        }
        return accept(request, msgtype, "", List.of(), List.of(), EmulatorRendering.NONE);
    }

    private Reply<Accepted> templateCard(Request request, JsonNode payload) {
        String cardType = payload.path("card_type").asText("");
        if (!cardType.equals("text_notice") && !cardType.equals("news_notice")) {
            return invalid(request, "template_card.card_type must be text_notice or news_notice");
        }
        String title = payload.path("main_title").path("title").asText("");
        return accept(request, "template_card", title, List.of(), List.of(), EmulatorRendering.NONE);
    }

    private Optional<Reply<Accepted>> checkContent(Request request, String msgtype, String content, int maxBytes) {
        if (content.isEmpty()) {
            return Optional.of(refuse(ErrorCodes.EMPTY_CONTENT, "empty content", request.remoteIp()));
        }
        if (content.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return Optional.of(invalid(request, msgtype + ".content exceed max length " + maxBytes));
        }
        return Optional.empty();
    }

    private Reply<Accepted> accept(Request request, String msgtype, String content, List<String> ids,
            List<String> mobiles, EmulatorRendering rendering) {
        Optional<Integer> refused = refusal(content);
        if (refused.isPresent()) {
            return refuse(refused.get(), defaultMessage(refused.get()), request.remoteIp());
        }
        return Reply.accept(new Accepted(request.receivedAt(), msgtype, content, ids, mobiles, rendering,
                new String(request.body(), StandardCharsets.UTF_8), request.replyDelay()), "ok");
    }

    /** WeCom's refusal of a parameter: 40058 and the reason, ending as WeCom's do. */
    private Reply<Accepted> invalid(Request request, String reason) {
        return refuse(ErrorCodes.INVALID_PARAMETER, reason + ". invalid Request Parameter", request.remoteIp());
    }

    /** A refusal as WeCom words it: the reason, then a request id, the caller's address and where to read more. */
    private Reply<Accepted> refuse(int code, String reason, String ip) {
        return Reply.refuse(code, reason + ", hint: [" + hints.incrementAndGet() + "], from ip: " + ip
                + ", more info at https://open.work.weixin.qq.com/devtool/query?e=" + code);
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    /**
     * Configures a {@link WeComEmulator}. Defaults: a random key, the system clock, 20 messages in any 60 seconds and
     * no block beyond the full window (WeCom documents none).
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends Settings<Builder> {

        private String key = UUID.randomUUID().toString();

        private Builder() {
            super(MESSAGES_PER_MINUTE, Duration.ZERO);
        }

        /** The key the robot accepts. */
        public Builder key(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Starts the emulator on a free loopback port.
         *
         * @throws UncheckedIOException when no server socket can be opened
         */
        public WeComEmulator start() {
            return new WeComEmulator(this);
        }
    }
}
