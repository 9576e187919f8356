package io.logalert.source.elasticsearch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the slices of one point in time on a few daemon threads and hands what they fetch to the calling thread,
 * one item at a time: the consumer (an aggregator, not thread-safe) never sees another thread. Each slice hands its
 * pages over through a place of its own, which the calling thread empties in a fixed round robin (slice 0's first
 * page, slice 1's first page, …, slice 0's second page, …; a slice that ended drops out): the consumer sees the same
 * items in the same order whichever fetch answers first, because an aggregator's result depends on that order (which
 * records overflow a limit, which become samples). Fetching stays parallel; the heap holds at most about two pages
 * per slice (one waiting, one being fetched) and the one being consumed, never the window.
 *
 * <p>The first slice to fail fails the whole scan with its own exception at once, whichever slice's turn it is,
 * after the other slices are cancelled: the caller never sees the end of a window that was not read completely. No
 * thread outlives {@link #run}.
 *
 * @param <T> what a page holds
 */
final class SlicedScan<T> {

    private static final Logger LOG = LoggerFactory.getLogger(SlicedScan.class);

    /**
     * One page of a slice and where the next one starts.
     *
     * @param items the page's items, in the order to hand them over
     * @param next  what to ask the next page of the slice after; empty when this page was the slice's last
     */
    record Page<T>(List<T> items, Optional<Object> next) {
        Page {
            items = List.copyOf(items);
            Objects.requireNonNull(next, "next");
        }
    }

    /** Fetches the pages of one slice. */
    interface Fetcher<T> {
        /**
         * The page of {@code slice} (of {@code slices}) that follows {@code after}, or its first page when empty.
         * Its thread is interrupted when the scan failed elsewhere; it may finish the page in flight first (a request
         * left running would keep using the point in time after the caller closes it), then throw
         * {@link InterruptedException}.
         */
        Page<T> page(int slice, int slices, Optional<Object> after) throws InterruptedException;
    }

    /** What a slice hands over: a page, its end, or (for the whole scan) the first failure. */
    private sealed interface Signal<T> permits Items, End, Failed {
    }

    private record Items<T>(List<T> items) implements Signal<T> {
    }

    private record End<T>() implements Signal<T> {
    }

    private record Failed<T>(Throwable cause) implements Signal<T> {
    }

    private final String threadName;
    private final int slices;
    private final Duration stopWait;
    private final Function<InterruptedException, RuntimeException> interrupted;

    /**
     * @param threadName  the name of the fetching threads, numbered from 0
     * @param slices      how many slices to read, each on its own thread
     * @param stopWait    how long to wait for cancelled fetches to stop before giving up on them (with a warning)
     * @param interrupted the exception that reports an interrupt: of the calling thread while it waited, or of a
     *                    fetching thread that the scan did not cancel
     */
    SlicedScan(String threadName, int slices, Duration stopWait,
            Function<InterruptedException, RuntimeException> interrupted) {
        if (slices < 1) {
            throw new IllegalArgumentException("slices must be at least 1, was " + slices);
        }
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.slices = slices;
        this.stopWait = Objects.requireNonNull(stopWait, "stopWait");
        this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
    }

    /**
     * Fetches every slice with {@code fetcher} and hands each item to {@code consumer} on the calling thread, the
     * slices' pages in round robin; returns when every slice was read to its end.
     *
     * @throws RuntimeException what a slice's fetch or the consumer threw (an {@link Error} as itself)
     */
    void run(Fetcher<T> fetcher, Consumer<? super T> consumer) {
        HandOver<T> handOver = new HandOver<>(slices);
        List<Thread> threads = new ArrayList<>(slices);
        try {
            for (int slice = 0; slice < slices; slice++) {
                int id = slice;
                Thread thread = new Thread(() -> fetch(id, fetcher, handOver), threadName + "-" + slice);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            Deque<Integer> turns = new ArrayDeque<>(slices);
            for (int slice = 0; slice < slices; slice++) {
                turns.addLast(slice);
            }
            while (!turns.isEmpty()) {
                int slice = turns.removeFirst();
                Signal<T> signal;
                try {
                    signal = handOver.take(slice);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw interrupted.apply(e);
                }
                if (signal instanceof Items<T> page) {
                    page.items().forEach(consumer);
                    turns.addLast(slice);
                } else if (signal instanceof Failed<T> failed) {
                    throw rethrow(failed.cause());
                }
            }
        } finally {
            // after a failure, or the consumer's, the other slices stop: the flag first, so that a fetcher that sees
            // the interrupt knows it is the cancellation; the interrupt frees a thread waiting to hand a page over and
            // ends a slice once its page in flight is answered
            handOver.cancel();
            threads.forEach(Thread::interrupt);
            awaitStop(threads);
        }
    }

    private void fetch(int slice, Fetcher<T> fetcher, HandOver<T> handOver) {
        try {
            Optional<Object> after = Optional.empty();
            do {
                if (handOver.cancelled()) {
                    return;
                }
                Page<T> page = fetcher.page(slice, slices, after);
                if (!page.items().isEmpty()) {
                    handOver.put(slice, new Items<>(page.items()));
                }
                after = page.next();
            } while (after.isPresent());
            handOver.put(slice, new End<>());
        } catch (Throwable e) {
            // once cancelled, nobody waits for this slice, and what ends it (the interrupt, a page refused after the
            // point in time closed) is no news; before that, the calling thread waits for this slice's next page, so
            // anything that ends it, even an interrupt from elsewhere, must fail the scan or the scan never returns
            if (!handOver.cancelled()) {
                handOver.fail(e);
            }
        }
    }

    private void awaitStop(List<Thread> threads) {
        long deadline = System.nanoTime() + stopWait.toNanos();
        boolean wasInterrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("{}: still fetching {} after it was cancelled; the daemon thread ends with its request",
                            thread.getName(), stopWait);
                    break;
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    // the threads are told to stop already: finish waiting for them, then keep the interrupt
                    wasInterrupted = true;
                }
            }
        }
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private RuntimeException rethrow(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof InterruptedException interrupt) {
            return interrupted.apply(interrupt);
        }
        return new IllegalStateException("a slice failed: " + cause, cause);
    }

    /**
     * One place per slice, filled by its fetcher and emptied by the calling thread, and the scan's first failure,
     * which the calling thread sees whichever slice it waits for.
     */
    private static final class HandOver<T> {
        private final ReentrantLock lock = new ReentrantLock();
        /** Signalled when a place is filled or a slice failed; only the calling thread waits on it. */
        private final Condition filled = lock.newCondition();
        /** Per slice, signalled when its place is emptied; only that slice's fetcher waits on it. */
        private final Condition[] emptied;
        private final List<Signal<T>> places;
        private Failed<T> failure;
        private volatile boolean cancelled;

        HandOver(int slices) {
            emptied = new Condition[slices];
            places = new ArrayList<>(slices);
            for (int slice = 0; slice < slices; slice++) {
                emptied[slice] = lock.newCondition();
                places.add(null);
            }
        }

        /** Waits until {@code slice}'s place is free, then fills it. */
        void put(int slice, Signal<T> signal) throws InterruptedException {
            lock.lock();
            try {
                while (places.get(slice) != null) {
                    emptied[slice].await();
                }
                places.set(slice, signal);
                filled.signal();
            } finally {
                lock.unlock();
            }
        }

        /** Keeps the first failure of the scan; never waits, so that a failing slice never blocks. */
        void fail(Throwable cause) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = new Failed<>(cause);
                }
                filled.signal();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits for what {@code slice} hands over next, or for the first failure of any slice. An interrupted caller
         * stops here even when the page is waiting already, so that it stops within a page.
         */
        Signal<T> take(int slice) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (failure == null && places.get(slice) == null) {
                    filled.await();
                }
                if (failure != null) {
                    return failure;
                }
                Signal<T> signal = places.set(slice, null);
                emptied[slice].signal();
                return signal;
            } finally {
                lock.unlock();
            }
        }

        void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled;
        }
    }
}
