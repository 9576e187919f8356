package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.DeliveryResult;
import io.logalert.DeliveryResult.Status;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.HeldBack;
import io.logalert.Mark;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import io.logalert.examples.WebhookReceiver.Reply;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link JsonWebhookSink} sends, and how it answers each thing a receiver can do. */
class JsonWebhookSinkTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plus(Duration.ofMinutes(1)));
    private static final String TOKEN = "s3cr3t-bearer-7c1e";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final ManualClock clock = new ManualClock(T0.plusSeconds(90));

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void postsEachDigestAsOneJsonDocumentWithEveryField() throws Exception {
        String hostile = "order 8812 failed: \"quoted\" \\ back\nslash\ttab \u0001 支付失败 😀 \u2028";
        ErrorGroup group = new ErrorGroup("checkout", "key-1", "order <*> failed", hostile, 2,
                T0.plusSeconds(5), T0.plusSeconds(40), "http-nio-8080-exec-1", Mark.NEW,
                Optional.of(new HeldBack(312, T0.minus(Duration.ofMinutes(50)))));
        ErrorGroup plain = new ErrorGroup("checkout", "key-2", "cart <*> locked", "cart 7 locked", 1,
                T0.plusSeconds(7), T0.plusSeconds(7), "");
        Silenced note = new Silenced("deploy-4.2", "deploying checkout 4.2", "checkout", 412,
                T0.minus(Duration.ofHours(2)), T0.minus(Duration.ofHours(1)));
        TimeWindow down = new TimeWindow(T0.minus(Duration.ofMinutes(43)), T0);
        Digest digest = new Digest(Digest.idOf("shop-errors", "checkout", WINDOW), "shop-errors", "checkout", WINDOW,
                List.of(group, plain), 3, 17, List.of(note), Optional.of(down), List.of("13800000000"), false);

        List<DeliveryResult> results = sink(Map.of()).deliver(List.of(digest));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        WebhookReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode doc = JSON.readTree(request.body());
        assertThat(doc.get("version").asInt()).isEqualTo(1);
        assertThat(doc.get("id").asText()).isEqualTo(digest.id());
        assertThat(doc.get("pipeline").asText()).isEqualTo("shop-errors");
        assertThat(doc.get("project").asText()).isEqualTo("checkout");
        assertThat(doc.at("/window/from").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(doc.at("/window/to").asText()).isEqualTo("2026-03-01T10:01:00Z");
        assertThat(doc.at("/catchUp/from").asText()).isEqualTo("2026-03-01T09:17:00Z");
        assertThat(doc.at("/catchUp/to").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(doc.get("late").asBoolean()).isFalse();
        assertThat(doc.get("events").asLong()).isEqualTo(2 + 1 + 17);
        assertThat(doc.get("groupCount").asInt()).isEqualTo(2 + 3);
        assertThat(doc.get("omittedGroups").asInt()).isEqualTo(3);
        assertThat(doc.get("omittedEvents").asLong()).isEqualTo(17);
        JsonNode first = doc.get("groups").get(0);
        assertThat(first.get("template").asText()).isEqualTo("order <*> failed");
        // every character survives the trip: quotes, backslashes, control characters, CJK, emoji, U+2028
        assertThat(first.get("sample").asText()).isEqualTo(hostile);
        assertThat(first.get("count").asLong()).isEqualTo(2);
        assertThat(first.get("firstSeen").asText()).isEqualTo("2026-03-01T10:00:05Z");
        assertThat(first.get("lastSeen").asText()).isEqualTo("2026-03-01T10:00:40Z");
        assertThat(first.get("thread").asText()).isEqualTo("http-nio-8080-exec-1");
        assertThat(first.get("mark").asText()).isEqualTo("new");
        assertThat(first.at("/heldBack/count").asLong()).isEqualTo(312);
        assertThat(first.at("/heldBack/since").asText()).isEqualTo("2026-03-01T09:10:00Z");
        JsonNode second = doc.get("groups").get(1);
        assertThat(second.get("mark").asText()).isEqualTo("none");
        assertThat(second.get("heldBack").isNull()).isTrue();
        assertThat(doc.at("/silenced/0/silence").asText()).isEqualTo("deploy-4.2");
        assertThat(doc.at("/silenced/0/reason").asText()).isEqualTo("deploying checkout 4.2");
        assertThat(doc.at("/silenced/0/events").asLong()).isEqualTo(412);
        assertThat(doc.at("/silenced/0/until").asText()).isEqualTo("2026-03-01T09:00:00Z");
        assertThat(doc.at("/mentions/0").asText()).isEqualTo("13800000000");
    }

    @Test
    void aDigestOfOneWindowHasNoCatchUpAndAHugeMessageIsCut() throws Exception {
        String huge = "x".repeat(DigestJson.MAX_TEXT + 5_000);
        Digest digest = digest("checkout", huge);

        sink(Map.of()).deliver(List.of(digest));

        JsonNode doc = JSON.readTree(receiver.bodies().get(0));
        assertThat(doc.get("catchUp").isNull()).isTrue();
        assertThat(doc.get("silenced")).isEmpty();
        assertThat(doc.get("mentions")).isEmpty();
        assertThat(doc.at("/groups/0/sample").asText()).hasSize(DigestJson.MAX_TEXT + 1).endsWith("x…");
    }

    @Test
    void sendsTheConfiguredHeadersAndTheQuery() {
        sink(Map.of("header.Authorization", "Bearer " + TOKEN, "header.X-Team", "ops"))
                .deliver(List.of(digest("checkout", "boom")));

        WebhookReceiver.Request request = receiver.requests().get(0);
        assertThat(request.path()).isEqualTo("/hooks/logalert");
        assertThat(request.query()).isEqualTo("key=query-key-55aa");
        assertThat(request.header("Authorization")).hasValue("Bearer " + TOKEN);
        assertThat(request.header("X-Team")).hasValue("ops");
    }

    @Test
    void userInfoInTheUrlIsSentAsBasicAuthenticationAndNeverShown() {
        String url = receiver.url("/hooks").replace("http://", "http://alerts:pa55-w0rd-x@");
        JsonWebhookSink sink = JsonWebhookSinkProvider.create(PluginConfig.of(Map.of("url", url)), clock);

        sink.deliver(List.of(digest("checkout", "boom")));

        String expected = "Basic " + Base64.getEncoder().encodeToString(
                "alerts:pa55-w0rd-x".getBytes(StandardCharsets.UTF_8));
        assertThat(receiver.requests().get(0).header("Authorization")).hasValue(expected);
        assertThat(sink.name()).isEqualTo("json-webhook[" + receiver.url("/hooks") + "]")
                .doesNotContain("pa55-w0rd-x").doesNotContain("alerts");
    }

    @Test
    void nameShowsTheUrlWithoutCredentialsOrQueryUnlessANameIsGiven() {
        JsonWebhookSink sink = sink(Map.of("header.Authorization", "Bearer " + TOKEN));
        JsonWebhookSink named = sink(Map.of("name", "ops-webhook"));

        assertThat(sink.name()).isEqualTo("json-webhook[" + receiver.url("/hooks/logalert") + "]");
        assertThat(sink.toString()).isEqualTo(sink.name()).doesNotContain(TOKEN).doesNotContain("query-key-55aa");
        assertThat(named.name()).isEqualTo("ops-webhook");
    }

    @Test
    void anyTwoHundredIsDelivered() {
        receiver.replyNext(Reply.status(202), Reply.status(204));

        List<DeliveryResult> results = sink(Map.of()).deliver(List.of(digest("a", "boom"), digest("b", "boom")));

        assertThat(results).extracting(DeliveryResult::status).containsExactly(Status.DELIVERED, Status.DELIVERED);
    }

    @Test
    void throttledWith429IsRetriedNotBeforeRetryAfterAndTheRestOfTheCallWaits() {
        receiver.replyNext(Reply.status(429, Map.of("Retry-After", "120"), "slow down"));
        List<Digest> digests = List.of(digest("a", "boom"), digest("b", "boom"), digest("c", "boom"));

        List<DeliveryResult> results = sink(Map.of()).deliver(digests);

        assertThat(results).extracting(DeliveryResult::digest).containsExactlyElementsOf(digests);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.retryAfter()).hasValue(clock.instant().plusSeconds(120));
            assertThat(r.reason()).contains("HTTP 429").contains("slow down");
        });
        // a throttling receiver is not asked again in the same run
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void retryAfterAsAnHttpDateIsUnderstood() {
        receiver.replyNext(Reply.status(503, Map.of("Retry-After", "Sun, 01 Mar 2026 10:05:00 GMT"), ""));

        List<DeliveryResult> results = sink(Map.of()).deliver(List.of(digest("a", "boom")));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.retryAfter()).hasValue(Instant.parse("2026-03-01T10:05:00Z"));
            assertThat(r.reason()).contains("HTTP 503");
        });
    }

    @Test
    void aServerErrorIsRetriedLaterAndTheNextDigestIsStillSent() {
        receiver.replyNext(Reply.status(500, "NullPointerException in handler"));

        List<DeliveryResult> results = sink(Map.of()).deliver(List.of(digest("a", "boom"), digest("b", "boom")));

        assertThat(results).extracting(DeliveryResult::status).containsExactly(Status.RETRY_LATER, Status.DELIVERED);
        assertThat(results.get(0).retryAfter()).isEmpty();
        assertThat(results.get(0).reason()).contains("HTTP 500").contains("NullPointerException in handler");
        // one document the receiver cannot take must not hold back the others
        assertThat(receiver.requests()).hasSize(2);
    }

    @Test
    void aClientErrorIsRejectedWithTheStatusAndAShortExcerptOfTheAnswer() {
        String answer = "{\"error\": \"field 'project' is not allowed\",\n  \"detail\": \"" + "y".repeat(500) + "\"}";
        receiver.replyNext(Reply.status(400, answer));

        List<DeliveryResult> results = sink(Map.of()).deliver(List.of(digest("a", "boom"), digest("b", "boom")));

        assertThat(results).extracting(DeliveryResult::status).containsExactly(Status.REJECTED, Status.DELIVERED);
        String reason = results.get(0).reason();
        assertThat(reason).contains("HTTP 400").contains("{\"error\": \"field 'project' is not allowed\", \"detail\"")
                .doesNotContain("\n").endsWith("…");
        assertThat(reason.length()).isLessThan(JsonWebhookSink.EXCERPT_CHARS + 80);
    }

    @Test
    void aRedirectIsRejectedAndNotFollowed() {
        receiver.replyNext(Reply.status(301, Map.of("Location", receiver.url("/elsewhere")), ""));

        List<DeliveryResult> results = sink(Map.of()).deliver(List.of(digest("a", "boom")));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.REJECTED);
            assertThat(r.reason()).contains("HTTP 301").contains("'url'");
        });
        assertThat(receiver.requests()).extracting(WebhookReceiver.Request::path).containsExactly("/hooks/logalert");
    }

    @Test
    void aSecretTheReceiverEchoesIsHiddenInTheReason() {
        receiver.replyNext(Reply.status(401, "token " + TOKEN + " expired; url key=query-key-55aa"));

        List<DeliveryResult> results = sink(Map.of("header.Authorization", "Bearer " + TOKEN))
                .deliver(List.of(digest("a", "boom")));

        assertThat(results.get(0).status()).isEqualTo(Status.REJECTED);
        assertThat(results.get(0).reason()).contains("HTTP 401").contains("token *** expired")
                .doesNotContain(TOKEN).doesNotContain("query-key-55aa");
    }

    @Test
    void aRefusedConnectionIsRetryLaterForEveryDigestWithoutSecrets() {
        String url = WebhookReceiver.refusingUrl("/hooks?key=query-key-55aa");
        JsonWebhookSink sink = JsonWebhookSinkProvider.create(PluginConfig.of(Map.of("url", url,
                "header.Authorization", "Bearer " + TOKEN)), clock);

        List<DeliveryResult> results = sink.deliver(List.of(digest("a", "boom"), digest("b", "boom")));

        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.retryAfter()).isEmpty();
            assertThat(r.reason()).startsWith("cannot connect to the webhook: ").containsIgnoringCase("refused")
                    .doesNotContain(TOKEN)
                    .doesNotContain("query-key-55aa");
        });
    }

    @Test
    void noAnswerWithinTheTimeoutIsRetryLaterAndTheRestOfTheCallWaits() {
        receiver.replyNext(Reply.hang());

        List<DeliveryResult> results = sink(Map.of("timeout", "300ms"))
                .deliver(List.of(digest("a", "boom"), digest("b", "boom")));

        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.reason()).contains("did not answer within 300 ms");
        });
        assertThat(receiver.requests()).hasSize(1);
    }

    private JsonWebhookSink sink(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("url", receiver.url("/hooks/logalert?key=query-key-55aa"));
        return JsonWebhookSinkProvider.create(PluginConfig.of(config), clock);
    }

    private static Digest digest(String project, String message) {
        ErrorGroup group = new ErrorGroup(project, "k", message, message, 1, T0.plusSeconds(1), T0.plusSeconds(1), "");
        return new Digest(Digest.idOf("shop-errors", project, WINDOW), "shop-errors", project, WINDOW, List.of(group),
                0, 0);
    }
}
