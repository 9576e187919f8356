package io.logalert.sink.dingtalk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.Digest;
import io.logalert.Labels;
import io.logalert.sink.robot.Markup;
import io.logalert.sink.robot.Markups;
import io.logalert.sink.robot.MessageRenderer;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The robot core's {@link MessageRenderer} with DingTalk's message: its markdown (or plain text), and its body —
 * {@code msgtype}, a {@code markdown}, {@code text} or {@code actionCard} object, the {@code at} mentions, which
 * DingTalk shows only when the content holds "@&lt;mobile&gt;" too.
 *
 * <p>{@link #split} and {@link #pack} give the messages as this module's {@link OutgoingMessage}, which its tests
 * read.
 */
final class DigestRenderer extends MessageRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the renderer needs to know.
     *
     * @param type             the message type
     * @param titleTemplate    the title, with {@link #TITLE_PLACEHOLDERS}; empty for the layout's title in the labels'
     *                         words ("shop: 12 errors")
     * @param keywords         the robot's keywords; every message carries one
     * @param atMobiles        mobiles to mention
     * @param atUserIds        user ids to mention
     * @param atAll            whether to mention everyone
     * @param actionUrl        the link template, with {@link #URL_PLACEHOLDERS}
     * @param actionTitle      the text of the link or button
     * @param zone             the time zone times are shown in
     * @param maxMessageLength characters of a pattern and of a sample message shown per group
     * @param labels           the words messages are written in
     */
    record Settings(MessageType type, Optional<String> titleTemplate, List<String> keywords, List<String> atMobiles,
            List<String> atUserIds, boolean atAll, Optional<String> actionUrl, String actionTitle, ZoneId zone,
            int maxMessageLength, Labels labels) {

        /** The core's settings of these. */
        MessageRenderer.Settings core() {
            return new MessageRenderer.Settings(titleTemplate, keywords, actionUrl, actionTitle,
                    type != MessageType.ACTION_CARD, zone, maxMessageLength, labels, markup(type));
        }
    }

    DigestRenderer(Settings settings) {
        this(settings.core(), settings.type(), settings.atMobiles(), settings.atUserIds(), settings.atAll());
    }

    DigestRenderer(MessageRenderer.Settings settings, MessageType type, List<String> atMobiles,
            List<String> atUserIds, boolean atAll) {
        super(settings, new DingTalkBody(settings, type, atMobiles, atUserIds, atAll));
    }

    /** The markup of {@code type}: markdown but for text messages. */
    static Markup markup(MessageType type) {
        return type == MessageType.TEXT ? Markups.plain() : Markups.dingTalkMarkdown();
    }

    /**
     * The messages of one digest on its own: one message, or numbered parts when one body would reach
     * {@code byteLimit}.
     *
     * @param compact show groups in two lines each (pattern, then the sample's first line), with shorter samples
     */
    List<OutgoingMessage> split(int index, Digest digest, int byteLimit, boolean compact) {
        return split(index, digest, byteLimit, compact ? Detail.COMPACT : Detail.FULL);
    }

    /** The messages of one digest on its own, showing {@code detail} of it. */
    List<OutgoingMessage> split(int index, Digest digest, int byteLimit, Detail detail) {
        return parts(index, digest, byteLimit, detail).stream().map(DigestRenderer::message).toList();
    }

    /** Several digests in one compact message, or empty when it would reach {@code byteLimit}. */
    Optional<OutgoingMessage> pack(List<Integer> indices, List<Digest> digests, int byteLimit) {
        return packed(indices, digests, byteLimit).map(DigestRenderer::message);
    }

    private static OutgoingMessage message(io.logalert.sink.robot.OutgoingMessage message) {
        return new OutgoingMessage(message.digests(), message.title(), message.body());
    }

    /** DingTalk's request body around a message's text. */
    private record DingTalkBody(MessageRenderer.Settings settings, MessageType type, List<String> atMobiles,
            List<String> atUserIds, boolean atAll) implements Body {

        @Override
        public byte[] render(Draft draft) {
            // the sink's own mentions, and those of the routes that sent these digests here: a number is a mobile,
            // anything else a DingTalk user id
            Set<String> mobiles = new LinkedHashSet<>(atMobiles);
            Set<String> userIds = new LinkedHashSet<>(atUserIds);
            for (Digest digest : draft.digests()) {
                for (String person : digest.mentions()) {
                    (DingTalkSink.MOBILE.matcher(person).matches() ? mobiles : userIds).add(person);
                }
            }
            boolean mention = draft.first() && type != MessageType.ACTION_CARD
                    && (atAll || !mobiles.isEmpty() || !userIds.isEmpty());
            String content = draft.text();
            if (mention && (!mobiles.isEmpty() || !userIds.isEmpty())) {
                // DingTalk shows a mention only when the content itself holds "@<mobile>" / "@<userId>"
                List<String> names = new ArrayList<>();
                mobiles.forEach(m -> names.add("@" + m));
                userIds.forEach(u -> names.add("@" + u));
                content += "\n\n" + String.join(" ", names);
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("msgtype", type.msgtype());
            switch (type) {
                case TEXT -> body.putObject("text").put("content", content);
                case MARKDOWN -> body.putObject("markdown").put("title", draft.title()).put("text", content);
                case ACTION_CARD -> actionCard(body, draft, content);
                default -> throw new IllegalStateException("unknown type " + type);
            }
            if (mention) {
                ObjectNode at = body.putObject("at");
                ArrayNode mobileList = at.putArray("atMobiles");
                mobiles.forEach(mobileList::add);
                ArrayNode userIdList = at.putArray("atUserIds");
                userIds.forEach(userIdList::add);
                at.put("isAtAll", atAll);
            }
            try {
                return JSON.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a message body", e);
            }
        }

        /** A card with one button per digest, to its action URL. */
        private void actionCard(ObjectNode body, Draft draft, String content) {
            String template = settings.actionUrl().orElseThrow();
            ObjectNode card = body.putObject("actionCard").put("title", draft.title()).put("text", content)
                    .put("btnOrientation", "0");
            if (draft.digests().size() == 1) {
                card.put("singleTitle", settings.actionTitle())
                        .put("singleURL", actionUrl(template, draft.digests().get(0)));
            } else {
                ArrayNode buttons = card.putArray("btns");
                for (Digest digest : draft.digests()) {
                    buttons.addObject()
                            .put("title", settings.labels().field(settings.actionTitle(),
                                    Markups.truncate(digest.project(), MAX_NAME_CHARS)))
                            .put("actionURL", actionUrl(template, digest));
                }
            }
        }
    }
}
