package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator answers as the protocol spec says, checked with raw requests rather than with the sink. */
class DingTalkEmulatorTest {

    private static final String SECRET = "SECemulator-secret";
    private static final String MARKDOWN = "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":\"alert x\"}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("tok").secret(SECRET)
            .keywords("alert").clock(clock).start();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        robot.close();
    }

    private JsonNode post(String body) throws Exception {
        return post(body, clock.millis(), Signature.queryValue(clock.millis(), SECRET), "tok");
    }

    private JsonNode post(String body, long timestamp, String sign, String token) throws Exception {
        URI uri = URI.create(robot.baseUrl() + "/robot/send?access_token=" + token + "&timestamp=" + timestamp
                + "&sign=" + sign);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("failures are HTTP 200 too").isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int errcode(JsonNode reply) {
        return reply.path("errcode").asInt();
    }

    @Test
    void acceptsAWellFormedSignedMessageAndRecordsIt() throws Exception {
        JsonNode reply = post(MARKDOWN);

        assertThat(errcode(reply)).isZero();
        assertThat(reply.path("errmsg").asText()).isEqualTo("ok");
        assertThat(robot.accepted()).singleElement().satisfies(m -> {
            assertThat(m.msgtype()).isEqualTo("markdown");
            assertThat(m.text()).isEqualTo("alert x");
        });
    }

    @Test
    void checksTokenSignatureTimestampAndKeywords() throws Exception {
        long now = clock.millis();
        assertThat(errcode(post(MARKDOWN, now, Signature.queryValue(now, SECRET), "other"))).isEqualTo(300005);
        assertThat(post(MARKDOWN, now, Signature.queryValue(now, "SECwrong"), "tok").path("errmsg").asText())
                .isEqualTo("sign not match");
        long stale = now - Duration.ofMinutes(61).toMillis();
        assertThat(post(MARKDOWN, stale, Signature.queryValue(stale, SECRET), "tok").path("errmsg").asText())
                .isEqualTo("invalid timestamp");
        long withinHour = now - Duration.ofMinutes(59).toMillis();
        assertThat(errcode(post(MARKDOWN, withinHour, Signature.queryValue(withinHour, SECRET), "tok"))).isZero();
        JsonNode noKeyword = post("{\"msgtype\":\"text\",\"text\":{\"content\":\"hello\"}}");
        assertThat(errcode(noKeyword)).isEqualTo(310000);
        assertThat(noKeyword.path("errmsg").asText()).isEqualTo("keywords not in content");
    }

    @Test
    void checksTheShapeOfEachMessageTypeAndTheBodySize() throws Exception {
        assertThat(errcode(post("{\"msgtype\":\"markdown\",\"markdown\":{\"text\":\"alert\"}}"))).isEqualTo(40035);
        assertThat(errcode(post("{\"msgtype\":\"video\",\"video\":{}}"))).isEqualTo(400105);
        assertThat(errcode(post("{\"msgtype\":\"actionCard\",\"actionCard\":{\"title\":\"t\",\"text\":\"alert\"}}")))
                .isEqualTo(40035);
        assertThat(errcode(post("{\"msgtype\":\"actionCard\",\"actionCard\":{\"title\":\"t\",\"text\":\"alert\","
                + "\"btns\":[{\"title\":\"b\",\"actionURL\":\"https://x\"}]}}"))).isZero();
        assertThat(errcode(post("not json"))).isEqualTo(40035);
        String big = "{\"msgtype\":\"text\",\"text\":{\"content\":\"alert " + "x".repeat(20_000) + "\"}}";
        assertThat(errcode(post(big))).isEqualTo(460101);
    }

    @Test
    void twentyMessagesAMinuteThenATenMinuteBlock() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(errcode(post(MARKDOWN))).isZero();
        }
        assertThat(errcode(post(MARKDOWN))).isEqualTo(410100);
        assertThat(robot.blockedUntil()).contains(clock.instant().plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(5));
        assertThat(errcode(post(MARKDOWN))).as("still blocked, though the minute is over").isEqualTo(410100);
        clock.advance(Duration.ofMinutes(5));
        assertThat(errcode(post(MARKDOWN))).isZero();
    }

    @Test
    void refusesContentItIsToldToAfterTheOtherChecks() throws Exception {
        robot.refuseContent("casino", 430102);

        assertThat(errcode(post("{\"msgtype\":\"text\",\"text\":{\"content\":\"alert casino\"}}")))
                .isEqualTo(430102);
        assertThat(errcode(post("{\"msgtype\":\"text\",\"text\":{\"content\":\"casino\"}}")))
                .as("the keyword check comes first").isEqualTo(310000);
        assertThat(errcode(post(MARKDOWN))).isZero();
        assertThat(robot.accepted()).hasSize(1);
    }

    @Test
    void injectsChosenErrorsHttpErrorsAndDroppedConnections() throws Exception {
        robot.failNext(1, 430102, "inappropriate text").httpErrorNext(1, 503).dropNext(1);

        assertThat(errcode(post(MARKDOWN))).isEqualTo(430102);
        URI uri = URI.create(robot.url());
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MARKDOWN)).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(robot.exchanges()).extracting(DingTalkEmulator.Exchange::httpStatus).containsExactly(200, 503, 0);
    }

    @Test
    void anOutageMeetsEachRequestWithTheNextFaultUntilItEndsOnTheRobotsClock() throws Exception {
        robot.failUntil(clock.instant().plus(Duration.ofMinutes(10)), DingTalkEmulator.Fault.errcode(-1),
                DingTalkEmulator.Fault.errcode(410100));
        robot.failNext(1, 430102);

        assertThat(errcode(post(MARKDOWN))).as("a queued fault comes first").isEqualTo(430102);
        assertThat(errcode(post(MARKDOWN))).isEqualTo(-1);
        assertThat(errcode(post(MARKDOWN))).isEqualTo(410100);
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(errcode(post(MARKDOWN))).as("from the first fault again").isEqualTo(-1);
        assertThat(robot.accepted()).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(errcode(post(MARKDOWN))).as("the outage is over").isZero();
        assertThat(robot.accepted()).hasSize(1);
    }

    @Test
    void anOutageCanAnswerWithHttpErrorsAndAcceptedMessagesSayWhenTheirReplyWasHeld() throws Exception {
        robot.failUntil(clock.instant().plusSeconds(1), DingTalkEmulator.Fault.httpError(503),
                DingTalkEmulator.Fault.slowReply(Duration.ofMillis(50)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(robot.url() + "&timestamp=" + clock.millis()
                        + "&sign=" + Signature.queryValue(clock.millis(), SECRET)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(MARKDOWN))
                .build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        // the slow reply comes late, but the robot took the message as it arrived
        assertThat(errcode(post(MARKDOWN))).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(errcode(post(MARKDOWN))).isZero();

        assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::replyDelay)
                .containsExactly(Duration.ofMillis(50), Duration.ZERO);
    }

    @Test
    void recordsWhatTheGroupWouldSeeInterpretedAndWhoIsNotified() throws Exception {
        assertThat(errcode(post("{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"t\",\"text\":"
                + "\"#### alert\\n[pay](http://evil.example) `[x](http://code.example)` @138\"},"
                + "\"at\":{\"atMobiles\":[\"138\"],\"isAtAll\":true}}"))).isZero();
        assertThat(errcode(post("{\"msgtype\":\"text\",\"text\":{\"content\":\"alert # [a](http://a.example)\"}}")))
                .isZero();

        EmulatorRendering markdown = robot.accepted().get(0).rendered();
        assertThat(markdown.headings()).containsExactly("alert");
        assertThat(markdown.links()).as("DingTalk documents no code spans: their text is read as markdown")
                .extracting(EmulatorRendering.Link::target)
                .containsExactly("http://evil.example", "http://code.example");
        assertThat(markdown.mentions()).containsExactly("138", "@all");
        EmulatorRendering text = robot.accepted().get(1).rendered();
        assertThat(text.headings()).isEmpty();
        assertThat(text.links()).containsExactly(
                new EmulatorRendering.Link("http://a.example", "http://a.example", true));

        assertThat(errcode(post("{\"msgtype\":\"actionCard\",\"actionCard\":{\"title\":\"t\",\"text\":\"alert\","
                + "\"btns\":[{\"title\":\"Kibana\",\"actionURL\":\"https://kibana.example\"}]}}"))).isZero();
        assertThat(robot.accepted().get(2).rendered().links()).as("a button is a link the structure makes")
                .containsExactly(new EmulatorRendering.Link("Kibana", "https://kibana.example", false));
    }

    @Test
    void aHungRequestIsNeitherAnsweredNorDelivered() throws Exception {
        robot.hangNext(1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(robot.url() + "&timestamp=" + clock.millis()
                        + "&sign=" + Signature.queryValue(clock.millis(), SECRET)))
                .header("Content-Type", "application/json").timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(MARKDOWN)).build();

        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(errcode(post(MARKDOWN))).isZero();
        assertThat(robot.accepted()).hasSize(1);
        assertThat(robot.exchanges()).extracting(DingTalkEmulator.Exchange::httpStatus).containsExactly(0, 200);
    }
}
