package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.DeliveryResult.Status;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.HeldBack;
import io.logalert.Mark;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DingTalkSinkTest {

    static final String SECRET = "SEC7f3e1c0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1";
    static final String TOKEN = "9d2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d0";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(TOKEN).secret(SECRET)
            .keywords("alert").clock(clock).start();

    @AfterEach
    void stop() {
        robot.close();
    }

    private DingTalkSink.Builder sink() {
        return DingTalkSink.builder().webhook(robot.url()).secret(SECRET).keywords(List.of("alert")).clock(clock)
                .sleeper(sleeper).random(new SplittableRandom(7)).budgets(new RateBudgets())
                .requestTimeout(Duration.ofSeconds(5)).timeZone(ZoneOffset.UTC);
    }

    private static List<Digest> digests(int count) {
        return IntStream.range(0, count).mapToObj(i -> Digests.of("project-" + i, 2)).toList();
    }

    @Test
    void deliversOneSignedMessagePerDigestWithMentions() {
        DingTalkSink sink = sink().atMobiles(List.of("13800138000")).atUserIds(List.of("ops01")).build();

        List<DeliveryResult> results = sink.deliver(digests(3));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.DELIVERED);
        assertThat(robot.accepted()).hasSize(3).allSatisfy(m -> {
            assertThat(m.msgtype()).isEqualTo("markdown");
            assertThat(m.text()).contains("alert").endsWith("@13800138000 @ops01");
            assertThat(m.atMobiles()).containsExactly("13800138000");
            assertThat(m.atUserIds()).containsExactly("ops01");
        });
    }

    @Test
    void aDigestsRouteMentionsAreAddedToTheSinksOwn() {
        DingTalkSink sink = sink().atUserIds(List.of("ops01")).build();
        Digest routed = Digests.of("checkout", 2).withMentions(List.of("13900139000", "checkout-owner"));

        sink.deliver(List.of(routed, Digests.of("billing", 1)));

        assertThat(robot.accepted()).hasSize(2);
        assertThat(robot.accepted().get(0)).satisfies(m -> {
            assertThat(m.text()).endsWith("@13900139000 @ops01 @checkout-owner");
            assertThat(m.atMobiles()).containsExactly("13900139000");
            assertThat(m.atUserIds()).containsExactly("ops01", "checkout-owner");
        });
        assertThat(robot.accepted().get(1).atUserIds()).containsExactly("ops01");
        assertThat(robot.accepted().get(1).atMobiles()).isEmpty();
    }

    @Test
    void textAndActionCardMessagesPassTheRobotsChecks() {
        sink().messageType(MessageType.TEXT).build().deliver(digests(1));
        sink().messageType(MessageType.ACTION_CARD).actionUrl("https://kibana.example/?from={from}").build()
                .deliver(digests(1));

        assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::msgtype)
                .containsExactly("text", "actionCard");
    }

    @Test
    void systemBusyIsRetriedWithExponentialBackoffAndJitter() {
        robot.failNext(2, ErrorCodes.BUSY);
        DingTalkSink sink = sink().maxAttempts(3).retryBackoff(Duration.ofSeconds(1)).build();

        List<DeliveryResult> results = sink.deliver(digests(1));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(sleeper.sleeps()).hasSize(2);
        assertThat(sleeper.sleeps().get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(sleeper.sleeps().get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void passingFailuresThatOutlastTheAttemptsMeanRetryLaterAndStopTheRun() {
        robot.failNext(3, ErrorCodes.BUSY);
        DingTalkSink sink = sink().maxAttempts(3).build();

        List<DeliveryResult> results = sink.deliver(digests(2));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.RETRY_LATER);
        assertThat(results.get(0).reason()).contains("-1", "after 3 attempts");
        assertThat(results.get(1).reason()).startsWith("not sent");
        assertThat(robot.exchanges()).hasSize(3);
    }

    @Test
    void httpServerErrorsAreRetried() {
        robot.httpErrorNext(1, 502);

        assertThat(sink().build().deliver(digests(1))).singleElement()
                .satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.exchanges()).extracting(DingTalkEmulator.Exchange::httpStatus).containsExactly(502, 200);
    }

    @Test
    void droppedConnectionsAreRetried() {
        robot.dropNext(1);

        assertThat(sink().build().deliver(digests(1))).singleElement()
                .satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted()).hasSize(1);
    }

    @Test
    void aReplyThatTimesOutIsNotSentAgainByTheSameCallAndTheNextShowsItOnceMore() {
        // the robot takes the request at once and holds the reply for a minute of real time; the sink gives up
        // after a second (the test's only real wait; headroom for a busy machine, where a reply that is not held
        // must not time out) and cannot tell this from a lost request
        robot.delayNext(1, Duration.ofSeconds(60));
        DingTalkSink sink = sink().requestTimeout(Duration.ofSeconds(1)).build();
        List<Digest> digests = digests(3);

        List<DeliveryResult> first = sink.deliver(digests);

        assertThat(first).extracting(DeliveryResult::status).containsOnly(Status.RETRY_LATER);
        assertThat(first.get(0).reason()).contains("no reply within 1000 ms", "may have reached the robot");
        assertThat(first.get(1).reason()).startsWith("not sent: the robot gave no reply");
        assertThat(robot.exchanges()).as("no second attempt, and nothing else sent to a robot that did not answer")
                .hasSize(1);
        assertThat(sleeper.sleeps()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(sink.deliver(digests)).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
        // the robot had taken the timed-out message: the retry shows it once more, the at-least-once the docs say
        assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::title)
                .containsExactly(title(digests.get(0)), title(digests.get(0)), title(digests.get(1)),
                        title(digests.get(2)));
    }

    private static String title(Digest digest) {
        return "alert " + digest.project() + ": 1,999 errors";
    }

    @Test
    void aHungRobotCostsACallOneRequestTimeoutNotOnePerAttempt() {
        // a hung robot: it takes every request and answers none within 10 s
        robot.delayNext(10, Duration.ofSeconds(10));
        DingTalkSink sink = sink().requestTimeout(Duration.ofSeconds(1)).maxAttempts(3).build();
        long started = System.nanoTime();

        List<DeliveryResult> results = sink.deliver(digests(5));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.RETRY_LATER);
        assertThat(robot.exchanges()).as("one request, one timeout: no retry, nothing more sent").hasSize(1);
        assertThat(sleeper.sleeps()).isEmpty();
        // one timeout of 1 s, with room for a busy machine; never the robot's 10 s
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aPackThatTimedOutIsSentAgainOnlyInMessagesOfAtMostHalfItsDigests() {
        robot.delayNext(1, Duration.ofSeconds(60));
        DingTalkSink sink = sink().requestTimeout(Duration.ofSeconds(1)).build();
        List<Digest> first = IntStream.range(0, 30).mapToObj(i -> Digests.of("project-" + i, 1)).toList();

        List<DeliveryResult> timedOut = sink.deliver(first);

        assertThat(timedOut).extracting(DeliveryResult::status).containsOnly(Status.RETRY_LATER);
        assertThat(robot.accepted()).as("30 digests, 20 messages a minute: packed; the robot took the first pack")
                .hasSize(1);
        List<Digest> pack = carried(robot.accepted().get(0), first);
        assertThat(pack).hasSizeGreaterThan(10);

        clock.advance(Duration.ofMinutes(1));
        List<Digest> again = new ArrayList<>(first);
        IntStream.range(0, 10).forEach(i -> again.add(Digests.of("fresh-" + i, 1)));
        assertThat(sink.deliver(again)).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());

        List<DingTalkEmulator.Accepted> retried = robot.accepted().subList(1, robot.accepted().size());
        assertThat(retried).as("the budget still calls for packs").hasSizeLessThan(again.size())
                .allSatisfy(m -> assertThat(carried(m, pack)).hasSizeLessThanOrEqualTo(pack.size() / 2));
        // each digest of the timed-out pack shows twice (the pack the robot took, and once again), the rest once
        for (Digest digest : again) {
            long shown = robot.accepted().stream().filter(m -> carried(m, List.of(digest)).size() == 1).count();
            assertThat(shown).as(digest.project()).isEqualTo(pack.contains(digest) ? 2 : 1);
        }
    }

    /** The digests of {@code digests} whose groups {@code message} shows. */
    private static List<Digest> carried(DingTalkEmulator.Accepted message, List<Digest> digests) {
        return digests.stream().filter(d -> message.text().contains("failure " + d.groups().get(0).key() + " "))
                .toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {410100, 130101})
    void throttlingBlocksTheRobotForItsBlockPeriod(int errcode) {
        robot.failNext(1, errcode);
        DingTalkSink sink = sink().build();

        List<DeliveryResult> results = sink.deliver(digests(3));

        Instant until = clock.instant().plus(Duration.ofMinutes(10));
        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.retryAfter()).contains(until);
        });
        assertThat(robot.exchanges()).hasSize(1);

        clock.advance(Duration.ofMinutes(9));
        assertThat(sink.deliver(digests(1))).allSatisfy(r -> assertThat(r.retryAfter()).contains(until));
        assertThat(robot.exchanges()).as("nothing is sent during the block").hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(sink.deliver(digests(1))).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
    }

    @Test
    void quotaExceededMeansRetryLaterWithoutHammering() {
        robot.failNext(1, ErrorCodes.QUOTA);

        List<DeliveryResult> results = sink().build().deliver(digests(3));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.RETRY_LATER);
        assertThat(results.get(0).reason()).contains("90030");
        assertThat(robot.exchanges()).hasSize(1);
    }

    @Test
    void missingKeywordIsRejectedLoudlyWithDingTalksReason() {
        List<DeliveryResult> results = sink().keywords(List.of("wrong")).build().deliver(digests(2));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.REJECTED);
        assertThat(results.get(0).reason()).contains("310000", "keywords not in content", "'keywords'");
        assertThat(robot.exchanges()).as("the robot refuses every message: stop after one").hasSize(1);
    }

    @Test
    void wrongSecretIsRejectedAsSignNotMatch() {
        String other = "SEC0000000000000000000000000000000000000000000000000000000000000000";
        List<DeliveryResult> results = sink().secret(other).build().deliver(digests(1));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.REJECTED);
            assertThat(r.reason()).contains("310000", "sign not match", "'secret'").doesNotContain(other, SECRET);
        });
    }

    @Test
    void aClockOffByMoreThanAnHourIsRejectedAsInvalidTimestamp() {
        ManualClock skewed = new ManualClock(clock.instant().minus(Duration.ofMinutes(61)));

        List<DeliveryResult> results = sink().clock(skewed).build().deliver(digests(1));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("310000", "invalid timestamp", "clock"));
    }

    @Test
    void aHostOutsideTheAllowListIsRejectedWithTheIp() {
        try (DingTalkEmulator guarded = DingTalkEmulator.builder().accessToken(TOKEN).clock(clock)
                .allowedIps("203.0.113.7").start()) {
            List<DeliveryResult> results = DingTalkSink.builder().webhook(guarded.url()).clock(clock)
                    .budgets(new RateBudgets()).build().deliver(digests(1));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(Status.REJECTED);
                assertThat(r.reason()).contains("310000", "not in whitelist", "allow-list");
            });
        }
    }

    @Test
    void anUnknownTokenIsRejectedAndTheTokenNotShown() {
        List<DeliveryResult> results = DingTalkSink.builder().baseUrl(robot.baseUrl()).accessToken("not-the-token")
                .secret(SECRET).keywords(List.of("alert")).clock(clock).budgets(new RateBudgets()).build()
                .deliver(digests(2));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.REJECTED);
        assertThat(results.get(0).reason()).contains("300005").doesNotContain("not-the-token");
    }

    @ParameterizedTest
    @ValueSource(ints = {400013, 400101, 300005, 300001, 400102, 400105, 400106, 40035, 43004})
    void robotLevelRefusalsRejectEveryDigestAfterOneRequest(int errcode) {
        robot.failNext(1, errcode);

        List<DeliveryResult> results = sink().build().deliver(digests(3));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.REJECTED);
        assertThat(results.get(0).reason()).contains(Integer.toString(errcode));
        assertThat(robot.exchanges()).hasSize(1);
    }

    @Test
    void anUnknownErrcodeRejectsOnlyThatMessage() {
        robot.failNext(1, 999999);

        List<DeliveryResult> results = sink().build().deliver(digests(3));

        assertThat(results).extracting(DeliveryResult::status)
                .containsExactly(Status.REJECTED, Status.DELIVERED, Status.DELIVERED);
        assertThat(results.get(0).reason()).contains("999999");
        assertThat(robot.exchanges()).as("nothing says the content was at fault: no second version").hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {430101, 430102, 430103, 430104})
    void aContentRefusalIsFollowedAtOnceByTheDigestWithoutItsLogText(int errcode) {
        robot.failNext(1, errcode);

        List<DeliveryResult> results = sink().build().deliver(digests(3));

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.DELIVERED);
        assertThat(robot.exchanges()).extracting(DingTalkEmulator.Exchange::errcode)
                .containsExactly(Optional.of(errcode), Optional.of(0), Optional.of(0), Optional.of(0));
        assertThat(robot.accepted().get(0).text()).contains("alert project-0: 1,999 errors", "withheld")
                .doesNotContain("failure project-0/g0 ", "worker-");
        assertThat(robot.accepted().get(1).text()).contains("failure project-1/g0 ", "thread worker-0");
    }

    @Test
    void aLogLineTheRobotAlwaysRefusesNoLongerKeepsTheRestOfTheDigestFromTheGroup() {
        robot.refuseContent("casino", ErrorCodes.BAD_TEXT);
        Digest refused = Digests.withWordInLogText("shop", "casino");

        List<DeliveryResult> results = sink().build().deliver(List.of(refused, Digests.of("billing", 2)));

        assertThat(results).extracting(DeliveryResult::status).containsExactly(Status.DELIVERED, Status.DELIVERED);
        assertThat(robot.answered(ErrorCodes.BAD_TEXT)).isEqualTo(1);
        assertThat(robot.accepted()).hasSize(2);
        assertThat(robot.accepted().get(0).text()).doesNotContain("casino")
                .contains("alert shop: 52 errors", "payment ", "40×", "stock check ", "7×",
                        "+2 more groups (5 errors)", "12 held by a silence", "withheld");
        assertThat(robot.accepted().get(1).text()).contains("failure billing/g0 ");
    }

    @Test
    void whenThePatternsAreRefusedTooTheCountsAreSent() {
        // "declined" is in a pattern: the version without samples is refused as well
        robot.refuseContent("declined", ErrorCodes.BAD_TEXT);

        List<DeliveryResult> results = sink().build().deliver(List.of(Digests.withWordInLogText("shop", "casino")));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.answered(ErrorCodes.BAD_TEXT)).isEqualTo(2);
        assertThat(robot.accepted()).singleElement().satisfies(m -> assertThat(m.text())
                .contains("alert shop: 52 errors", "52 errors in 4 groups", "counts only")
                .doesNotContain("declined", "payment", "casino"));
    }

    @Test
    void aDigestWhoseCountsAreRefusedTooIsRejectedWithEveryRefusal() {
        // the project's name is what the robot refuses: no version of the digest can pass
        robot.refuseContent("shop", ErrorCodes.BAD_CONTENT);

        List<DeliveryResult> results = sink().build().deliver(List.of(Digests.withWordInLogText("shop", "casino"),
                Digests.of("billing", 1)));

        assertThat(results.get(0).status()).isEqualTo(Status.REJECTED);
        assertThat(results.get(0).reason()).contains("430104", "then its patterns");
        assertThat(results.get(1).isDelivered()).isTrue();
        assertThat(robot.answered(ErrorCodes.BAD_CONTENT)).as("in full, patterns and counts, counts only")
                .isEqualTo(3);
    }

    @Test
    void theVersionWithoutLogTextTakesASlotOfTheBudgetLikeAnyMessage() {
        robot.refuseContent("casino", ErrorCodes.BAD_TEXT);
        Instant start = clock.instant();

        List<DeliveryResult> results = sink().messagesPerMinute(2).build()
                .deliver(List.of(Digests.withWordInLogText("shop", "casino"), Digests.of("billing", 1)));

        assertThat(results.get(0).isDelivered()).isTrue();
        assertThat(results.get(1).status()).isEqualTo(Status.RETRY_LATER);
        assertThat(results.get(1).retryAfter()).contains(start.plus(Duration.ofMinutes(1)));
        assertThat(robot.exchanges()).hasSize(2);
    }

    @Test
    void withoutASlotForTheVersionWithoutLogTextTheDigestIsRetriedLaterAndSaysWhy() {
        robot.refuseContent("casino", ErrorCodes.BAD_TEXT);
        Instant start = clock.instant();

        List<DeliveryResult> results = sink().messagesPerMinute(1).build()
                .deliver(List.of(Digests.withWordInLogText("shop", "casino")));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.reason()).contains("refused the digest's text", "430102", "budget");
            assertThat(r.retryAfter()).contains(start.plus(Duration.ofMinutes(1)));
        });
        assertThat(robot.exchanges()).hasSize(1);
    }

    @Test
    void aPackRefusedForContentIsSentAgainOneDigestPerMessageSoOnlyTheCulpritIsRejected() {
        robot.refuseContent("forbidden", ErrorCodes.BAD_TEXT);
        List<Digest> digests = new ArrayList<>(digests(30));
        digests.set(5, Digests.of("forbidden", 2));
        DingTalkSink sink = sink().build();

        List<DeliveryResult> first = sink.deliver(digests);

        assertThat(robot.exchanges().get(0).errcode()).as("30 digests, 20 messages a minute: a pack, refused")
                .contains(ErrorCodes.BAD_TEXT);
        // the refused word is the project's name, which every version of its digest shows
        assertThat(robot.answered(ErrorCodes.BAD_TEXT))
                .as("the pack, then the culprit alone: in full, with patterns and counts, with counts only")
                .isEqualTo(4);
        assertThat(first.get(5).status()).isEqualTo(Status.REJECTED);
        assertThat(first.get(5).reason()).contains("430102");
        assertThat(first).filteredOn(r -> r.status() == Status.REJECTED).hasSize(1);
        List<Digest> pending = new ArrayList<>(first.stream().filter(r -> r.status() == Status.RETRY_LATER)
                .map(DeliveryResult::digest).toList());
        for (int run = 0; run < 5 && !pending.isEmpty(); run++) {
            clock.advance(Duration.ofMinutes(1));
            List<DeliveryResult> again = sink.deliver(pending);
            assertThat(again).noneMatch(r -> r.status() == Status.REJECTED);
            pending = new ArrayList<>(again.stream().filter(r -> !r.isDelivered()).map(DeliveryResult::digest)
                    .toList());
        }
        assertThat(pending).isEmpty();
        String delivered = String.join("\n", robot.accepted().stream().map(DingTalkEmulator.Accepted::text).toList());
        digests.stream().filter(d -> !d.project().equals("forbidden")).flatMap(d -> d.groups().stream())
                .forEach(g -> assertThat(delivered).contains("failure " + g.key() + " "));
        assertThat(delivered).doesNotContain("forbidden");
        assertThat(robot.answered(ErrorCodes.THROTTLED)).isZero();
    }

    @Test
    void messageTooLongIsSplitAndResent() {
        try (DingTalkEmulator small = DingTalkEmulator.builder().accessToken(TOKEN).clock(clock).maxBodyBytes(6_000)
                .start()) {
            Digest digest = Digests.of("shop", 20, 300);

            List<DeliveryResult> results = DingTalkSink.builder().webhook(small.url()).clock(clock)
                    .budgets(new RateBudgets()).build().deliver(List.of(digest));

            assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
            // 20,000 → 10,000 → 5,000 bytes: halved until the robot takes it
            assertThat(small.answered(ErrorCodes.TOO_LONG)).isEqualTo(2);
            assertThat(small.accepted()).hasSizeGreaterThan(1);
            String all = String.join("\n", small.accepted().stream().map(DingTalkEmulator.Accepted::text).toList());
            digest.groups().forEach(g -> assertThat(all).contains("failure " + g.key() + " "));
        }
    }

    @Test
    void aSplitDigestIsDeliveredOnlyWhenEveryPartIs() {
        Digest digest = Digests.of("shop", 80, 400);
        DingTalkSink sink = sink().build();

        assertThat(sink.deliver(List.of(digest))).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        int parts = robot.accepted().size();
        assertThat(parts).isGreaterThan(1);
        assertThat(robot.accepted()).allSatisfy(m -> assertThat(m.title()).matches(".*\\(\\d+/" + parts + "\\)"));

        robot.reset();
        clock.advance(Duration.ofMinutes(2));
        // part 1 is accepted (a zero delay is no fault), every attempt of part 2 meets "system busy"
        robot.delayNext(1, Duration.ZERO).failNext(3, ErrorCodes.BUSY);
        List<DeliveryResult> again = sink.deliver(List.of(digest));

        assertThat(again).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.reason()).contains("parts 1-1 of " + parts, "sends every part again");
        });
    }

    @Test
    void sendsThroughTheConfiguredProxy() {
        // the emulator stands in for the proxy: it is sent the absolute URL of a host that does not resolve
        DingTalkSink sink = sink().webhook("http://robot.invalid/robot/send?access_token=" + TOKEN)
                .proxy(java.net.InetSocketAddress.createUnresolved("127.0.0.1", robot.baseUrl().getPort())).build();

        assertThat(sink.deliver(digests(1))).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
    }

    @Test
    void everyDigestGetsExactlyOneAnswerInOrder() {
        List<Digest> digests = digests(5);

        List<DeliveryResult> results = sink().build().deliver(digests);

        assertThat(results).extracting(DeliveryResult::digest).containsExactlyElementsOf(digests);
    }

    @Test
    void aDigestWithoutGroupsIsStillDelivered() {
        Digest empty = new Digest("id", "pipe", "shop", Digests.WINDOW, List.<ErrorGroup>of(), 3, 12);

        assertThat(sink().build().deliver(List.of(empty))).singleElement()
                .satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted().get(0).text()).contains("+3 more groups (12 errors)");
    }

    private static Digest markedWithNotesAfterDowntime(String project) {
        Digest plain = Digests.of(project, 2);
        List<ErrorGroup> groups = List.of(plain.groups().get(0).withMark(Mark.NEW),
                plain.groups().get(1).withMark(Mark.BACK).withHeldBack(Optional.of(new HeldBack(312,
                        Instant.parse("2026-03-01T09:05:00Z")))));
        Silenced deploy = new Silenced("deploy-42", "deploy", project, 412, Instant.parse("2026-03-01T08:00:00Z"),
                Instant.parse("2026-03-01T09:30:00Z"));
        TimeWindow gap = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), Instant.parse("2026-03-01T06:45:00Z"));
        return Digests.with(plain, groups, List.of(deploy), Optional.of(gap));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MARKDOWN", "TEXT", "ACTION_CARD"})
    void marksHeldBackSilenceNotesAndCatchUpReachTheRobot(MessageType type) {
        Digest digest = markedWithNotesAfterDowntime("shop");
        Digest notesOnly = Digests.onlySilenced("billing", new Silenced("night", "batch", "billing", 70,
                Instant.parse("2026-03-01T01:00:00Z"), Instant.parse("2026-03-01T05:00:00Z")));
        DingTalkSink sink = sink().messageType(type).actionUrl("https://kibana.example/?q={project}").build();

        List<DeliveryResult> results = sink.deliver(List.of(digest, notesOnly));

        assertThat(results).extracting(DeliveryResult::status).containsExactly(Status.DELIVERED, Status.DELIVERED);
        assertThat(robot.accepted()).hasSize(2);
        boolean markdown = type != MessageType.TEXT;
        assertThat(robot.accepted().get(0).text()).contains(markdown ? "🆕 new " : "[new] ",
                markdown ? "↩ back " : "[back] ", "(+312 since 09:05)",
                (markdown ? "**logalert was down** " : "logalert was down ")
                        + "2026-03-01 06:02:00 – 06:45:00 (+00:00): 1,999 errors in 2 groups",
                "412 errors held by a silence 08:00–09:30 (reason: deploy)");
        // a text message has no title of its own: its first line is the title
        assertThat(robot.accepted().get(1).text()).contains("alert billing: 0 errors (70 held by a silence)",
                "70 errors held by a silence 01:00–05:00 (reason: batch)");
    }

    @Test
    void digestsPackedForTheBudgetKeepTheirMarksAndNotes() {
        List<Digest> digests = new ArrayList<>(digests(25));
        digests.set(3, markedWithNotesAfterDowntime("shop"));
        digests.set(7, Digests.onlySilenced("billing", new Silenced("night", "batch", "billing", 70,
                Instant.parse("2026-03-01T01:00:00Z"), Instant.parse("2026-03-01T05:00:00Z"))));

        List<DeliveryResult> results = sink().build().deliver(digests);

        assertThat(results).extracting(DeliveryResult::status).containsOnly(Status.DELIVERED);
        assertThat(robot.accepted()).as("25 digests, 20 messages a minute: packed").hasSizeLessThan(25);
        String delivered = String.join("\n", robot.accepted().stream().map(DingTalkEmulator.Accepted::text).toList());
        assertThat(delivered).contains("🆕 new", "↩ back", "(+312 since 09:05)", "**logalert was down** ",
                "🔕 412 errors held by a silence 08:00–09:30 (reason: deploy)",
                "🔕 70 errors held by a silence 01:00–05:00 (reason: batch)");
    }
}
