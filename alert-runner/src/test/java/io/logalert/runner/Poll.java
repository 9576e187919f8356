package io.logalert.runner;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition another thread or process brings about, checking it every few milliseconds. */
final class Poll {

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError with {@code what} and {@code state} when {@code timeout} passes first
     */
    static void until(BooleanSupplier condition, Duration timeout, String what, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what + "\n" + state.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
