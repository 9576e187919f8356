package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.Action;
import io.logalert.sink.robot.ErrorTable;
import java.util.Locale;

/** DingTalk's {@code errcode} values, what each means and what the sink does about it (the protocol spec's table). */
final class ErrorCodes {

    static final int OK = 0;
    static final int BUSY = -1;
    static final int THROTTLED = 410100;
    static final int THROTTLED_LEGACY = 130101;
    static final int QUOTA = 90030;
    static final int SECURITY = 310000;
    static final int GROUP_DISBANDED = 400013;
    static final int TOKEN_NOT_EXIST = 400101;
    static final int TOKEN_INVALID = 300005;
    static final int TOKEN_MISSING = 300001;
    static final int ROBOT_DISABLED = 400102;
    static final int UNSUPPORTED_TYPE = 400105;
    static final int ROBOT_NOT_EXIST = 400106;
    static final int UNSAFE_LINK = 430101;
    static final int BAD_TEXT = 430102;
    static final int BAD_IMAGE = 430103;
    static final int BAD_CONTENT = 430104;
    static final int TOO_LONG = 460101;
    static final int MISSING_PARAM = 40035;
    static final int BAD_CONTENT_TYPE = 43004;

    private static final String CHECK_TOKEN = "check 'webhook' / 'access-token' against the robot's settings";
    private static final String LIVE_GROUP = "configure a robot of a live group";
    private static final String BUG = "this is a bug in the sink; please report it";

    /** The table; an unknown code fails one message loudly, which beats retrying blindly or dropping it. */
    static final ErrorTable TABLE = ErrorTable.builder("DingTalk")
            .field("errcode", "errmsg")
            .code(OK, Action.DELIVERED, "ok")
            .code(BUSY, Action.RETRY, "system busy")
            .code(Action.THROTTLED, "sending too fast, the robot is throttled", THROTTLED, THROTTLED_LEGACY)
            .code(QUOTA, Action.QUOTA, "webhook call quota exceeded")
            .code(TOO_LONG, Action.TOO_LONG, "message too long")
            .code(UNSAFE_LINK, Action.CONTENT_REJECTED, "unsafe external link")
            .code(BAD_TEXT, Action.CONTENT_REJECTED, "inappropriate text")
            .code(BAD_IMAGE, Action.CONTENT_REJECTED, "inappropriate image")
            .code(BAD_CONTENT, Action.CONTENT_REJECTED, "inappropriate content")
            .code(SECURITY, Action.ROBOT_REJECTED, "security check failed", ErrorCodes::securityHint)
            .code(GROUP_DISBANDED, Action.ROBOT_REJECTED, "the group was disbanded", LIVE_GROUP)
            .code(TOKEN_NOT_EXIST, Action.ROBOT_REJECTED, "the access token does not exist or is invalid", CHECK_TOKEN)
            .code(TOKEN_INVALID, Action.ROBOT_REJECTED, "the access token does not exist or is invalid", CHECK_TOKEN)
            .code(TOKEN_MISSING, Action.ROBOT_REJECTED, "the access token does not exist or is invalid", CHECK_TOKEN)
            .code(ROBOT_DISABLED, Action.ROBOT_REJECTED, "the robot is disabled", LIVE_GROUP)
            .code(UNSUPPORTED_TYPE, Action.ROBOT_REJECTED, "unsupported message type", BUG)
            .code(ROBOT_NOT_EXIST, Action.ROBOT_REJECTED, "the robot does not exist", CHECK_TOKEN)
            .code(MISSING_PARAM, Action.ROBOT_REJECTED, "missing JSON parameter", BUG)
            .code(BAD_CONTENT_TYPE, Action.ROBOT_REJECTED, "bad Content-Type", BUG)
            .otherwise(Action.MESSAGE_REJECTED, "unknown error code")
            .httpAdvice("check 'webhook' / 'base-url'")
            .build();

    private ErrorCodes() {
    }

    /** What {@code errcode} means, in words. */
    static String meaning(int errcode) {
        return TABLE.meaning(errcode);
    }

    /** One code for every security setting: the message says which one failed. */
    private static String securityHint(String errmsg) {
        String msg = errmsg.toLowerCase(Locale.ROOT);
        if (msg.contains("keyword")) {
            return "set 'keywords' to one of the custom keywords in the robot's security settings";
        }
        if (msg.contains("sign")) {
            return "set 'secret' to the robot's signing secret (it starts with SEC)";
        }
        if (msg.contains("timestamp")) {
            return "this host's clock must be within one hour of DingTalk's";
        }
        if (msg.contains("ip")) {
            return "add this host's public IP address to the robot's IP allow-list";
        }
        return "check the robot's security settings";
    }
}
