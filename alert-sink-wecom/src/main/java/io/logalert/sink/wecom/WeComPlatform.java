package io.logalert.sink.wecom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.Digest;
import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.OutgoingMessage;
import io.logalert.sink.robot.Redactor;
import io.logalert.sink.robot.RobotPlatform;
import io.logalert.sink.robot.RobotSettings;
import io.logalert.sink.robot.Verdict;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom's rules for one group robot: the {@code key} in the URL (its only credential), the {@code markdown} or
 * {@code text} body with its mentions, and the {@code errcode} table. Holds the key, so it has no {@code toString()}
 * that shows it.
 */
final class WeComPlatform implements RobotPlatform {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(WeComPlatform.class);

    private final String sendUrl;
    private final String key;
    private final String robotKey;
    private final Redactor redactor;
    private final MessageRenderer renderer;

    /**
     * The robot reached at {@code sendUrl} (scheme, authority and path, no query) with {@code key}.
     *
     * @param settings the renderer's settings, in the markup of {@code type}
     */
    WeComPlatform(String sendUrl, String key, MessageRenderer.Settings settings, MessageType type,
            Mentions mentions) {
        this.sendUrl = sendUrl;
        this.key = key;
        // WeCom knows a robot by its key alone, however the URL is spelt
        this.robotKey = Redactor.sha256(key);
        this.redactor = Redactor.of(List.of(key));
        this.renderer = new MessageRenderer(settings, new Body(type, mentions, ConcurrentHashMap.newKeySet()));
    }

    @Override
    public String type() {
        return WeComSink.TYPE;
    }

    @Override
    public String displayName() {
        return "WeCom";
    }

    @Override
    public String robotKey() {
        return robotKey;
    }

    @Override
    public String host() {
        return URI.create(sendUrl).getRawAuthority();
    }

    @Override
    public String redacted() {
        return sendUrl + "?key=***";
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public MessageRenderer renderer() {
        return renderer;
    }

    @Override
    public HttpRequest.Builder request(OutgoingMessage message, Instant now) {
        return HttpRequest.newBuilder(URI.create(sendUrl + "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
    }

    @Override
    public Verdict interpret(int status, String body) {
        return ErrorCodes.TABLE.interpret(status, body, host(), redacted(), redactor);
    }

    @Override
    public String throttleCodes() {
        return "errcode " + ErrorCodes.RATE_LIMITED;
    }

    @Override
    public String toString() {
        return "WeComPlatform[" + redacted() + "]";
    }

    /**
     * Who a message mentions: the sink's own, and those of the routes of its digests (a mobile number by its shape,
     * anything else a user id).
     *
     * @param userIds the sink's user ids
     * @param mobiles the sink's mobile numbers
     * @param all     whether to mention everyone (text messages)
     */
    record Mentions(List<String> userIds, List<String> mobiles, boolean all) {

        Mentions {
            userIds = List.copyOf(userIds);
            mobiles = List.copyOf(mobiles);
        }

        /** The user ids, then the mobiles, of a message carrying {@code digests}. */
        List<Set<String>> of(List<Digest> digests) {
            Set<String> ids = new LinkedHashSet<>(userIds);
            Set<String> phones = new LinkedHashSet<>(mobiles);
            for (Digest digest : digests) {
                for (String person : digest.mentions()) {
                    (RobotSettings.MOBILE.matcher(person).matches() ? phones : ids).add(person);
                }
            }
            return List.of(ids, phones);
        }
    }

    /**
     * WeCom's request body around a message's text. Markdown notifies only {@code <@userid>} in its content (WeCom
     * ignores mention lists there), so the user ids are written after the text; a text message lists them.
     * Mentions go with a digest's first message only.
     */
    private record Body(MessageType type, Mentions mentions, Set<String> warned) implements MessageRenderer.Body {

        @Override
        public byte[] render(MessageRenderer.Draft draft) {
            List<Set<String>> people = draft.first() ? mentions.of(draft.digests())
                    : List.of(Set.of(), Set.of());
            Set<String> ids = people.get(0);
            ObjectNode body = JSON.createObjectNode().put("msgtype", type.msgtype());
            if (type == MessageType.MARKDOWN) {
                List<String> tags = new ArrayList<>();
                for (String id : ids) {
                    // an id that could close the tag or start markup is no user id: it would put markup in the text
                    if (WeComSink.USER_ID.matcher(id).matches()) {
                        tags.add("<@" + id + ">");
                    } else {
                        warnOnce(id);
                    }
                }
                people.get(1).forEach(this::warnOnce);
                body.putObject("markdown").put("content", draft.text()
                        + (tags.isEmpty() ? "" : "\n\n" + String.join(" ", tags)));
            } else {
                ObjectNode text = body.putObject("text").put("content", draft.text());
                boolean all = draft.first() && mentions.all();
                if (!ids.isEmpty() || all) {
                    ArrayNode list = text.putArray("mentioned_list");
                    ids.forEach(list::add);
                    if (all) {
                        list.add("@all");
                    }
                }
                if (!people.get(1).isEmpty()) {
                    ArrayNode list = text.putArray("mentioned_mobile_list");
                    people.get(1).forEach(list::add);
                }
            }
            try {
                return JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a message body", e);
            }
        }

        /** Says once per sink that a route's mention is left out: a body is rendered several times while measured. */
        private void warnOnce(String person) {
            if (warned.add(person)) {
                LOG.warn("WeCom: cannot @-mention '{}' in a markdown message, which notifies user ids only (letters, "
                        + "digits, _ . @ -); it is left out. Set 'message-type: text' to mention mobiles", person);
            }
        }
    }
}
