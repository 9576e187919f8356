package io.logalert.sink.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The Feishu sink against {@link FeishuEmulator} over real HTTP on loopback, with a manual clock. */
class FeishuSinkTest {

    private static final String TOKEN = "7d3e9a10-52b4-4c8e-9f61-2a0b1c2d3e4f";
    private static final String SECRET = "mZ4qR8tW1xY6uI0oP3aS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:02:30Z"));
    private final List<Duration> waits = new ArrayList<>();
    private final FeishuEmulator bot = FeishuEmulator.builder().token(TOKEN).secret(SECRET).keywords("alert")
            .clock(clock).start();

    @AfterEach
    void stop() {
        bot.close();
    }

    private FeishuSink.Builder sink() {
        return FeishuSink.builder().webhook(bot.url()).secret(SECRET).keywords(List.of("alert")).clock(clock)
                .timeZone(ZoneOffset.UTC).random(new SplittableRandom(11)).budgets(new RateBudgets())
                .sleeper(d -> {
                    waits.add(d);
                    clock.advance(d);
                });
    }

    /** {@code groups} groups of {@code project}, each sample {@code message} with its number. */
    private static Digest digest(String project, int groups, String message) {
        List<ErrorGroup> list = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            list.add(new ErrorGroup(project, "g" + i, "<*> failed", message + " no. " + i, 50 + i, WINDOW.from(),
                    WINDOW.to(), "worker"));
        }
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, list, 0, 0);
    }

    @Test
    void aSignedCardWithTheKeywordReachesTheBotAndMentionsByOpenIdAndEmail() throws Exception {
        Digest digest = digest("shop", 2, "payment declined").withMentions(List.of("ou_7f3a", "ops@example.com",
                "13800000000"));

        List<DeliveryResult> results = sink().actionUrl("https://kibana.example/app?p={project}").build()
                .deliver(List.of(digest));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        FeishuEmulator.Accepted card = bot.accepted().get(0);
        assertThat(card.msgType()).isEqualTo("interactive");
        assertThat(card.title()).contains("shop");
        assertThat(card.text()).contains("alert", "payment declined no. 0");
        assertThat(card.rendering().mentions()).containsExactly("ou_7f3a", "ops@example.com");
        assertThat(card.rendering().links()).singleElement()
                .satisfies(link -> assertThat(link.target()).isEqualTo("https://kibana.example/app?p=shop"));
        JsonNode body = JSON.readTree(card.json());
        assertThat(body.path("timestamp").asText()).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(body.path("sign").asText()).isEqualTo(FeishuSignature.sign(clock.instant().getEpochSecond(),
                SECRET));
    }

    @Test
    void aWrongSecretIsRejectedWith19021AndAdviceButNeverShown() {
        String wrong = "notTheSecretAtAll123";
        FeishuSink sink = sink().secret(wrong).build();

        DeliveryResult result = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);

        assertThat(result.status()).isEqualTo(DeliveryResult.Status.REJECTED);
        assertThat(result.reason()).contains("Feishu code 19021", "set 'secret'");
        assertThat(result.reason() + sink + sink.name()).doesNotContain(wrong, SECRET, TOKEN);
    }

    @Test
    void anAddressOutsideTheAllowListAndAMissingKeywordAreRejectedWithAdvice() {
        try (FeishuEmulator strict = FeishuEmulator.builder().allowedIps("10.1.2.3").clock(clock).start();
                FeishuEmulator keyed = FeishuEmulator.builder().keywords("告警").clock(clock).start()) {
            DeliveryResult ip = FeishuSink.builder().webhook(strict.url()).clock(clock).budgets(new RateBudgets())
                    .build().deliver(List.of(digest("shop", 1, "x"))).get(0);
            DeliveryResult keyword = FeishuSink.builder().webhook(keyed.url()).clock(clock)
                    .budgets(new RateBudgets()).build().deliver(List.of(digest("shop", 1, "x"))).get(0);

            assertThat(ip.status()).isEqualTo(DeliveryResult.Status.REJECTED);
            assertThat(ip.reason()).contains("19022", "IP allow-list");
            assertThat(keyword.status()).isEqualTo(DeliveryResult.Status.REJECTED);
            assertThat(keyword.reason()).contains("19024", "set 'keywords'");
        }
    }

    @Test
    void aBurstIsPacedToFiveASecondAndNeverAnsweredTooManyRequests() {
        List<Digest> digests = IntStream.range(0, 12).mapToObj(i -> digest("svc-" + i, 2, "timeout")).toList();

        List<DeliveryResult> results = sink().build().deliver(digests);

        assertThat(results).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(bot.accepted()).hasSize(12);
        assertThat(bot.answered(ErrorCodes.BAD_REQUEST)).isZero();
        // twelve messages at five a second: two waits for the next second, no more
        assertThat(waits).hasSize(2).allSatisfy(w -> assertThat(w).isEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void tooManyRequestsWithHttp400LeavesTheBotAloneAndRetriesLater() {
        FeishuSink sink = sink().build();
        bot.failNext(1, ErrorCodes.BAD_REQUEST);

        DeliveryResult throttled = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);
        DeliveryResult held = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);
        clock.advance(Duration.ofSeconds(61));
        DeliveryResult later = sink.deliver(List.of(digest("shop", 1, "x"))).get(0);

        assertThat(bot.exchanges().get(0).httpStatus()).isEqualTo(400);
        assertThat(throttled.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
        assertThat(throttled.reason()).contains("Feishu code 9499", "too many request");
        assertThat(held.reason()).contains("throttled (code 9499/11232)");
        assertThat(later.isDelivered()).isTrue();
        assertThat(bot.exchanges()).hasSize(2);
    }

    @Test
    void aBigDigestIsSplitIntoCardsUnderTwentyThousandBytes() {
        DeliveryResult result = sink().build().deliver(List.of(digest("订单", 60, "库存扣减失败".repeat(60))))
                .get(0);

        assertThat(result.isDelivered()).isTrue();
        assertThat(bot.exchanges()).hasSizeGreaterThan(1)
                .allSatisfy(e -> assertThat(e.bodyBytes()).isLessThan(FeishuSink.MAX_BODY_BYTES));
        assertThat(bot.accepted().get(1).title()).contains("(2/");
    }

    @Test
    void aTokenGoesToTheLarkDomainOrToAGivenBaseUrl() {
        FeishuSink lark = FeishuSink.builder().token(TOKEN).domain("lark").budgets(new RateBudgets()).build();
        FeishuSink local = sink().build();
        FeishuSink byBase = FeishuSink.builder().token(TOKEN).domain(bot.baseUrl().toString()).secret(SECRET)
                .keywords(List.of("alert")).clock(clock).budgets(new RateBudgets()).build();

        assertThat(lark.toString()).startsWith("FeishuSink[https://open.larksuite.com/open-apis/bot/v2/hook/***")
                .doesNotContain(TOKEN);
        assertThat(local.name()).isEqualTo(byBase.name());
        assertThat(byBase.deliver(List.of(digest("shop", 1, "x")))).singleElement()
                .satisfies(r -> assertThat(r.isDelivered()).isTrue());
    }

    @Test
    void hostileLogTextNeverBecomesALinkImageOrMentionAndOrdinaryTextStaysCopyable() {
        List<String> hostile = List.of("[click](http://evil.example/a)", "<at id=all></at> and @all",
                "<at user_id=\"ou_boss\">boss</at>", "![img](http://evil.example/p.png)",
                "see https://evil.example/x", "~~gone~~ **bold** <font color='red'>x</font>",
                "user_id=42 sent by ops@example.com: PAID -> CREATED");
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            ErrorGroup group = new ErrorGroup("p" + i, "k", hostile.get(i), hostile.get(i), 1, WINDOW.from(),
                    WINDOW.from(), hostile.get(i));
            digests.add(new Digest(Digest.idOf("pipe", "p" + i, WINDOW), "pipe", "p" + i, WINDOW, List.of(group),
                    0, 0));
        }

        List<DeliveryResult> results = sink().build().deliver(digests);

        assertThat(results).allSatisfy(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(bot.accepted()).hasSize(hostile.size()).allSatisfy(m -> {
            assertThat(m.rendering().links()).as(m.text()).isEmpty();
            assertThat(m.rendering().images()).as(m.text()).isEmpty();
            assertThat(m.rendering().mentions()).as(m.text()).isEmpty();
            assertThat(m.rendering().headings()).as(m.text()).isEmpty();
        });
        assertThat(bot.accepted().get(hostile.size() - 1).text())
                .contains("user_id=42 sent by ops@example.com: PAID -> CREATED");
    }

    @Test
    void theProviderIsFoundByTypeAndListsEveryProblemWithoutEchoingSecrets() {
        AlertSinkProvider provider = ServiceLoader.load(AlertSinkProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.type().equals("feishu")).findFirst().orElseThrow();
        assertThat(provider.create(PluginConfig.of(Map.of("token", TOKEN, "domain", "lark", "secret", SECRET))))
                .isInstanceOf(FeishuSink.class);

        assertThatThrownBy(() -> provider.create(PluginConfig.of(Map.of("webhook", bot.baseUrl() + "/x/" + TOKEN,
                "secret", SECRET, "mention-user-ids", "13800000000,<b>", "messages-per-minute", "500",
                "max-body-bytes", "30000"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'webhook' must end in /open-apis/bot/v2/hook/<token>")
                .hasMessageContaining("'mention-user-ids' holds '13800000000'")
                .hasMessageContaining("'mention-user-ids' holds '<b>'")
                .hasMessageContaining("'messages-per-minute'")
                .hasMessageContaining("'max-body-bytes'")
                .message().doesNotContain(TOKEN, SECRET);
        assertThatThrownBy(() -> provider.create(PluginConfig.of(Map.of("token", TOKEN, "domain",
                "https://user:" + SECRET + "@open.feishu.cn"))))
                .hasMessageContaining("'domain' must be feishu, lark or an http(s) base URL")
                .message().doesNotContain(SECRET);
    }
}
