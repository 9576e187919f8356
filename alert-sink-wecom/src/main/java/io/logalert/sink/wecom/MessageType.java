package io.logalert.sink.wecom;

import io.logalert.sink.robot.Markup;
import io.logalert.sink.robot.Markups;
import java.util.Arrays;
import java.util.Optional;

/** The WeCom message type a digest is sent as, with the limit WeCom puts on its content. */
public enum MessageType {
    /**
     * Markdown, 4,096 bytes: headings, bold, colours, a link; log text in code spans. Mentions only user ids, as
     * {@code <@userid>} in the content. The default.
     */
    MARKDOWN("markdown", 4_096, Markups.weComMarkdown()),
    /** Plain text, 2,048 bytes: no formatting; mentions user ids, mobiles and everyone through its mention lists. */
    TEXT("text", 2_048, Markups.plain());

    private final String msgtype;
    private final int maxBytes;
    private final Markup markup;

    MessageType(String msgtype, int maxBytes, Markup markup) {
        this.msgtype = msgtype;
        this.maxBytes = maxBytes;
        this.markup = markup;
    }

    /** The {@code msgtype} value of the robot protocol. */
    public String msgtype() {
        return msgtype;
    }

    /** WeCom's limit on the content of this type, in UTF-8 bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    Markup markup() {
        return markup;
    }

    /** The type whose msgtype is {@code name}, in any case. */
    public static Optional<MessageType> fromName(String name) {
        return Arrays.stream(values()).filter(type -> type.msgtype.equalsIgnoreCase(name.strip())).findFirst();
    }
}
