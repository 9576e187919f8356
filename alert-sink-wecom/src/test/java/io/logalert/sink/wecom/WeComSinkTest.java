package io.logalert.sink.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WeCom sink against {@link WeComEmulator} over real HTTP on loopback, with a manual clock. */
class WeComSinkTest {

    private static final String KEY = "5e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:02:30Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final WeComEmulator robot = WeComEmulator.builder().key(KEY).clock(clock).start();

    @AfterEach
    void stop() {
        robot.close();
    }

    private WeComSink.Builder sink() {
        return WeComSink.builder().webhook(robot.url()).clock(clock).timeZone(ZoneOffset.UTC)
                .sleeper(d -> {
                    sleeps.add(d);
                    clock.advance(d);
                }).random(new SplittableRandom(7)).budgets(new RateBudgets());
    }

    /** A digest of {@code project} with {@code groups} groups whose samples are {@code message} and a number. */
    private static Digest digest(String project, int groups, String message) {
        List<ErrorGroup> list = IntStream.range(0, groups).mapToObj(i -> new ErrorGroup(project, project + i,
                "failed <*>", message + " #" + i, 100 - i, WINDOW.from(), WINDOW.to().minusSeconds(1), "main"))
                .toList();
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, list, 0, 0);
    }

    @Test
    void markdownReachesTheRobotWithItsKeyAndMentionsUserIdsInTheContent() {
        Digest digest = digest("shop", 2, "order failed").withMentions(List.of("zhangsan", "13800000000"));

        List<DeliveryResult> results = sink().mentionUserIds(List.of("lisi")).build().deliver(List.of(digest));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted()).singleElement().satisfies(m -> {
            assertThat(m.msgtype()).isEqualTo("markdown");
            assertThat(m.content()).contains("shop", "order failed #0", "<@lisi> <@zhangsan>");
            // WeCom's markdown notifies user ids only: the mobile is left out rather than shown as text
            assertThat(m.rendering().mentions()).containsExactly("lisi", "zhangsan");
            assertThat(m.rendering().links()).isEmpty();
        });
    }

    @Test
    void textListsMobilesUserIdsAndEveryoneAndStaysUnder2048Bytes() {
        Digest digest = digest("shop", 30, "payment declined by the bank").withMentions(List.of("13800000000",
                "zhangsan"));

        List<DeliveryResult> results = sink().messageType(MessageType.TEXT).mentionAll(true).build()
                .deliver(List.of(digest));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted()).hasSizeGreaterThan(1)
                .allSatisfy(m -> assertThat(m.contentBytes()).isLessThan(WeComEmulator.MAX_TEXT_BYTES));
        assertThat(robot.accepted().get(0).mentionedList()).containsExactly("zhangsan", "@all");
        assertThat(robot.accepted().get(0).mentionedMobileList()).containsExactly("13800000000");
        // later parts of one digest notify no one again
        assertThat(robot.accepted().subList(1, robot.accepted().size()))
                .allSatisfy(m -> assertThat(m.mentionedList()).isEmpty());
    }

    @Test
    void aBigDigestIsSplitIntoPartsUnder4096BytesOfMarkdownWithChineseText() {
        Digest digest = digest("支付", 40, "订单支付失败，银行返回错误".repeat(20));

        List<DeliveryResult> results = sink().build().deliver(List.of(digest));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted()).hasSizeGreaterThan(2)
                .allSatisfy(m -> assertThat(m.contentBytes()).isLessThan(WeComEmulator.MAX_MARKDOWN_BYTES));
        assertThat(robot.accepted().get(1).content()).contains("(2/");
        assertThat(robot.exchanges()).allSatisfy(e -> assertThat(e.errcode()).contains(0));
    }

    @Test
    void aBurstOfProjectsIsPackedWithinTwentyMessagesAMinuteAndNeverThrottled() {
        List<Digest> digests = IntStream.range(0, 45).mapToObj(i -> digest("project-" + i, 3, "timeout")).toList();
        WeComSink sink = sink().build();

        List<DeliveryResult> first = sink.deliver(digests);
        clock.advance(Duration.ofSeconds(5));
        List<DeliveryResult> second = sink.deliver(digests.subList(0, 5));

        assertThat(first).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(robot.accepted()).hasSizeLessThanOrEqualTo(20)
                .allSatisfy(m -> assertThat(m.contentBytes()).isLessThan(WeComEmulator.MAX_MARKDOWN_BYTES));
        assertThat(String.join("\n", robot.accepted().stream().map(WeComEmulator.Accepted::content).toList()))
                .contains("project-0", "project-44");
        // the packs used the budget's slots; whatever is left over waits for the window, never for a 45009
        assertThat(second).allSatisfy(r -> assertThat(r.status()).isIn(DeliveryResult.Status.DELIVERED,
                DeliveryResult.Status.RETRY_LATER));
        assertThat(robot.answered(ErrorCodes.RATE_LIMITED)).isZero();
        assertThat(robot.exchanges()).hasSizeLessThanOrEqualTo(20);
    }

    @Test
    void errcode45009LeavesTheRobotAloneForAMinuteThenDelivers() {
        WeComSink sink = sink().build();
        robot.failNext(1, ErrorCodes.RATE_LIMITED);

        DeliveryResult throttled = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);
        clock.advance(Duration.ofSeconds(30));
        DeliveryResult held = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);
        int requests = robot.exchanges().size();
        clock.advance(Duration.ofSeconds(31));
        DeliveryResult later = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);

        assertThat(throttled.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
        assertThat(throttled.reason()).contains("WeCom errcode 45009", "api freq out of limit");
        assertThat(throttled.retryAfter()).contains(Instant.parse("2026-03-01T10:03:30Z"));
        assertThat(held.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
        assertThat(held.reason()).contains("throttled (errcode 45009)");
        assertThat(requests).isEqualTo(1);
        assertThat(later.isDelivered()).isTrue();
    }

    @Test
    void errcode40058ExceedMaxLengthSplitsTheMessageSmallerAndDelivers() {
        robot.failNext(1, ErrorCodes.INVALID_PARAMETER, "markdown.content exceed max length 4096. invalid Request "
                + "Parameter, hint: [1], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com");

        DeliveryResult result = sink().build().deliver(List.of(digest("shop", 20, "y".repeat(150)))).get(0);

        assertThat(result.isDelivered()).isTrue();
        assertThat(robot.exchanges().get(1).bodyBytes()).isLessThan(2_048);
    }

    @Test
    void aWrongKeyIsRejectedWithAdviceAndWithoutTheKey() {
        String wrong = "0badbad0-1111-2222-3333-444455556666";
        WeComSink sink = WeComSink.builder().webhook(robot.baseUrl() + WeComSink.SEND_PATH + "?key=" + wrong)
                .clock(clock).budgets(new RateBudgets()).build();

        DeliveryResult result = sink.deliver(List.of(digest("shop", 1, "z"))).get(0);

        assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
        assertThat(result.reason()).contains("WeCom errcode 93000", "check 'webhook' / 'key'").doesNotContain(wrong);
        assertThat(sink.name() + sink + result.reason()).doesNotContain(wrong, KEY);
    }

    @Test
    void busyAndServerErrorsAreRetriedWithBackoffWhileOtherCodesRejectAsABug() {
        robot.failNext(1, -1).httpErrorNext(1, 502);
        DeliveryResult retried = sink().build().deliver(List.of(digest("shop", 1, "a"))).get(0);
        robot.failNext(1, ErrorCodes.INVALID_TYPE);
        DeliveryResult bug = sink().build().deliver(List.of(digest("shop", 1, "a"))).get(0);

        assertThat(retried.isDelivered()).isTrue();
        assertThat(sleeps).hasSize(2);
        assertThat(bug.status()).isEqualTo(DeliveryResult.Status.REJECTED);
        assertThat(bug.reason()).contains("40008", "bug in the sink");
    }

    @Test
    void hostileLogTextNeverBecomesALinkHeadingOrMentionYetOrdinaryTextIsKeptWhole() {
        List<String> hostile = List.of("[click](http://evil.example/a)", "<@boss> and @all look", "# owned",
                "see https://evil.example/x now", "`tick` <font color=\"warning\">red</font>",
                "line one\n# heading\n> quote", "[POST] /api/orders PAID -> CREATED");
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            ErrorGroup group = new ErrorGroup("p" + i, "k", hostile.get(i), hostile.get(i), 1, WINDOW.from(),
                    WINDOW.from(), hostile.get(i));
            digests.add(new Digest(Digest.idOf("pipe", "p" + i, WINDOW), "pipe", "p" + i, WINDOW, List.of(group),
                    0, 0));
        }
        for (MessageType type : MessageType.values()) {
            robot.reset();
            List<DeliveryResult> results = sink().messageType(type).build().deliver(digests);

            assertThat(results).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
            assertThat(robot.accepted()).hasSize(hostile.size()).allSatisfy(m -> {
                assertThat(m.rendering().links()).as(type + ": " + m.content()).isEmpty();
                // the one heading is the message's own title
                assertThat(m.rendering().headings()).as(type + ": " + m.content())
                        .allMatch(h -> h.matches("p\\d: 1 error"));
                assertThat(m.rendering().mentions()).as(type + ": " + m.content()).isEmpty();
                assertThat(m.mentionedList()).isEmpty();
            });
            assertThat(robot.accepted().get(hostile.size() - 1).content())
                    .contains("[POST] /api/orders PAID -> CREATED");
        }
    }

    @Test
    void theProviderIsFoundByTypeAndListsEveryProblemWithoutEchoingTheKey() {
        AlertSinkProvider provider = ServiceLoader.load(AlertSinkProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("wecom")).findFirst().orElseThrow();
        assertThat(provider.create(PluginConfig.of(Map.of("webhook", robot.url(), "message-type", "text"))))
                .isInstanceOf(WeComSink.class).hasToString("WeComSink[" + robot.baseUrl() + WeComSink.SEND_PATH
                        + "?key=***, robot " + io.logalert.sink.robot.Redactor.fingerprint(KEY) + "]");

        assertThatThrownBy(() -> provider.create(PluginConfig.of(Map.of("webhook", "ftp://x/" + KEY,
                "message-type", "news", "mention-mobiles", "12", "mention-all", "true", "max-attempts", "0",
                "colour", "red"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'webhook' must be an http(s) URL")
                .hasMessageContaining("'message-type' must be markdown or text, was 'news'")
                .hasMessageContaining("'mention-mobiles' and 'mention-all' work with 'message-type: text' only")
                .hasMessageContaining("'mention-mobiles' holds '12'")
                .hasMessageContaining("'max-attempts'")
                .hasMessageContaining("colour")
                .message().doesNotContain(KEY);
        assertThatThrownBy(() -> provider.create(PluginConfig.of(Map.of("key", KEY, "message-type", "text",
                "max-body-bytes", "3000"))))
                .hasMessageContaining("'max-body-bytes' must be from 1000 to 2048 for text messages, was 3000");
        assertThatThrownBy(() -> provider.create(PluginConfig.empty()))
                .hasMessageContaining("'webhook' or 'key' is required");
    }
}
