package io.logalert.sink.dingtalk;

import java.util.Locale;
import java.util.Optional;

/** The robot message type a digest is sent as. */
public enum MessageType {
    /** Markdown: a title for the notification preview and a formatted text. The default. */
    MARKDOWN("markdown"),
    /** Plain text: no formatting, links are not clickable. */
    TEXT("text"),
    /** A markdown card with one button per message (to {@code action-url}, e.g. Kibana Discover). No mentions. */
    ACTION_CARD("actionCard");

    private final String msgtype;

    MessageType(String msgtype) {
        this.msgtype = msgtype;
    }

    /** The {@code msgtype} value of the robot protocol, e.g. {@code actionCard}. */
    public String msgtype() {
        return msgtype;
    }

    /** The type named {@code name}: its msgtype in any case, or with {@code -}/{@code _} between words. */
    public static Optional<MessageType> fromName(String name) {
        String wanted = name.strip().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        for (MessageType type : values()) {
            if (type.msgtype.toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
