package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.Realert;
import io.logalert.RunReport;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.sink.robot.RobotEmulator.Fault;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The robot fails for ten minutes of its clock (system busy, HTTP 5xx, replies held past the request timeout, a
 * throttle) while a pipeline goes on running every minute through the real sink. Counted at the robot: once it
 * recovers every digest reaches the group, none twice but those a timed-out request carried, and no 60 seconds ever
 * hold more than 20 requests.
 */
class DingTalkOutageTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final int PROJECTS = 8;
    // minutes that log errors: before, during and after the outage
    private static final int MINUTES = 20;
    private static final Duration OUTAGE = Duration.ofMinutes(10);

    // a run at START + 30 s reads up to START: the errors start with the second run
    private final ManualClock clock = new ManualClock(START.plusSeconds(30));
    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(UUID.randomUUID().toString())
            .keywords("alert").clock(clock).start();

    @AfterEach
    void stop() {
        robot.close();
    }

    @Test
    void afterTenMinutesOfFailuresEveryDigestArrivesOnceButForTimeoutsWithinTheRateLimit() {
        InMemoryLogSource source = new InMemoryLogSource();
        for (int minute = 0; minute < MINUTES; minute++) {
            for (int project = 0; project < PROJECTS; project++) {
                source.add(LogEvent.of(START.plusSeconds(60L * minute + 7L * project + 1), "p" + project,
                        marker(minute, project)));
            }
        }
        DingTalkSink sink = DingTalkSink.builder().webhook(robot.url()).keywords(List.of("alert")).clock(clock)
                .sleeper(new RecordingSleeper(clock)).random(new SplittableRandom(11)).budgets(new RateBudgets())
                // the robot holds a slow reply for 3 s of real time; the sink waits 1 s of it
                .requestTimeout(Duration.ofSeconds(1)).timeZone(ZoneOffset.UTC).build();
        List<RunReport> reports = new ArrayList<>();
        Instant outageEnds = null;
        try (AlertPipeline pipeline = AlertPipeline.builder().id("outage").source(source).addSink(sink)
                .clock(clock).interval(Duration.ofMinutes(1)).realert(Realert.NONE).build()) {
            for (int run = 0; run < 60; run++) {
                if (run == 3) {
                    // every request of the next ten minutes meets the next of these faults; the throttle comes
                    // last, after the timeouts have hit packs of the digests that piled up
                    outageEnds = clock.instant().plus(OUTAGE);
                    Duration slow = Duration.ofSeconds(3);
                    robot.failUntil(outageEnds, Fault.errcode(ErrorCodes.BUSY), Fault.httpError(503),
                            Fault.errcode(ErrorCodes.BUSY), Fault.httpError(502), Fault.errcode(ErrorCodes.BUSY),
                            Fault.httpError(503), Fault.slowReply(slow), Fault.errcode(ErrorCodes.BUSY),
                            Fault.httpError(503), Fault.httpError(502), Fault.slowReply(slow),
                            Fault.errcode(ErrorCodes.THROTTLED));
                }
                RunReport report = pipeline.runOnce();
                reports.add(report);
                assertThat(report.failure()).isEmpty();
                if (run > MINUTES && report.pending() == 0) {
                    break;
                }
                clock.advance(Duration.ofMinutes(1));
            }
        }
        RunReport last = reports.get(reports.size() - 1);
        List<Digest> digests = reports.stream().flatMap(r -> r.digests().stream()).toList();
        List<DingTalkEmulator.Accepted> accepted = robot.accepted();
        List<DingTalkEmulator.Exchange> exchanges = robot.exchanges();

        // the outage happened as meant: each kind of fault was met, and timed-out requests reached the robot
        assertThat(exchanges).anySatisfy(e -> assertThat(e.errcode()).contains(ErrorCodes.BUSY))
                .anySatisfy(e -> assertThat(e.httpStatus()).isBetween(500, 599))
                .anySatisfy(e -> assertThat(e.errcode()).contains(ErrorCodes.THROTTLED));
        List<DingTalkEmulator.Accepted> timedOut = accepted.stream().filter(m -> !m.replyDelay().isZero())
                .toList();
        assertThat(timedOut).hasSizeGreaterThanOrEqualTo(2);
        assertThat(timedOut).as("a timeout hit a packed message")
                .anySatisfy(m -> assertThat(carried(m, digests)).hasSizeGreaterThan(1));

        // every record counted once, and every digest delivered: the pipeline owes nothing
        assertThat(digests.stream().mapToLong(Digest::totalEvents).sum()).isEqualTo((long) MINUTES * PROJECTS);
        assertThat(last.pending()).isZero();
        assertThat(last.expired()).isEmpty();
        // ... as counted at the robot: each digest shown once, and once more for each request that carried it and
        // got no reply in time (as the sink answered it: the injected slow replies, and any request a busy machine
        // made slower than the timeout)
        for (Digest digest : digests) {
            long shown = accepted.stream().filter(m -> carried(m, List.of(digest)).size() == 1).count();
            long noReply = reports.stream().flatMap(r -> r.deliveries().values().stream())
                    .flatMap(List::stream)
                    .filter(r -> r.digest().id().equals(digest.id()) && r.reason().startsWith("no reply within"))
                    .count();
            assertThat(shown).as("times %s was shown", digest.id()).isBetween(1L, 1 + noReply);
        }

        // the rate limit: every request counts at the robot, refused or not; only the injected throttle was met
        assertNoMinuteHoldsMoreThan(20, exchanges.stream().map(DingTalkEmulator.Exchange::receivedAt).toList());
        assertNoMinuteHoldsMoreThan(20, accepted.stream().map(DingTalkEmulator.Accepted::receivedAt).toList());
        Instant end = outageEnds;
        assertThat(exchanges).filteredOn(e -> e.errcode().equals(Optional.of(ErrorCodes.THROTTLED)))
                .allSatisfy(e -> assertThat(e.receivedAt()).isBefore(end));
    }

    /** One record's message: unique to its minute and project, so the robot's messages show which they carry. */
    private static String marker(int minute, int project) {
        return "stock check failed for sku m" + minute + "p" + project + " now";
    }

    /** The digests of {@code digests} whose samples {@code message} shows. */
    private static List<Digest> carried(DingTalkEmulator.Accepted message, List<Digest> digests) {
        return digests.stream().filter(d -> d.groups().stream().map(ErrorGroup::sampleMessage)
                .anyMatch(message.text()::contains)).toList();
    }

    private static void assertNoMinuteHoldsMoreThan(int limit, List<Instant> times) {
        for (Instant start : times) {
            long inMinute = times.stream().filter(t -> !t.isBefore(start) && t.isBefore(start.plusSeconds(60)))
                    .count();
            assertThat(inMinute).as("requests in the minute from %s", start).isLessThanOrEqualTo(limit);
        }
    }
}
