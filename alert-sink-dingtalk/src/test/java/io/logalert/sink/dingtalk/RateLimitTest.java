package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.DeliveryResult.Status;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.testing.ManualClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
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
    void sinksReachingOneRobotThroughDifferentlySpeltUrlsShareOneBudget() {
        int port = robot.baseUrl().getPort();
        // one token, three spellings of the way to its robot: the webhook as shown; a base URL with the scheme in
        // capitals and a trailing slash; a gateway host (the emulator stands in for a proxy in front of it)
        List<DingTalkSink> sinks = List.of(
                sink().build(),
                DingTalkSink.builder().baseUrl(URI.create("HTTP://127.0.0.1:" + port + "/"))
                        .accessToken(robot.accessToken()).keywords(List.of("alert")).clock(clock)
                        .sleeper(new RecordingSleeper(clock)).build(),
                sink().webhook("http://gateway.invalid/robot/send?access_token=" + robot.accessToken())
                        .proxy(InetSocketAddress.createUnresolved("127.0.0.1", port)).build());
        List<List<Digest>> pending = new ArrayList<>();
        for (int s = 0; s < sinks.size(); s++) {
            int sink = s;
            pending.add(new ArrayList<>(IntStream.range(0, 15)
                    .mapToObj(i -> Digests.of("sink" + sink + "-p" + i, 20, 900)).toList()));
        }

        for (int run = 0; run < 20 && pending.stream().anyMatch(p -> !p.isEmpty()); run++) {
            for (int s = 0; s < sinks.size(); s++) {
                List<Digest> next = new ArrayList<>();
                for (DeliveryResult result : sinks.get(s).deliver(pending.get(s))) {
                    if (!result.isDelivered()) {
                        assertThat(result.status()).isEqualTo(Status.RETRY_LATER);
                        next.add(result.digest());
                    }
                }
                pending.set(s, next);
            }
            clock.advance(Duration.ofSeconds(20));
        }

        assertThat(robot.answered(ErrorCodes.THROTTLED)).isZero();
        assertNoMinuteHoldsMoreThan(20);
        assertThat(pending).extracting(List::size).containsOnly(0);
    }

    @Test
    void aSlowRequestCountsFromWhenItReachesTheRobot() {
        // the robot's clock jumps when a request reaches it, on the emulator's thread: the request was in transit
        AtomicReference<Duration> transit = new AtomicReference<>(Duration.ZERO);
        Clock robotClock = new Clock() {
            @Override
            public Instant instant() {
                Duration elapsed = transit.getAndSet(Duration.ZERO);
                return elapsed.isZero() ? clock.instant() : clock.advance(elapsed).instant();
            }

            @Override
            public ZoneId getZone() {
                return clock.getZone();
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        try (DingTalkEmulator slow = DingTalkEmulator.builder().accessToken(UUID.randomUUID().toString())
                .keywords("alert").clock(robotClock).start()) {
            DingTalkSink sink = sink().webhook(slow.url()).budgets(new RateBudgets()).build();
            Instant sent = clock.instant();

            transit.set(Duration.ofSeconds(10));
            assertThat(sink.deliver(List.of(Digests.of("slow", 1))))
                    .allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
            assertThat(slow.accepted()).singleElement()
                    .satisfies(m -> assertThat(m.receivedAt()).isEqualTo(sent.plusSeconds(10)));
            assertThat(sink.deliver(IntStream.range(0, 19).mapToObj(i -> Digests.of("p" + i, 1)).toList()))
                    .allSatisfy(r -> assertThat(r.isDelivered()).isTrue());

            // a minute after the first request was sent, but not after it arrived
            clock.set(sent.plusSeconds(60));
            List<DeliveryResult> results = sink.deliver(List.of(Digests.of("late", 1)));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
                assertThat(r.retryAfter()).contains(sent.plusSeconds(70));
            });
            assertThat(slow.exchanges()).hasSize(20);
            clock.set(sent.plusSeconds(70));
            assertThat(sink.deliver(List.of(Digests.of("late", 1))))
                    .allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
            assertThat(slow.answered(ErrorCodes.THROTTLED)).isZero();
        }
    }

    @Test
    void concurrentPipelinesNeverExceedTheBudgetTogether() throws Exception {
        ExecutorService pipelines = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<DeliveryResult>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                DingTalkSink sink = sink().build();
                int id = t;
                runs.add(pipelines.submit(() -> sink.deliver(IntStream.range(0, 10)
                        .mapToObj(i -> Digests.of("t" + id + "-" + i, 20, 900)).toList())));
            }
            // get() rethrows what a run threw: a run that failed must not pass for one that stayed in budget
            for (Future<List<DeliveryResult>> run : runs) {
                assertThat(run.get()).hasSize(10);
            }
        } finally {
            pipelines.shutdownNow();
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
