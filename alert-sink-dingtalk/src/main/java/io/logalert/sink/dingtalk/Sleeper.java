package io.logalert.sink.dingtalk;

/**
 * Waits between retry attempts: the robot core's {@link io.logalert.sink.robot.Sleeper}, under the name this module
 * has always given it, so that code written against the DingTalk sink keeps compiling.
 */
@FunctionalInterface
public interface Sleeper extends io.logalert.sink.robot.Sleeper {

    /** A sleeper that blocks the calling thread with {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
