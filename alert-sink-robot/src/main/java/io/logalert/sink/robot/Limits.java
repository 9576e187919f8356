package io.logalert.sink.robot;

import java.time.Duration;
import java.util.Objects;

/**
 * A platform's limits on one robot: what the sink's settings may be set to and what they default to.
 *
 * @param minBodyBytes      the smallest body limit a user may set (below it a digest's groups hardly fit)
 * @param maxBodyBytes      the platform's limit on one request body in bytes, for the message type in use; bodies
 *                          are kept below it, and it is the default
 * @param messagesPerMinute the platform's limit on messages per robot in any minute; the default and the maximum
 * @param blockPeriod       how long the platform blocks a robot that sent too fast; the sink leaves it alone as long
 * @param messagesPerSecond the platform's limit on messages per robot in any second (Feishu: 5), which the sink keeps
 *                          by waiting between messages; 0 when the platform has none
 */
public record Limits(int minBodyBytes, int maxBodyBytes, int messagesPerMinute, Duration blockPeriod,
        int messagesPerSecond) {

    /** Limits of a platform that counts messages by the minute only. */
    public Limits(int minBodyBytes, int maxBodyBytes, int messagesPerMinute, Duration blockPeriod) {
        this(minBodyBytes, maxBodyBytes, messagesPerMinute, blockPeriod, 0);
    }

    /** Checks the limits. */
    public Limits {
        if (minBodyBytes < 1 || maxBodyBytes < minBodyBytes) {
            throw new IllegalArgumentException("body limits must be 1 <= min <= max, were " + minBodyBytes + ", "
                    + maxBodyBytes);
        }
        if (messagesPerMinute < 1) {
            throw new IllegalArgumentException("messagesPerMinute must be positive, was " + messagesPerMinute);
        }
        Objects.requireNonNull(blockPeriod, "blockPeriod");
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("messagesPerSecond must not be negative, was " + messagesPerSecond);
        }
    }
}
