package io.logalert.sink.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.sink.robot.RobotEmulator;
import io.logalert.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator answers as a Feishu/Lark custom bot does, checked with raw requests over HTTP rather than a sink. */
class FeishuEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "d3Yp5qu8PJ0gZbOMLqfBHd";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final FeishuEmulator bot = FeishuEmulator.builder().token("0f5a-token").secret(SECRET).clock(clock)
            .start();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        bot.close();
    }

    private HttpResponse<String> send(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code message} signed now with {@code secret}. */
    private ObjectNode signed(ObjectNode message, long seconds, String secret) {
        return message.put("timestamp", Long.toString(seconds)).put("sign", FeishuSignature.sign(seconds, secret));
    }

    private ObjectNode signed(ObjectNode message) {
        return signed(message, clock.instant().getEpochSecond(), SECRET);
    }

    private static ObjectNode text(String text) {
        ObjectNode message = JSON.createObjectNode().put("msg_type", "text");
        message.putObject("content").put("text", text);
        return message;
    }

    private JsonNode post(JsonNode message) throws Exception {
        return JSON.readTree(send(bot.url(), message.toString()).body());
    }

    private static int code(JsonNode reply) {
        return reply.path("code").asInt(Integer.MIN_VALUE);
    }

    @Test
    void acceptsASignedCardAndReadsWhatItsLarkMdWouldShow() throws Exception {
        ObjectNode message = JSON.createObjectNode().put("msg_type", "interactive");
        ObjectNode card = message.putObject("card");
        card.putObject("header").putObject("title").put("tag", "plain_text").put("content", "alert: checkout");
        card.putArray("elements").add(JSON.readTree("{\"tag\":\"div\",\"text\":{\"tag\":\"lark_md\","
                + "\"content\":\"**1,204×** [x](http://evil.example) <at id=all></at>\"}}"))
                .add(JSON.readTree("{\"tag\":\"action\",\"actions\":[{\"tag\":\"button\",\"text\":{\"tag\":"
                        + "\"plain_text\",\"content\":\"Open\"},\"url\":\"https://kibana.example/x\"}]}"));

        HttpResponse<String> response = send(bot.url(), signed(message).toString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "{\"StatusCode\":0,\"StatusMessage\":\"success\",\"code\":0,\"data\":{},\"msg\":\"success\"}"));
        assertThat(bot.accepted()).singleElement().satisfies(m -> {
            assertThat(m.msgType()).isEqualTo("interactive");
            assertThat(m.title()).isEqualTo("alert: checkout");
            assertThat(m.text()).contains("**1,204×**").contains("Open");
            assertThat(m.rendering().links()).containsExactlyInAnyOrder(
                    new EmulatorRendering.Link("x", "http://evil.example", false),
                    new EmulatorRendering.Link("Open", "https://kibana.example/x", false));
            assertThat(m.rendering().mentions()).containsExactly("all");
            assertThat(m.rendering().headings()).as("lark_md has no headings").isEmpty();
        });
    }

    @Test
    void checksTheSignatureAndItsOneHourWindowInTheBody() throws Exception {
        long now = clock.instant().getEpochSecond();
        JsonNode wrongSecret = post(signed(text("a"), now, "not-the-secret"));
        assertThat(code(wrongSecret)).isEqualTo(19021);
        assertThat(wrongSecret.path("msg").asText())
                .isEqualTo("sign match fail or timestamp is not within one hour from current time");
        long stale = now - Duration.ofMinutes(61).toSeconds();
        assertThat(code(post(signed(text("b"), stale, SECRET)))).isEqualTo(19021);
        long withinHour = now - Duration.ofMinutes(59).toSeconds();
        assertThat(code(post(signed(text("c"), withinHour, SECRET)))).isZero();
        assertThat(code(post(text("unsigned")))).isEqualTo(19021);
        assertThat(code(post(signed(text("millis"), clock.millis(), SECRET)))).as("seconds, not milliseconds")
                .isEqualTo(19021);

        try (FeishuEmulator open = FeishuEmulator.builder().clock(clock).start()) {
            HttpResponse<String> response = send(open.url(), signed(text("d"), now, "any").toString());
            assertThat(code(JSON.readTree(response.body()))).as("a bot without a secret ignores the signature")
                    .isZero();
        }
        assertThat(bot.accepted()).extracting(FeishuEmulator.Accepted::text).containsExactly("c");
    }

    @Test
    void checksTheTokenTheAddressAndTheKeywords() throws Exception {
        JsonNode wrongToken = JSON.readTree(send(bot.baseUrl() + FeishuEmulator.HOOK_PATH + "other",
                signed(text("a")).toString()).body());
        assertThat(code(wrongToken)).isEqualTo(19001);

        try (FeishuEmulator guarded = FeishuEmulator.builder().allowedIps("10.0.0.1").clock(clock).start();
                FeishuEmulator keyed = FeishuEmulator.builder().keywords("alert").clock(clock).start()) {
            JsonNode ip = JSON.readTree(send(guarded.url(), text("a").toString()).body());
            assertThat(code(ip)).isEqualTo(19022);
            assertThat(ip.path("msg").asText()).isEqualTo("Ip Not Allowed");
            JsonNode keyword = JSON.readTree(send(keyed.url(), text("hello").toString()).body());
            assertThat(code(keyword)).isEqualTo(19024);
            assertThat(keyword.path("msg").asText()).isEqualTo("Key Words Not Found");
            assertThat(code(JSON.readTree(send(keyed.url(), text("an alert").toString()).body()))).isZero();
        }
    }

    @Test
    void fiveASecondAndAHundredAMinuteOverTheRateIsHttp400Code9499() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(code(post(signed(text("burst " + i))))).isZero();
        }
        HttpResponse<String> refused = send(bot.url(), signed(text("sixth")).toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("code").asInt()).isEqualTo(9499);
        assertThat(JSON.readTree(refused.body()).path("msg").asText()).isEqualTo("too many request");

        clock.advance(Duration.ofSeconds(1));
        // 95 more, five in each second: the minute's hundredth lands 19 s after the first
        for (int second = 0; second < 19; second++) {
            for (int i = 0; i < 5; i++) {
                assertThat(code(post(signed(text("steady"))))).isZero();
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(code(post(signed(text("101st"))))).as("the second is free, the minute is not").isEqualTo(9499);
        clock.advance(Duration.ofSeconds(40));
        assertThat(code(post(signed(text("the first burst left the minute"))))).isZero();
        assertThat(bot.accepted()).hasSize(101);
    }

    @Test
    void bodiesOverTwentyThousandBytesAreABadRequest() throws Exception {
        ObjectNode message = signed(text(""));
        int room = 20_000 - message.toString().length();
        ObjectNode atLimit = signed(text("x".repeat(room)));
        assertThat(atLimit.toString()).hasSize(20_000);
        assertThat(code(post(atLimit))).isZero();

        HttpResponse<String> over = send(bot.url(), signed(text("x".repeat(room + 1))).toString());
        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(code(JSON.readTree(over.body()))).isEqualTo(9499);
        assertThat(bot.exchanges()).extracting(RobotEmulator.Exchange::bodyBytes).containsExactly(20_000, 20_001);
    }

    @Test
    void checksTheShapeOfEachMessageType() throws Exception {
        JsonNode noType = post(signed(JSON.createObjectNode()));
        assertThat(code(noType)).isEqualTo(19002);
        assertThat(noType.path("msg").asText()).isEqualTo("params error, msg_type need");
        assertThat(code(post(signed(JSON.createObjectNode().put("msg_type", "video"))))).isEqualTo(19002);
        assertThat(code(post(signed(text(""))))).isEqualTo(19002);
        assertThat(code(post(signed((ObjectNode) JSON.readTree("{\"msg_type\":\"interactive\"}"))))).isEqualTo(19002);
        assertThat(code(post(signed((ObjectNode) JSON.readTree(
                "{\"msg_type\":\"image\",\"content\":{\"image_key\":\"img_ecffc3b9\"}}"))))).isZero();
        HttpResponse<String> notJson = send(bot.url(), "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(code(JSON.readTree(notJson.body()))).isEqualTo(9499);

        assertThat(bot.accepted()).singleElement().satisfies(m -> assertThat(m.rendering().images())
                .containsExactly("img_ecffc3b9"));
    }

    @Test
    void readsMentionsAndLinksOfTextAndPostMessages() throws Exception {
        assertThat(code(post(signed(text("<at user_id=\"ou_7d8a6e6d\">Tom</at> see [docs](http://x.example) "
                + "and https://y.example/z"))))).isZero();
        assertThat(code(post(signed((ObjectNode) JSON.readTree("{\"msg_type\":\"post\",\"content\":{\"post\":"
                + "{\"zh_cn\":{\"title\":\"checkout\",\"content\":[["
                + "{\"tag\":\"text\",\"text\":\"[not](http://a.link)\"},"
                + "{\"tag\":\"a\",\"text\":\"Kibana\",\"href\":\"https://kibana.example\"},"
                + "{\"tag\":\"at\",\"user_id\":\"all\"}]]}}}}"))))).isZero();

        EmulatorRendering text = bot.accepted().get(0).rendering();
        assertThat(text.mentions()).containsExactly("ou_7d8a6e6d");
        assertThat(text.links()).extracting(EmulatorRendering.Link::target)
                .containsExactly("http://x.example", "https://y.example/z");
        FeishuEmulator.Accepted post = bot.accepted().get(1);
        assertThat(post.title()).isEqualTo("checkout");
        assertThat(post.rendering().links()).as("a post's text element is plain: its URL may be linked, its markup not")
                .containsExactly(new EmulatorRendering.Link("http://a.link", "http://a.link", true),
                        new EmulatorRendering.Link("Kibana", "https://kibana.example", false));
        assertThat(post.rendering().mentions()).containsExactly("all");
    }

    @Test
    void injectedCodesKeepFeishusHttpStatusAndHungRequestsDeliverNothing() throws Exception {
        bot.failNext(1, 9499).failNext(1, 11232).hangNext(1).dropNext(1);

        HttpResponse<String> rate = send(bot.url(), signed(text("a")).toString());
        assertThat(rate.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(rate.body()).path("msg").asText()).isEqualTo("too many request");
        HttpResponse<String> peak = send(bot.url(), signed(text("b")).toString());
        assertThat(peak.statusCode()).isEqualTo(200);
        assertThat(code(JSON.readTree(peak.body()))).isEqualTo(11232);
        HttpRequest hung = HttpRequest.newBuilder(URI.create(bot.url())).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(signed(text("c")).toString())).build();
        assertThatThrownBy(() -> http.send(hung, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThatThrownBy(() -> send(bot.url(), signed(text("d")).toString())).isInstanceOf(IOException.class);
        assertThat(code(post(signed(text("e"))))).isZero();

        assertThat(bot.accepted()).extracting(FeishuEmulator.Accepted::text).containsExactly("e");
        assertThat(bot.exchanges()).extracting(RobotEmulator.Exchange::httpStatus).containsExactly(400, 200, 0, 0, 200);
    }
}
