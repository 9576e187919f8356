package io.logalert.sink.dingtalk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The send budgets of robots, one per robot, shared by every sink in the JVM that targets it: DingTalk counts
 * 20 messages a minute per robot, whoever sends them, and blocks the robot for 10 minutes when they are exceeded.
 *
 * <p>Thread-safe.
 */
final class RobotBudgets {

    /** The length of the sliding window the budget is counted over. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private static final RobotBudgets SHARED = new RobotBudgets();

    private final ConcurrentMap<String, Budget> budgets = new ConcurrentHashMap<>();

    /** The registry every sink uses unless a test gives it its own. */
    static RobotBudgets shared() {
        return SHARED;
    }

    /** The budget of the robot identified by {@code key}. */
    Budget forRobot(String key) {
        return budgets.computeIfAbsent(key, k -> new Budget());
    }

    /**
     * The sends of one robot in the last minute and the end of its block, if it is blocked. Counting is a sliding
     * window, the strictest reading of "20 a minute": no 60 seconds ever hold more than the limit.
     */
    static final class Budget {

        private final List<Instant> sends = new ArrayList<>();
        private Instant blockedUntil = Instant.MIN;

        /** Takes one send slot at {@code now} if fewer than {@code limit} were taken in the last minute. */
        synchronized boolean tryAcquire(Instant now, int limit) {
            if (now.isBefore(blockedUntil)) {
                return false;
            }
            prune(now);
            if (sends.size() >= limit) {
                return false;
            }
            sends.add(now);
            return true;
        }

        /** How many sends {@code limit} still allows at {@code now}; zero while blocked. */
        synchronized int available(Instant now, int limit) {
            if (now.isBefore(blockedUntil)) {
                return 0;
            }
            prune(now);
            return Math.max(0, limit - sends.size());
        }

        /** The earliest instant at which {@code slots} sends fit under {@code limit} (never before {@code now}). */
        synchronized Instant freeAt(Instant now, int limit, int slots) {
            prune(now);
            Instant at = now;
            int mustExpire = sends.size() - (limit - Math.min(slots, limit));
            if (mustExpire > 0) {
                List<Instant> sorted = new ArrayList<>(sends);
                Collections.sort(sorted);
                at = sorted.get(mustExpire - 1).plus(WINDOW);
            }
            return blockedUntil.isAfter(at) ? blockedUntil : at;
        }

        /** Blocks the robot until {@code until}: nothing is sent to it before. */
        synchronized void block(Instant until) {
            if (until.isAfter(blockedUntil)) {
                blockedUntil = until;
            }
        }

        /** When the robot's block ends, if it is blocked at {@code now}. */
        synchronized Optional<Instant> blockedUntil(Instant now) {
            return now.isBefore(blockedUntil) ? Optional.of(blockedUntil) : Optional.empty();
        }

        private void prune(Instant now) {
            sends.removeIf(sent -> !sent.plus(WINDOW).isAfter(now));
        }
    }
}
