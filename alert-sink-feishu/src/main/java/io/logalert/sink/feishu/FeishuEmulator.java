package io.logalert.sink.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.sink.robot.RobotEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A Feishu (飞书) or Lark custom bot on loopback, for tests and demos. It checks requests as Feishu does, in the facts
 * of {@code docs/robots.md}: the token in the webhook path, the body's size (20 KB, taken as 20,000 bytes), the
 * signature ({@code timestamp} in seconds and {@code sign} in the JSON body, see {@link FeishuSignature}) and its
 * one-hour window, an optional IP allow-list, custom keywords, the shape of {@code text}, {@code post},
 * {@code image}, {@code share_chat} and {@code interactive} (card) messages, and its two rate windows, 100 messages a
 * minute and 5 a second. It answers as Feishu does: a JSON {@code code} and {@code msg} — 19021 for a signature or
 * timestamp, 19022 for an address, 19024 for missing keywords, 19002 for a malformed message, all with HTTP 200;
 * {@code 9499 too many request} with HTTP 400 over the rate. Its clock is injectable, so a test moves time instead of
 * waiting; faults are injected as in every {@link RobotEmulator}. Each accepted message records what the group would
 * see interpreted ({@link Accepted#rendering()}): links, images, headings and who is notified.
 *
 * <pre>{@code
 * try (FeishuEmulator bot = FeishuEmulator.builder().secret("s3cr3t").clock(clock).start()) {
 *     // point the sink at bot.url() with the same secret
 *     assertThat(bot.accepted()).singleElement()
 *             .satisfies(m -> assertThat(m.rendering().mentions()).isEmpty());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FeishuEmulator extends RobotEmulator<FeishuEmulator.Accepted, FeishuEmulator> {

    /** The path of a webhook, before its token. The Lark domain serves the same path. */
    public static final String HOOK_PATH = "/open-apis/bot/v2/hook/";
    /** The largest request body, in bytes: Feishu documents 20 KB; 20,000 is the reading that can't be too large. */
    public static final int MAX_BODY_BYTES = 20_000;
    /** Messages a bot takes in any minute. */
    public static final int MESSAGES_PER_MINUTE = 100;
    /** Messages a bot takes in any second. */
    public static final int MESSAGES_PER_SECOND = 5;

    private static final int OK = 0;
    private static final int BAD_REQUEST = 9499;
    private static final int FREQUENCY_LIMITED = 11232;
    private static final int TOKEN_INVALID = 19001;
    private static final int PARAMS_ERROR = 19002;
    private static final int SIGNATURE = 19021;
    private static final int IP_NOT_ALLOWED = 19022;
    private static final int KEYWORDS = 19024;
    private static final String SIGNATURE_MESSAGE =
            "sign match fail or timestamp is not within one hour from current time";

    private static final String MENTION = "<at\\s+(?:id|user_id|open_id|email)\\s*=\\s*[\"']?([^\"'>\\s]+)";
    /** A text message: {@code <at user_id="…">} mentions, {@code [text](url)} links, bare URLs. */
    private static final EmulatorRendering.Syntax TEXT = new EmulatorRendering.Syntax(false, true, false, true, false,
            Optional.empty()).mentioning(MENTION);
    /**
     * A card's {@code lark_md} text: links, bare URLs, {@code <at id=…>}; no headings or images. Whether it shows
     * code spans is not documented, so their text is read as markup too.
     */
    private static final EmulatorRendering.Syntax LARK_MD = new EmulatorRendering.Syntax(false, true, false, true,
            false, Optional.empty()).mentioning(MENTION);
    /** A card's {@code markdown} component (and a post's {@code md} element): headings, images and code as well. */
    private static final EmulatorRendering.Syntax MARKDOWN = new EmulatorRendering.Syntax(true, true, true, true,
            true, Optional.empty()).mentioning(MENTION);

    /**
     * A message the bot accepted.
     *
     * @param receivedAt when, on the emulator's clock
     * @param msgType    the message type, e.g. {@code interactive}
     * @param title      the post's title or the card header's title, or empty
     * @param text       what the group reads, every text of the message one after another (a line each)
     * @param rendering  what the group would see interpreted, and who is notified ({@code all} for everyone)
     * @param json       the body as received
     * @param replyDelay how long the reply was held back ({@link Fault#slowReply(Duration)}); zero when it was not
     */
    public record Accepted(Instant receivedAt, String msgType, String title, String text, EmulatorRendering rendering,
            String json, Duration replyDelay) {

        /** Checks the parts. */
        public Accepted {
            Objects.requireNonNull(rendering, "rendering");
            Objects.requireNonNull(replyDelay, "replyDelay");
        }
    }

    private final String token;

    private FeishuEmulator(Builder b) {
        super("feishu", b, new RateLimit(b.messagesPerSecond, Duration.ofSeconds(1)));
        this.token = b.token;
    }

    /** Starts configuring an emulator. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bot's webhook URL, token included (which makes it a secret). */
    public String url() {
        return baseUrl() + HOOK_PATH + token;
    }

    /** The token the bot accepts. */
    public String token() {
        return token;
    }

    @Override
    protected boolean serves(String path) {
        return path.startsWith(HOOK_PATH);
    }

    @Override
    protected Map<String, Object> answer(int code, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        if (code == OK) {
            // Feishu's success answer still carries the fields of its first webhook version
            answer.put("StatusCode", 0);
            answer.put("StatusMessage", message);
        }
        answer.put("code", code);
        answer.put("data", Map.of());
        answer.put("msg", message);
        return answer;
    }

    @Override
    protected int httpStatus(int code) {
        return code == BAD_REQUEST ? 400 : 200;
    }

    @Override
    protected String defaultMessage(int code) {
        return switch (code) {
            case OK -> "success";
            case BAD_REQUEST -> "too many request";
            case FREQUENCY_LIMITED -> "frequency limited";
            case TOKEN_INVALID -> "param invalid: incoming webhook access token invalid";
            case PARAMS_ERROR -> "params error";
            case SIGNATURE -> SIGNATURE_MESSAGE;
            case IP_NOT_ALLOWED -> "Ip Not Allowed";
            case KEYWORDS -> "Key Words Not Found";
            default -> "error " + code;
        };
    }

    /** Feishu's verdict: the body's size and form, the token, the rate, the security settings, the message. */
    @Override
    protected Reply<Accepted> judge(Request request) {
        if (!withinBodyLimit(request)) {
            return Reply.refuse(400, BAD_REQUEST, "Bad Request: body exceeds " + maxBodyBytes() + " bytes");
        }
        JsonNode body;
        try {
            body = mapper().readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return Reply.refuse(400, BAD_REQUEST, "Bad Request");
        }
        if (!request.path().substring(HOOK_PATH.length()).equals(token)) {
            return Reply.refuse(TOKEN_INVALID, defaultMessage(TOKEN_INVALID));
        }
        Instant now = request.receivedAt();
        if (!withinRate(now)) {
            return Reply.refuse(400, BAD_REQUEST, "too many request");
        }
        Optional<String> secret = signatureSecret();
        if (secret.isPresent()) {
            long seconds;
            try {
                seconds = Long.parseLong(body.path("timestamp").asText(""));
            } catch (NumberFormatException e) {
                return Reply.refuse(SIGNATURE, SIGNATURE_MESSAGE);
            }
            if (!timestampWithinTolerance(Instant.ofEpochSecond(seconds), now)
                    || !body.path("sign").asText("").equals(FeishuSignature.sign(seconds, secret.get()))) {
                return Reply.refuse(SIGNATURE, SIGNATURE_MESSAGE);
            }
        }
        if (!fromAllowedAddress(request)) {
            return Reply.refuse(IP_NOT_ALLOWED, "Ip Not Allowed");
        }
        String msgType = body.path("msg_type").asText("");
        if (msgType.isEmpty()) {
            return Reply.refuse(PARAMS_ERROR, "params error, msg_type need");
        }
        Read read = new Read();
        Optional<String> wrong = switch (msgType) {
            case "text" -> text(body.path("content"), read);
            case "post" -> post(body.path("content"), read);
            case "image" -> required(body.path("content"), "image_key", read);
            case "share_chat" -> required(body.path("content"), "share_chat_id", read);
            case "interactive" -> card(body.path("card"), read);
            default -> Optional.of("params error, unknown msg_type " + msgType);
        };
        if (wrong.isPresent()) {
            return Reply.refuse(PARAMS_ERROR, wrong.get());
        }
        String text = String.join("\n", read.texts);
        if (!holdsKeyword(text, read.title)) {
            return Reply.refuse(KEYWORDS, "Key Words Not Found");
        }
        Optional<Integer> refused = refusal(text, read.title);
        if (refused.isPresent()) {
            return Reply.refuse(httpStatus(refused.get()), refused.get(), defaultMessage(refused.get()));
        }
        return Reply.accept(new Accepted(now, msgType, read.title, text, read.rendering.build(),
                new String(request.body(), StandardCharsets.UTF_8), request.replyDelay()), "success");
    }

    /** What a message holds, gathered while its shape is checked. */
    private static final class Read {
        private final List<String> texts = new ArrayList<>();
        private final EmulatorRendering.Builder rendering = EmulatorRendering.builder();
        private String title = "";

        private void add(String text, EmulatorRendering.Syntax syntax) {
            texts.add(text);
            rendering.add(text, syntax);
        }
    }

    private static Optional<String> text(JsonNode content, Read read) {
        if (!content.path("text").isTextual() || content.path("text").asText().isEmpty()) {
            return Optional.of("params error, content.text need");
        }
        read.add(content.path("text").asText(), TEXT);
        return Optional.empty();
    }

    private static Optional<String> required(JsonNode content, String field, Read read) {
        if (!content.path(field).isTextual() || content.path(field).asText().isEmpty()) {
            return Optional.of("params error, content." + field + " need");
        }
        if (field.equals("image_key")) {
            read.rendering.image(content.path(field).asText());
        }
        return Optional.empty();
    }

    /** A post: per language a title and paragraphs of elements, each element a tag and its fields. */
    private static Optional<String> post(JsonNode content, Read read) {
        JsonNode languages = content.path("post");
        if (!languages.isObject() || languages.isEmpty()) {
            return Optional.of("params error, content.post need");
        }
        for (Map.Entry<String, JsonNode> language : languages.properties()) {
            JsonNode post = language.getValue();
            if (read.title.isEmpty()) {
                read.title = post.path("title").asText("");
            }
            if (!post.path("content").isArray()) {
                return Optional.of("params error, content.post.content need");
            }
            for (JsonNode paragraph : post.path("content")) {
                for (JsonNode element : paragraph) {
                    Optional<String> wrong = postElement(element, read);
                    if (wrong.isPresent()) {
                        return wrong;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> postElement(JsonNode element, Read read) {
        String tag = element.path("tag").asText("");
        switch (tag) {
            case "text" -> read.add(element.path("text").asText(""), EmulatorRendering.Syntax.PLAIN);
            case "md" -> read.add(element.path("text").asText(""), MARKDOWN);
            case "a" -> {
                read.texts.add(element.path("text").asText(""));
                read.rendering.link(element.path("text").asText(""), element.path("href").asText(""));
            }
            case "at" -> read.rendering.mentions(List.of(element.path("user_id").asText("")));
            case "img" -> read.rendering.image(element.path("image_key").asText(""));
            case "code_block" -> read.texts.add(element.path("text").asText(""));
            case "emotion", "hr", "media" -> {
                // shown, but neither text nor a link
            }
            default -> {
                return Optional.of("params error, unknown post tag " + tag);
            }
        }
        return Optional.empty();
    }

    /**
     * A card, either JSON 1.0 ({@code header}, {@code elements}) or 2.0 ({@code schema}, {@code body.elements}): every
     * text object in it is read by its tag, every button's URL is a link, every image an image.
     */
    private static Optional<String> card(JsonNode card, Read read) {
        if (card.isTextual()) {
            try {
                card = mapper().readTree(card.asText());
            } catch (IOException e) {
                return Optional.of("params error, card is not JSON");
            }
        }
        if (!card.isObject() || card.isEmpty()) {
            return Optional.of("params error, card need");
        }
        read.title = card.path("header").path("title").path("content").asText("");
        walk(card, read);
        return Optional.empty();
    }

    private static void walk(JsonNode node, Read read) {
        if (node.isArray()) {
            node.forEach(child -> walk(child, read));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String tag = node.path("tag").asText("");
        String content = node.path("content").asText("");
        switch (tag) {
            case "plain_text" -> read.add(content, EmulatorRendering.Syntax.PLAIN);
            case "lark_md" -> read.add(content, LARK_MD);
            case "markdown" -> read.add(content, MARKDOWN);
            case "img" -> read.rendering.image(node.path("img_key").asText(""));
            default -> {
            }
        }
        for (String field : List.of("url", "multi_url")) {
            JsonNode url = node.path(field);
            String target = url.isTextual() ? url.asText() : url.path("url").asText("");
            if (!target.isEmpty()) {
                read.rendering.link(node.path("text").path("content").asText(""), target);
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getKey().equals("content") || !field.getValue().isTextual()) {
                walk(field.getValue(), read);
            }
        }
    }

    /**
     * Configures a {@link FeishuEmulator}. Defaults: a random token, no secret, no keywords, no IP allow-list, the
     * system clock, 100 messages a minute and 5 a second with no block beyond the full window, a one-hour timestamp
     * window and 20,000-byte bodies.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder extends SecuredSettings<Builder> {

        private String token = UUID.randomUUID().toString();
        private int messagesPerSecond = MESSAGES_PER_SECOND;

        private Builder() {
            super(MESSAGES_PER_MINUTE, Duration.ZERO, MAX_BODY_BYTES);
        }

        /** The token of the bot's webhook path. */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** Requests allowed in any second, besides {@link #messagesPerMinute(int)}. */
        public Builder messagesPerSecond(int messagesPerSecond) {
            this.messagesPerSecond = messagesPerSecond;
            return this;
        }

        /**
         * Starts the emulator on a free loopback port.
         *
         * @throws UncheckedIOException when no server socket can be opened
         */
        public FeishuEmulator start() {
            return new FeishuEmulator(this);
        }
    }
}
