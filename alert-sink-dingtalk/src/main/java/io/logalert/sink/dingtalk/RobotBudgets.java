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
     *
     * <p>The robot counts a request when it <em>arrives</em>, which can be well after the sink sent it. So a slot
     * is taken when a request starts and counts, whatever its age, while the request is in flight; when the attempt
     * ends it is {@linkplain #settle settled} at an instant no earlier than the arrival: the instant the reply came
     * (the robot counted the request before it answered), or, without a reply, the later of the instant the sink
     * gave up and the start plus the request timeout.
     *
     * <p>Why that is safe: suppose 21 requests arrived within some 60 s {@code [t, t+60s)}, and let {@code k} be the
     * last of them to take a slot, at {@code s}; {@code s <= arrival(k) < t+60s}, so {@code t > s-60s}. Each of the
     * other 20 took its slot at or before {@code s}, and at {@code s} was either in flight (counted) or settled at
     * an instant {@code >= } its arrival {@code >= t > s-60s} (counted): {@code k} met 20 counted slots and could
     * not have taken one. It rests only on "a request arrives before its reply". Stamping the send instant, as the
     * robot does not, would let a slow request land inside the next minute's count; a window of 60 s plus a margin
     * would rest on a guess of how slow a request can be and cost throughput for good. What no client can see is a
     * request that reaches the robot after the sink gave up on it (held in a proxy, say): the request timeout is
     * the margin allowed for that.
     */
    static final class Budget {

        private final List<Slot> sends = new ArrayList<>();
        private Instant blockedUntil = Instant.MIN;

        /**
         * Takes one send slot at {@code now} if fewer than {@code limit} are counted in the last minute; the caller
         * must {@link #settle} it when the attempt ends.
         */
        synchronized Optional<Slot> tryAcquire(Instant now, int limit) {
            if (now.isBefore(blockedUntil)) {
                return Optional.empty();
            }
            prune(now);
            if (sends.size() >= limit) {
                return Optional.empty();
            }
            Slot slot = new Slot(now);
            sends.add(slot);
            return Optional.of(slot);
        }

        /**
         * Ends the flight of {@code slot}: it counts from then on as a send at {@code arrivedBy} (an instant at or
         * after the request reached the robot; never earlier than the slot's start).
         */
        synchronized void settle(Slot slot, Instant arrivedBy) {
            if (arrivedBy.isAfter(slot.at)) {
                slot.at = arrivedBy;
            }
            slot.inFlight = false;
        }

        /** How many sends {@code limit} still allows at {@code now}; zero while blocked. */
        synchronized int available(Instant now, int limit) {
            if (now.isBefore(blockedUntil)) {
                return 0;
            }
            prune(now);
            return Math.max(0, limit - sends.size());
        }

        /**
         * The earliest instant at which {@code slots} sends fit under {@code limit} (never before {@code now}). A
         * request still in flight is taken to arrive now: an estimate, which the next call checks again.
         */
        synchronized Instant freeAt(Instant now, int limit, int slots) {
            prune(now);
            Instant at = now;
            int mustExpire = sends.size() - (limit - Math.min(slots, limit));
            if (mustExpire > 0) {
                List<Instant> sorted = new ArrayList<>();
                for (Slot slot : sends) {
                    sorted.add(slot.inFlight && slot.at.isBefore(now) ? now : slot.at);
                }
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
            sends.removeIf(sent -> !sent.inFlight && !sent.at.plus(WINDOW).isAfter(now));
        }
    }

    /** One send counted by a {@link Budget}; guarded by the budget's lock. */
    static final class Slot {

        private Instant at;
        private boolean inFlight = true;

        private Slot(Instant at) {
            this.at = at;
        }
    }
}
