package io.logalert.sink.robot;

/**
 * What a robot sink does about one message's outcome. A platform's {@link ErrorTable} maps each of its answer codes
 * to one of the first eight; the last four are outcomes the sink itself reaches without a reply to classify.
 */
public enum Action {
    /** Accepted. */
    DELIVERED,
    /** A passing failure (a busy server, HTTP 5xx, a dropped connection): retry this message with backoff. */
    RETRY,
    /** The robot is throttled for sending too fast: leave it alone for the platform's block period, retry later. */
    THROTTLED,
    /** A call quota (per day or month) is used up: stop sending to the robot for now, retry later. */
    QUOTA,
    /** The body was too long for the robot: split it smaller and resend. */
    TOO_LONG,
    /**
     * The robot refuses every message (credentials, security settings, a wrong address, a bug in the request): stop
     * and reject, with advice on what to set.
     */
    ROBOT_REJECTED,
    /**
     * The robot refused this message for what its text says: the same digest may pass without its log text, and
     * other messages may pass.
     */
    CONTENT_REJECTED,
    /** The robot refused this message for a reason it does not name (an unknown code): others may pass. */
    MESSAGE_REJECTED,
    /**
     * Not a reply: the request got no answer in time. It may still have reached the robot, so it is not sent again
     * by the same call.
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
