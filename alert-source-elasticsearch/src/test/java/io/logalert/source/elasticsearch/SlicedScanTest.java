package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.LogSourceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// a scan that waits for a slice that will never hand anything over fails here instead of hanging the build
@Timeout(60)
class SlicedScanTest {

    private static final String THREADS = "slice-test";

    private static SlicedScan<String> scan(int slices) {
        return new SlicedScan<>(THREADS + "-" + slices, slices, Duration.ofSeconds(10),
                e -> new IllegalStateException("interrupted", e));
    }

    /** {@code pages} pages of {@code size} items per slice, named slice/page/item. */
    private static SlicedScan.Page<String> page(int slice, Optional<Object> after, int pages, int size) {
        int number = (Integer) after.orElse(0);
        List<String> items = IntStream.range(0, size).mapToObj(i -> slice + "/" + number + "/" + i).toList();
        return new SlicedScan.Page<>(items, number + 1 < pages ? Optional.of(number + 1) : Optional.empty());
    }

    @Test
    void everyItemOfEverySliceReachesTheConsumerOnceOnTheCallingThread() {
        List<String> seen = new ArrayList<>();
        Set<Thread> consumers = ConcurrentHashMap.newKeySet();
        Set<String> fetchers = ConcurrentHashMap.newKeySet();

        scan(3).run((slice, slices, after) -> {
            fetchers.add(Thread.currentThread().getName());
            assertThat(slices).isEqualTo(3);
            return page(slice, after, 5, 10);
        }, item -> {
            consumers.add(Thread.currentThread());
            seen.add(item);
        });

        assertThat(seen).hasSize(3 * 5 * 10).doesNotHaveDuplicates();
        assertThat(consumers).containsExactly(Thread.currentThread());
        assertThat(fetchers).containsExactlyInAnyOrder(THREADS + "-3-0", THREADS + "-3-1", THREADS + "-3-2");
        assertThat(liveSliceThreads()).isEmpty();
    }

    @Test
    void theConsumerTakesThePagesInRoundRobinWhicheverFetchAnswersFirst() {
        // pages per slice; slice 3 holds no document, slice 1 ends after one page
        int[] pages = {3, 1, 4, 0, 2};
        List<String> roundRobin = new ArrayList<>();
        for (int number = 0; number < 4; number++) {
            for (int slice = 0; slice < pages.length; slice++) {
                if (number < pages[slice]) {
                    roundRobin.add(slice + "/" + number + "/0");
                    roundRobin.add(slice + "/" + number + "/1");
                }
            }
        }

        for (long seed = 0; seed < 20; seed++) {
            assertThat(readAnsweringInShuffledOrder(pages, new Random(seed))).as("answer order of seed %d", seed)
                    .isEqualTo(roundRobin);
        }
        assertThat(liveSliceThreads()).isEmpty();
    }

    /**
     * Reads {@code pages} pages of two items per slice while the fetches of each page number answer in an order
     * drawn from {@code random}: a fetch returns only after those drawn before it returned. That needs every slice of
     * a page number fetching at the same time, so a scan that fetched one slice at a time would never end.
     */
    private static List<String> readAnsweringInShuffledOrder(int[] pages, Random random) {
        int numbers = Arrays.stream(pages).map(p -> Math.max(1, p)).max().orElseThrow();
        List<List<Integer>> answerOrders = new ArrayList<>();
        CountDownLatch[][] answered = new CountDownLatch[pages.length][numbers];
        for (int number = 0; number < numbers; number++) {
            int fetched = number;
            List<Integer> order = new ArrayList<>(IntStream.range(0, pages.length)
                    .filter(slice -> fetched < Math.max(1, pages[slice])).boxed().toList());
            Collections.shuffle(order, random);
            answerOrders.add(order);
            order.forEach(slice -> answered[slice][fetched] = new CountDownLatch(1));
        }
        List<String> seen = new ArrayList<>();
        scan(pages.length).run((slice, slices, after) -> {
            int number = (Integer) after.orElse(0);
            List<Integer> order = answerOrders.get(number);
            for (int earlier : order.subList(0, order.indexOf(slice))) {
                answered[earlier][number].await();
            }
            answered[slice][number].countDown();
            return pages[slice] == 0 ? new SlicedScan.Page<>(List.of(), Optional.empty())
                    : page(slice, after, pages[slice], 2);
        }, seen::add);
        return seen;
    }

