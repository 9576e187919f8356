package io.logalert.source.elasticsearch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the slices of one point in time on a few daemon threads and hands what they fetch to the calling thread,
 * one item at a time: the consumer (an aggregator, not thread-safe) never sees another thread. Pages wait in a
 * hand-over of {@code slices} places, so the heap holds at most about two pages per slice (one waiting, one being
 * fetched), never the window.
 *
 * <p>The first slice to fail fails the whole scan with its own exception, after the other slices are cancelled:
 * the caller never sees the end of a window that was not read completely. No thread outlives {@link #run}.
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

    /** What the hand-over carries besides pages: the end of a slice, or its failure. */
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
     * @param interrupted the exception that reports the calling thread interrupted while it waited
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
     * Fetches every slice with {@code fetcher} and hands each item to {@code consumer} on the calling thread; returns
     * when every slice was read to its end.
     *
     * @throws RuntimeException what a slice's fetch or the consumer threw (an {@link Error} as itself)
     */
    void run(Fetcher<T> fetcher, Consumer<? super T> consumer) {
        BlockingQueue<Signal<T>> handOver = new ArrayBlockingQueue<>(slices);
        List<Thread> threads = new ArrayList<>(slices);
        try {
            for (int slice = 0; slice < slices; slice++) {
                int id = slice;
                Thread thread = new Thread(() -> fetch(id, fetcher, handOver), threadName + "-" + slice);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            int running = slices;
            while (running > 0) {
                Signal<T> signal;
                try {
                    signal = handOver.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw interrupted.apply(e);
                }
                if (signal instanceof Items<T> page) {
                    page.items().forEach(consumer);
                } else if (signal instanceof Failed<T> failed) {
                    throw rethrow(failed.cause());
                } else {
                    running--;
                }
            }
        } finally {
            // after a failure, or the consumer's, the other slices stop: an interrupt frees a thread waiting to hand
            // a page over and ends a slice once its page in flight is answered
            threads.forEach(Thread::interrupt);
            awaitStop(threads);
        }
    }

    private void fetch(int slice, Fetcher<T> fetcher, BlockingQueue<Signal<T>> handOver) {
        try {
            Optional<Object> after = Optional.empty();
            do {
                Page<T> page = fetcher.page(slice, slices, after);
                if (!page.items().isEmpty()) {
                    handOver.put(new Items<>(page.items()));
                }
                after = page.next();
            } while (after.isPresent());
            handOver.put(new End<>());
        } catch (InterruptedException e) {
            // cancelled: the scan has failed already, nobody waits for this slice
        } catch (Throwable e) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                handOver.put(new Failed<>(e));
            } catch (InterruptedException cancelled) {
                // cancelled while reporting: another failure came first
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

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("a slice failed: " + cause, cause);
    }
}
