package io.logalert.sink.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.Digest;
import io.logalert.sink.robot.Markups;
import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.OutgoingMessage;
import io.logalert.sink.robot.Redactor;
import io.logalert.sink.robot.RobotPlatform;
import io.logalert.sink.robot.Verdict;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feishu/Lark's rules for one custom bot: the token in the path, the signature in the body, an interactive card whose
 * text is {@code lark_md}, and the {@code code} table. Holds the token and the secret, so it has no
 * {@code toString()} that shows them.
 */
final class FeishuPlatform implements RobotPlatform {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(FeishuPlatform.class);
    // a signed body is rendered and measured with these, of the final lengths, and they are replaced per request
    private static final String TIMESTAMP_PLACEHOLDER = "0".repeat(10);
    private static final String SIGN_PLACEHOLDER = "A".repeat(43) + "=";
    private static final byte[] SIGNED_PREFIX = ("{\"timestamp\":\"" + TIMESTAMP_PLACEHOLDER + "\",\"sign\":\""
            + SIGN_PLACEHOLDER + "\",").getBytes(StandardCharsets.UTF_8);
    private static final int TIMESTAMP_AT = "{\"timestamp\":\"".length();
    private static final int SIGN_AT = TIMESTAMP_AT + TIMESTAMP_PLACEHOLDER.length() + "\",\"sign\":\"".length();

    private final URI sendUrl;
    private final String token;
    private final Optional<String> secret;
    private final String robotKey;
    private final Redactor redactor;
    private final MessageRenderer renderer;

    /**
     * The bot reached at {@code sendUrl} (its token the last segment of the path).
     *
     * @param settings the renderer's settings, in {@code lark_md}
     */
    FeishuPlatform(URI sendUrl, String token, Optional<String> secret, MessageRenderer.Settings settings,
            List<String> mentions, boolean mentionAll) {
        this.sendUrl = sendUrl;
        this.token = token;
        this.secret = secret;
        // Feishu knows a bot by its token alone, on either domain
        this.robotKey = Redactor.sha256(token);
        List<String> secrets = new ArrayList<>(List.of(token));
        secret.ifPresent(secrets::add);
        this.redactor = Redactor.of(secrets);
        this.renderer = new MessageRenderer(settings, new Card(settings, secret.isPresent(), mentions, mentionAll,
                ConcurrentHashMap.newKeySet()));
    }

    @Override
    public String type() {
        return FeishuSink.TYPE;
    }

    @Override
    public String displayName() {
        return "Feishu";
    }

    @Override
    public String robotKey() {
        return robotKey;
    }

    @Override
    public String host() {
        return sendUrl.getRawAuthority();
    }

    @Override
    public String redacted() {
        String url = sendUrl.toString();
        return url.substring(0, url.length() - token.length()) + Redactor.MASK;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public MessageRenderer renderer() {
        return renderer;
    }

    /** The request, with the body's timestamp (epoch seconds) and signature set for {@code now}. */
    @Override
    public HttpRequest.Builder request(OutgoingMessage message, Instant now) {
        byte[] body = message.body();
        if (secret.isPresent()) {
            body = body.clone();
            String seconds = Long.toString(now.getEpochSecond());
            String sign = FeishuSignature.sign(now.getEpochSecond(), secret.get());
            if (seconds.length() != TIMESTAMP_PLACEHOLDER.length() || sign.length() != SIGN_PLACEHOLDER.length()
                    || !startsWith(body, SIGNED_PREFIX)) {
                // the body was measured with the placeholders: a value of another length would change its size
                throw new IllegalStateException("cannot sign a body rendered without the signature's placeholders");
            }
            System.arraycopy(seconds.getBytes(StandardCharsets.US_ASCII), 0, body, TIMESTAMP_AT, seconds.length());
            System.arraycopy(sign.getBytes(StandardCharsets.US_ASCII), 0, body, SIGN_AT, sign.length());
        }
        return HttpRequest.newBuilder(sendUrl)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length >= prefix.length
                && java.util.Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public Verdict interpret(int status, String body) {
        return ErrorCodes.TABLE.interpret(status, body, host(), redacted(), redactor);
    }

    @Override
    public String throttleCodes() {
        return "code " + ErrorCodes.BAD_REQUEST + "/" + ErrorCodes.FREQUENCY_LIMITED;
    }

    @Override
    public String toString() {
        return "FeishuPlatform[" + redacted() + "]";
    }

    /**
     * An interactive card: the title in its header, the text in one {@code lark_md} element followed by the mentions
     * (a digest's first message only), and a button per digest when there is a link.
     */
    private record Card(MessageRenderer.Settings settings, boolean signed, List<String> mentions, boolean mentionAll,
            Set<String> warned) implements MessageRenderer.Body {

        @Override
        public byte[] render(MessageRenderer.Draft draft) {
            ObjectNode body = JSON.createObjectNode();
            if (signed) {
                body.put("timestamp", TIMESTAMP_PLACEHOLDER).put("sign", SIGN_PLACEHOLDER);
            }
            body.put("msg_type", "interactive");
            ObjectNode card = body.putObject("card");
            card.putObject("config").put("wide_screen_mode", true);
            ObjectNode header = card.putObject("header").put("template", "red");
            header.putObject("title").put("tag", "plain_text").put("content", draft.title());
            ArrayNode elements = card.putArray("elements");
            elements.addObject().put("tag", "div").putObject("text").put("tag", "lark_md")
                    .put("content", draft.text() + (draft.first() ? atTags(draft.digests()) : ""));
            if (settings.actionUrl().isPresent()) {
                ArrayNode buttons = elements.addObject().put("tag", "action").putArray("actions");
                for (Digest digest : draft.digests()) {
                    String text = draft.digests().size() == 1 ? settings.actionTitle()
                            : settings.labels().field(settings.actionTitle(),
                                    Markups.truncate(digest.project(), MessageRenderer.MAX_NAME_CHARS));
                    ObjectNode button = buttons.addObject().put("tag", "button").put("type", "default");
                    button.putObject("text").put("tag", "plain_text").put("content", text);
                    button.put("url", MessageRenderer.actionUrl(settings.actionUrl().get(), digest));
                }
            }
            try {
                return JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a message body", e);
            }
        }

        /** The {@code <at>} tags of the sink's and the routes' mentions; those that cannot be one are left out. */
        private String atTags(List<Digest> digests) {
            Set<String> people = new LinkedHashSet<>(mentions);
            digests.forEach(digest -> people.addAll(digest.mentions()));
            List<String> tags = new ArrayList<>();
            for (String person : people) {
                if (FeishuSink.mentionable(person)) {
                    tags.add(person.contains("@") ? "<at email=" + person + "></at>" : "<at id=" + person + "></at>");
                } else if (warned.add(person)) {
                    // once per sink: a body is rendered several times while it is measured
                    LOG.warn("Feishu: cannot @-mention '{}': a card mentions open ids (ou_…), user ids or e-mail "
                            + "addresses, not mobile numbers; it is left out", person);
                }
            }
            if (mentionAll) {
                tags.add("<at id=all></at>");
            }
            return tags.isEmpty() ? "" : "\n\n" + String.join(" ", tags);
        }
    }
}
