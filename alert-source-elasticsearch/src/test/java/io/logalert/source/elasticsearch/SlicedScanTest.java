package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.LogSourceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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
        // one page in hand, one waiting per place of the hand-over, one blocked on handing over per slice
        assertThat(mostAhead.get()).isLessThanOrEqualTo(2 * slices + 1);
    }

    @Test
    void aSliceWithoutDocumentsEndsWithoutHandingOverAnything() {
        List<String> seen = new ArrayList<>();

        scan(2).run((slice, slices, after) -> slice == 0 ? page(slice, after, 2, 3)
                : new SlicedScan.Page<>(List.of(), Optional.empty()), seen::add);

        assertThat(seen).containsExactlyInAnyOrder("0/0/0", "0/0/1", "0/0/2", "0/1/0", "0/1/1", "0/1/2");
    }

    private static List<String> liveSliceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(THREADS)).toList();
    }
}
