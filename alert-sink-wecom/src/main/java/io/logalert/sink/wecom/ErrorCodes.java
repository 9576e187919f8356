package io.logalert.sink.wecom;

import io.logalert.sink.robot.Action;
import io.logalert.sink.robot.ErrorTable;

/** WeCom's {@code errcode} values, what each means and what the sink does about it (see {@code docs/robots.md}). */
final class ErrorCodes {

    static final int OK = 0;
    static final int BUSY = -1;
    static final int INVALID_TYPE = 40008;
    static final int INVALID_PARAMETER = 40058;
    static final int EMPTY_CONTENT = 44004;
    static final int RATE_LIMITED = 45009;
    static final int BAD_JSON = 47001;
    static final int INVALID_WEBHOOK = 93000;

    private static final String BUG = "this is a bug in the sink; please report it";

    /** The table; an unknown code fails one message loudly, which beats retrying blindly or dropping it. */
    static final ErrorTable TABLE = ErrorTable.builder("WeCom")
            .field("errcode", "errmsg")
            .code(OK, Action.DELIVERED, "ok")
            .code(BUSY, Action.RETRY, "system busy")
            // WeCom documents no block: the sink waits out the minute the robot counts in
            .code(RATE_LIMITED, Action.THROTTLED, "sending too fast, over 20 messages a minute")
            // 40058 is any invalid parameter; only its "exceed max length" is a body to split smaller
            .codeWhenMessageHas(INVALID_PARAMETER, "exceed max length", Action.TOO_LONG, "message too long")
            .code(INVALID_PARAMETER, Action.ROBOT_REJECTED, "invalid request parameter", BUG)
            .code(INVALID_TYPE, Action.ROBOT_REJECTED, "invalid message type", BUG)
            .code(EMPTY_CONTENT, Action.ROBOT_REJECTED, "empty content", BUG)
            .code(BAD_JSON, Action.ROBOT_REJECTED, "data format error", BUG)
            .code(INVALID_WEBHOOK, Action.ROBOT_REJECTED, "invalid webhook key",
                    "check 'webhook' / 'key' against the robot's webhook address in the group's robot settings")
            .otherwise(Action.MESSAGE_REJECTED, "unknown error code")
            .httpAdvice("check 'webhook'")
            .build();

    private ErrorCodes() {
    }
}
