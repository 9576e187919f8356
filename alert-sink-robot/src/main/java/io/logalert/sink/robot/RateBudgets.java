package io.logalert.sink.robot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The send budgets of robots, one per robot, shared by every sink in the JVM that targets it: a platform counts its
 * messages a minute per robot, whoever sends them (DingTalk 20, WeCom 20), and blocks a robot that exceeds them.
 * Robots are known by a key the platform derives from the robot's identity (a hash of its token), prefixed with the
 * platform's type, never by the spelling of its URL.
 *
 * <p>Open for a subclass only so that a sink module can keep a name of its own for it; it adds nothing.
 * Thread-safe.
 */
public class RateBudgets {

    /** The length of the sliding window the budget is counted over. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private static final RateBudgets SHARED = new RateBudgets();
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final ConcurrentMap<String, Budget> budgets = new ConcurrentHashMap<>();

    /** A registry of its own, for tests and for sinks that must not share budgets with the rest of the JVM. */
    public RateBudgets() {
    }

    /** The registry every sink uses unless it is given its own. */
    public static RateBudgets shared() {
        return SHARED;
    }

    /** The budget of the robot identified by {@code key}. */
    public Budget forRobot(String key) {
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
    public static final class Budget {

        private final List<Slot> sends = new ArrayList<>();
        private Instant blockedUntil = Instant.MIN;

        private Budget() {
        }

        /**
         * Takes one send slot at {@code now} if fewer than {@code limit} are counted in the last minute; the caller
         * must {@link #settle} it when the attempt ends.
         */
        public synchronized Optional<Slot> tryAcquire(Instant now, int limit) {
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
         * Takes one send slot at {@code now} if fewer than {@code limit} are counted in the last minute and, when
         * {@code perSecond} is positive, fewer than {@code perSecond} in the last second; the caller must
         * {@link #settle} it when the attempt ends.
         */
        public synchronized Optional<Slot> tryAcquire(Instant now, int limit, int perSecond) {
            if (perSecond > 0 && burstFreeAt(now, perSecond).isAfter(now)) {
                return Optional.empty();
            }
            return tryAcquire(now, limit);
        }

        /**
         * The earliest instant, never before {@code now}, at which fewer than {@code perSecond} sends are counted in
         * the second before it. Slots are counted as in the minute's window: a request in flight as arriving now.
         */
        public synchronized Instant burstFreeAt(Instant now, int perSecond) {
            List<Instant> recent = new ArrayList<>();
            for (Slot slot : sends) {
                Instant at = slot.inFlight && slot.at.isBefore(now) ? now : slot.at;
                if (at.plus(SECOND).isAfter(now)) {
                    recent.add(at);
                }
            }
            if (recent.size() < perSecond) {
                return now;
            }
            Collections.sort(recent);
            return recent.get(recent.size() - perSecond).plus(SECOND);
        }

        /**
         * Ends the flight of {@code slot}: it counts from then on as a send at {@code arrivedBy} (an instant at or
         * after the request reached the robot; never earlier than the slot's start).
         */
        public synchronized void settle(Slot slot, Instant arrivedBy) {
            if (arrivedBy.isAfter(slot.at)) {
                slot.at = arrivedBy;
            }
            slot.inFlight = false;
        }

        /** How many sends {@code limit} still allows at {@code now}; zero while blocked. */
        public synchronized int available(Instant now, int limit) {
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
        public synchronized Instant freeAt(Instant now, int limit, int slots) {
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
        public synchronized void block(Instant until) {
            if (until.isAfter(blockedUntil)) {
                blockedUntil = until;
            }
        }

        /** When the robot's block ends, if it is blocked at {@code now}. */
        public synchronized Optional<Instant> blockedUntil(Instant now) {
            return now.isBefore(blockedUntil) ? Optional.of(blockedUntil) : Optional.empty();
        }

        private void prune(Instant now) {
            sends.removeIf(sent -> !sent.inFlight && !sent.at.plus(WINDOW).isAfter(now));
        }
    }

    /** One send counted by a {@link Budget}; guarded by the budget's lock. */
    public static final class Slot {

        private Instant at;
        private boolean inFlight = true;

        private Slot(Instant at) {
            this.at = at;
        }
    }
}
