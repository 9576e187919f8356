package io.logalert.sink.feishu;

import io.logalert.sink.robot.Action;
import io.logalert.sink.robot.ErrorTable;

/** Feishu/Lark's {@code code} values, what each means and what the sink does about it (see {@code docs/robots.md}). */
final class ErrorCodes {

    static final int OK = 0;
    static final int BAD_REQUEST = 9499;
    static final int FREQUENCY_LIMITED = 11232;
    static final int TOKEN_INVALID = 19001;
    static final int PARAMS_ERROR = 19002;
    static final int SIGNATURE = 19021;
    static final int IP_NOT_ALLOWED = 19022;
    static final int KEYWORDS = 19024;
    static final int CARD_TOO_BIG = 19036;
    static final int OPEN_API_RATE = 99991400;

    private static final String BUG = "this is a bug in the sink; please report it";

    /**
     * The table. Feishu answers "too many request" with HTTP 400, so a code is read whatever the status; an unknown
     * code fails one message loudly, which beats retrying blindly or dropping it.
     */
    static final ErrorTable TABLE = ErrorTable.builder("Feishu")
            .field("code", "msg")
            .field("StatusCode", "StatusMessage")
            .codesOnAnyStatus()
            .code(OK, Action.DELIVERED, "success")
            .codeWhenMessageHas(BAD_REQUEST, "too many request", Action.THROTTLED,
                    "sending too fast, over 100 messages a minute or 5 a second")
            .codeWhenMessageHas(BAD_REQUEST, "exceed", Action.TOO_LONG, "message too long")
            .code(BAD_REQUEST, Action.MESSAGE_REJECTED, "bad request")
            .code(FREQUENCY_LIMITED, Action.THROTTLED, "frequency limited (Feishu is busy around the hour)")
            .code(OPEN_API_RATE, Action.THROTTLED, "sending too fast")
            .code(CARD_TOO_BIG, Action.TOO_LONG, "card too big")
            .code(SIGNATURE, Action.ROBOT_REJECTED, "signature or timestamp refused",
                    "set 'secret' to the bot's signing secret; this host's clock must be within one hour of Feishu's")
            .code(IP_NOT_ALLOWED, Action.ROBOT_REJECTED, "address not allowed",
                    "add this host's public IP address to the bot's IP allow-list")
            .code(KEYWORDS, Action.ROBOT_REJECTED, "no keyword in the message",
                    "set 'keywords' to one of the bot's custom keywords")
            .code(TOKEN_INVALID, Action.ROBOT_REJECTED, "invalid webhook token",
                    "check 'webhook' / 'token' against the bot's webhook address")
            .code(PARAMS_ERROR, Action.ROBOT_REJECTED, "malformed message", BUG)
            .otherwise(Action.MESSAGE_REJECTED, "unknown error code")
            .httpAdvice("check 'webhook' / 'token' / 'domain'")
            .build();

    private ErrorCodes() {
    }
}
