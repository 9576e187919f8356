package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.DeliveryResult.Status;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:05:00Z"));
    // a fresh token per test: the JVM-wide budget is keyed by robot
    private final DingTalkEmulator robot = DingTalkEmulator.builder()
            .accessToken(UUID.randomUUID().toString()).keywords("alert").clock(clock).start();

    @AfterEach
    void stop() {
        robot.close();
    }

    private DingTalkSink.Builder sink() {
        return DingTalkSink.builder().webhook(robot.url()).keywords(List.of("alert")).clock(clock)
                .sleeper(new RecordingSleeper(clock));
    }

    @Test
    void aBurstOf200DigestsNeverTripsTheLimitAndDeliversEveryGroup() {
        List<Digest> pending = new ArrayList<>(IntStream.range(0, 200)
                .mapToObj(i -> Digests.of("service-" + i, 1 + i % 7, 80 + (i % 5) * 60)).toList());
        List<Digest> all = List.copyOf(pending);
        DingTalkSink sink = sink().build();

        int runs = 0;
        while (!pending.isEmpty() && runs < 30) {
            runs++;
            List<Digest> next = new ArrayList<>();
            for (DeliveryResult result : sink.deliver(pending)) {
                if (!result.isDelivered()) {
                    assertThat(result.status()).isEqualTo(Status.RETRY_LATER);
                    next.add(result.digest());
                }
            }
            pending = next;
            clock.advance(Duration.ofSeconds(20)); // the pipeline runs every 20 seconds
        }

        assertThat(pending).isEmpty();
        assertThat(robot.answered(ErrorCodes.THROTTLED)).isZero();
        assertNoMinuteHoldsMoreThan(20);
        String delivered = String.join("\n", robot.accepted().stream().map(DingTalkEmulator.Accepted::text).toList());
        for (Digest digest : all) {
            for (ErrorGroup group : digest.groups()) {
                assertThat(delivered).contains("failure " + group.key() + " ");
            }
        }
    }

    @Test
    void digestsBeyondTheBudgetArePackedNotHeldBack() {
        List<Digest> digests = IntStream.range(0, 30).mapToObj(i -> Digests.of("p" + i, 2)).toList();

        List<DeliveryResult> results = sink().build().deliver(digests);

        assertThat(results).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted()).hasSizeLessThanOrEqualTo(20);
        assertThat(robot.accepted().get(0).text()).contains("##### p0", "##### p1");
    }

    @Test
    void whatTheBudgetCannotCarryIsRetryLaterWhenTheBudgetFrees() {
        List<Digest> digests = IntStream.range(0, 20).mapToObj(i -> Digests.of("p" + i, 20, 900)).toList();
        Instant start = clock.instant();

        List<DeliveryResult> results = sink().messagesPerMinute(3).build().deliver(digests);

        assertThat(robot.exchanges()).hasSize(3);
        assertThat(results).filteredOn(DeliveryResult::isDelivered).isNotEmpty();
        assertThat(results).filteredOn(r -> !r.isDelivered()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.retryAfter()).contains(start.plus(Duration.ofMinutes(1)));
        });
    }

    @Test
    void sinksTargetingTheSameRobotShareOneBudgetAcrossTheJvm() {
        DingTalkSink first = sink().build();
        DingTalkSink second = sink().build();
        List<Digest> twenty = IntStream.range(0, 20).mapToObj(i -> Digests.of("a" + i, 1)).toList();

        assertThat(first.deliver(twenty)).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
        clock.advance(Duration.ofSeconds(30));
        List<DeliveryResult> results = second.deliver(List.of(Digests.of("b", 1)));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.retryAfter()).contains(clock.instant().plusSeconds(30));
        });
        assertThat(robot.exchanges()).hasSize(20);

        clock.advance(Duration.ofSeconds(30));
        assertThat(second.deliver(List.of(Digests.of("b", 1)))).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
    }

    @Test
    void concurrentPipelinesNeverExceedTheBudgetTogether() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            DingTalkSink sink = sink().build();
            int id = t;
            threads.add(new Thread(() -> sink.deliver(IntStream.range(0, 10)
                    .mapToObj(i -> Digests.of("t" + id + "-" + i, 20, 900)).toList())));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(robot.exchanges()).hasSizeLessThanOrEqualTo(20);
        assertThat(robot.answered(ErrorCodes.THROTTLED)).isZero();
    }

    private void assertNoMinuteHoldsMoreThan(int limit) {
        List<Instant> times = robot.exchanges().stream().map(DingTalkEmulator.Exchange::receivedAt).toList();
        for (Instant start : times) {
            long inMinute = times.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(60)))
                    .count();
            assertThat(inMinute).isLessThanOrEqualTo(limit);
        }
    }
}
