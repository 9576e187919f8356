package io.logalert.sink.robot;

import java.time.Duration;

/**
 * Waits between retry attempts. A robot sink waits through a sleeper rather than {@link Thread#sleep} so that tests
 * can record the waits (and move a test clock) instead of spending wall-clock time.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /** A sleeper that blocks the calling thread with {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
