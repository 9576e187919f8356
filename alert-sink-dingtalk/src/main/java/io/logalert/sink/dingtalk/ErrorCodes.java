package io.logalert.sink.dingtalk;

import java.util.Locale;

/** What the robot's {@code errcode} values mean and what the sink does about each (the table of the protocol spec). */
final class ErrorCodes {

    /** What to do about a reply. */
    enum Action {
        /** Accepted. */
        DELIVERED,
        /** A passing failure: retry this message with backoff. */
        RETRY,
        /** The robot is throttled: block it for the block period. */
        THROTTLED,
        /** The webhook's call quota is used up: stop sending to the robot for now. */
        QUOTA,
        /** The body was too long: split and resend. */
        TOO_LONG,
        /** The robot refuses every message (credentials, security settings, a bug in the request): stop. */
        ROBOT_REJECTED,
        /**
         * The robot refused this message for what its text says (430101–430104): the same digest may pass without
         * its log text, and other messages may pass.
         */
        CONTENT_REJECTED,
        /** The robot refused this message for a reason it does not name (an unknown errcode): others may pass. */
        MESSAGE_REJECTED,
        /**
         * Not a reply: the request got no answer in time. It may still have reached the robot, so it is not sent
         * again by the same call.
         */
        TIMED_OUT,
        /**
         * Not a reply: no connection within the connect timeout. Nothing reached the robot, but another attempt would
         * wait as long again, so the call sends nothing more to the robot.
         */
        NO_CONNECTION,
        /** Not a reply: the sink held the message back because the robot's budget is used up. */
        NO_BUDGET,
        /** Not a reply: the sending thread was interrupted. */
        INTERRUPTED
    }

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

    private ErrorCodes() {
    }

    static Action action(int errcode) {
        return switch (errcode) {
            case OK -> Action.DELIVERED;
            case BUSY -> Action.RETRY;
            case THROTTLED, THROTTLED_LEGACY -> Action.THROTTLED;
            case QUOTA -> Action.QUOTA;
            case TOO_LONG -> Action.TOO_LONG;
            case UNSAFE_LINK, BAD_TEXT, BAD_IMAGE, BAD_CONTENT -> Action.CONTENT_REJECTED;
            case SECURITY, GROUP_DISBANDED, TOKEN_NOT_EXIST, TOKEN_INVALID, TOKEN_MISSING, ROBOT_DISABLED,
                    UNSUPPORTED_TYPE, ROBOT_NOT_EXIST, MISSING_PARAM, BAD_CONTENT_TYPE -> Action.ROBOT_REJECTED;
            // unknown codes too: failing loudly on one message beats retrying blindly or dropping it
            default -> Action.MESSAGE_REJECTED;
        };
    }

    /** What {@code errcode} means, in words. */
    static String meaning(int errcode) {
        return switch (errcode) {
            case OK -> "ok";
            case BUSY -> "system busy";
            case THROTTLED, THROTTLED_LEGACY -> "sending too fast, the robot is throttled";
            case QUOTA -> "webhook call quota exceeded";
            case SECURITY -> "security check failed";
            case GROUP_DISBANDED -> "the group was disbanded";
            case TOKEN_NOT_EXIST, TOKEN_INVALID, TOKEN_MISSING -> "the access token does not exist or is invalid";
            case ROBOT_DISABLED -> "the robot is disabled";
            case UNSUPPORTED_TYPE -> "unsupported message type";
            case ROBOT_NOT_EXIST -> "the robot does not exist";
            case UNSAFE_LINK -> "unsafe external link";
            case BAD_TEXT -> "inappropriate text";
            case BAD_IMAGE -> "inappropriate image";
            case BAD_CONTENT -> "inappropriate content";
            case TOO_LONG -> "message too long";
            case MISSING_PARAM -> "missing JSON parameter";
            case BAD_CONTENT_TYPE -> "bad Content-Type";
            default -> "unknown error code";
        };
    }

    /** What the user can do about a refusal, or empty. */
    static String hint(int errcode, String errmsg) {
        String msg = errmsg.toLowerCase(Locale.ROOT);
        if (errcode == SECURITY) {
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
        return switch (errcode) {
            case TOKEN_NOT_EXIST, TOKEN_INVALID, TOKEN_MISSING, ROBOT_NOT_EXIST ->
                    "check 'webhook' / 'access-token' against the robot's settings";
            case GROUP_DISBANDED, ROBOT_DISABLED -> "configure a robot of a live group";
            case UNSUPPORTED_TYPE, MISSING_PARAM, BAD_CONTENT_TYPE -> "this is a bug in the sink; please report it";
            default -> "";
        };
    }
}
