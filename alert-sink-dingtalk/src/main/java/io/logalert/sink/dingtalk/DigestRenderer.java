package io.logalert.sink.dingtalk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.Digest;
import io.logalert.sink.robot.Markup;
import io.logalert.sink.robot.Markups;
import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.RobotSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The robot core's {@link MessageRenderer} with DingTalk's message: its markdown (or plain text), and its body —
 * {@code msgtype}, a {@code markdown}, {@code text} or {@code actionCard} object, the {@code at} mentions, which
 * DingTalk shows only when the content holds "@&lt;mobile&gt;" too.
 */
final class DigestRenderer extends MessageRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    DigestRenderer(MessageRenderer.Settings settings, MessageType type, List<String> atMobiles,
            List<String> atUserIds, boolean atAll) {
        super(settings, new DingTalkBody(settings, type, atMobiles, atUserIds, atAll));
    }

    /** The markup of {@code type}: markdown but for text messages. */
    static Markup markup(MessageType type) {
        return type == MessageType.TEXT ? Markups.plain() : Markups.dingTalkMarkdown();
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
                    (RobotSettings.MOBILE.matcher(person).matches() ? mobiles : userIds).add(person);
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