    @Test
    void aFailingSliceFailsTheScanWithItsExceptionAndCancelsTheOthers() {
        LogSourceException failure = new LogSourceException("elasticsearch[test]", "a shard failed");
        CountDownLatch waiting = new CountDownLatch(2);
        CountDownLatch cancelled = new CountDownLatch(2);
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> scan(3).run((slice, slices, after) -> {
            if (after.isEmpty()) {
                return page(slice, after, 10, 2);
            }
            if (slice == 0) {
                // fail only once the other two are in the middle of a fetch, so that they must be cancelled
                waiting.await();
                throw failure;
            }
            waiting.countDown();
            try {
                // the other slices would go on for ever: only the cancellation ends them
                new CountDownLatch(1).await();
                throw new AssertionError("not cancelled");
            } finally {
                cancelled.countDown();
            }
        }, seen::add)).isSameAs(failure);

        assertThat(cancelled.getCount()).isZero();
        assertThat(liveSliceThreads()).isEmpty();
        // what was handed over before the failure is at most the first pages; the caller learns the read failed
        assertThat(seen.size()).isLessThanOrEqualTo(3 * 2);
    }

    @Test
    void aSliceInterruptedWithoutCancellationFailsTheScanInsteadOfLeavingItWaiting() {
        AtomicReference<Thread> second = new AtomicReference<>();
        CountDownLatch fetchingSecondPage = new CountDownLatch(1);

        assertThatThrownBy(() -> scan(2).run((slice, slices, after) -> {
            if (slice == 1 && after.isPresent()) {
                second.set(Thread.currentThread());
                fetchingSecondPage.countDown();
                // a fetch that only an interrupt ends, and the scan has not cancelled it
                new CountDownLatch(1).await();
                throw new AssertionError("not interrupted");
            }
            return page(slice, after, 3, 2);
        }, item -> {
            if (item.equals("1/0/0")) {
                try {
                    fetchingSecondPage.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                second.get().interrupt();
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("interrupted")
                .hasCauseInstanceOf(InterruptedException.class);

        assertThat(Thread.currentThread().isInterrupted()).as("the calling thread was not interrupted").isFalse();
        assertThat(liveSliceThreads()).isEmpty();
    }

    @Test
    void anInterruptedCallerStopsEverySliceAndKeepsItsInterrupt() {
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> scan(3).run((slice, slices, after) -> {
            if (after.isPresent()) {
                // the second pages never come: only the cancellation ends these fetches
                new CountDownLatch(1).await();
            }
            return page(slice, after, 2, 2);
        }, item -> {
            seen.add(item);
            Thread.currentThread().interrupt();
        })).isInstanceOf(IllegalStateException.class).hasMessage("interrupted");

        assertThat(Thread.interrupted()).isTrue();
        assertThat(liveSliceThreads()).isEmpty();
        // the caller stops at the end of the page in hand, even though the next one is waiting already
        assertThat(seen).containsExactly("0/0/0", "0/0/1");
    }

    @Test
    void aFailingConsumerStopsEverySlice() {
        AtomicInteger fetched = new AtomicInteger();

        assertThatThrownBy(() -> scan(4).run((slice, slices, after) -> {
            fetched.incrementAndGet();
            return page(slice, after, 1_000, 5);
        }, item -> {
            throw new IllegalStateException("consumer failed");
        })).hasMessage("consumer failed");

        assertThat(liveSliceThreads()).isEmpty();
        // the slices stopped near where the consumer failed instead of reading their 4,000 pages
        assertThat(fetched.get()).isLessThanOrEqualTo(3 * 4 + 1);
    }

    @Test
    void pagesWaitingForTheConsumerStayBoundedBySlicesNotByTheWindow() {
        int slices = 4;
        AtomicInteger fetched = new AtomicInteger();
        AtomicInteger consumedPages = new AtomicInteger();
        AtomicInteger mostAhead = new AtomicInteger();

        scan(slices).run((slice, of, after) -> {
            fetched.incrementAndGet();
            return page(slice, after, 200, 1);
        }, item -> {
            mostAhead.accumulateAndGet(fetched.get() - consumedPages.get(), Math::max);
            consumedPages.incrementAndGet();
        });

        assertThat(consumedPages.get()).isEqualTo(slices * 200);
        // per slice one page waiting in its place and one blocked on handing over, and the page in hand
        assertThat(mostAhead.get()).isLessThanOrEqualTo(2 * slices + 1);
    }

    @Test
    void aSliceWithoutDocumentsEndsWithoutHandingOverAnything() {
        List<String> seen = new ArrayList<>();

        scan(2).run((slice, slices, after) -> slice == 0 ? page(slice, after, 2, 3)
                : new SlicedScan.Page<>(List.of(), Optional.empty()), seen::add);

        assertThat(seen).containsExactly("0/0/0", "0/0/1", "0/0/2", "0/1/0", "0/1/1", "0/1/2");
    }

    private static List<String> liveSliceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(THREADS)).toList();
    }
}
