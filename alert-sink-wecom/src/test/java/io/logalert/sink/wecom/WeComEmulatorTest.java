package io.logalert.sink.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The emulator answers as WeCom's group robot does, checked with raw requests over HTTP rather than with a sink. */
class WeComEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final WeComEmulator robot = WeComEmulator.builder().key(KEY).clock(clock).start();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        robot.close();
    }

    private HttpResponse<String> send(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(String body) throws Exception {
        HttpResponse<String> response = send(robot.url(), body);
        assertThat(response.statusCode()).as("WeCom answers refusals with HTTP 200 too").isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String text(String content) {
        ObjectNode message = JSON.createObjectNode().put("msgtype", "text");
        message.putObject("text").put("content", content);
        return message.toString();
    }

    private static String markdown(String content) {
        ObjectNode message = JSON.createObjectNode().put("msgtype", "markdown");
        message.putObject("markdown").put("content", content);
        return message.toString();
    }

    private static int errcode(JsonNode reply) {
        return reply.path("errcode").asInt(Integer.MIN_VALUE);
    }

    @Test
    void acceptsATextMessageAndRecordsWhoItNotifies() throws Exception {
        JsonNode reply = post("{\"msgtype\":\"text\",\"text\":{\"content\":\"checkout down <@wangqing>\","
                + "\"mentioned_list\":[\"@all\"],\"mentioned_mobile_list\":[\"13800001111\"]}}");

        assertThat(reply).isEqualTo(JSON.readTree("{\"errcode\":0,\"errmsg\":\"ok\"}"));
        assertThat(robot.accepted()).singleElement().satisfies(m -> {
            assertThat(m.msgtype()).isEqualTo("text");
            assertThat(m.content()).isEqualTo("checkout down <@wangqing>");
            assertThat(m.mentionedList()).containsExactly("@all");
            assertThat(m.mentionedMobileList()).containsExactly("13800001111");
            assertThat(m.rendering().mentions()).containsExactlyInAnyOrder("wangqing", "@all", "13800001111");
            assertThat(m.receivedAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void aWrongOrMissingKeyIs93000WithWeComsHintTail() throws Exception {
        String wrongKey = robot.baseUrl() + WeComEmulator.SEND_PATH + "?key=not-the-key";
        JsonNode wrong = JSON.readTree(send(wrongKey, text("hello")).body());
        JsonNode missing = JSON.readTree(send(robot.baseUrl() + WeComEmulator.SEND_PATH, text("hello")).body());

        assertThat(errcode(wrong)).isEqualTo(93000);
        assertThat(wrong.path("errmsg").asText()).startsWith("invalid webhook url, hint: [")
                .contains("from ip: 127.0.0.1")
                .endsWith("more info at https://open.work.weixin.qq.com/devtool/query?e=93000");
        assertThat(errcode(missing)).isEqualTo(93000);
        assertThat(robot.accepted()).isEmpty();
        assertThat(robot.answered(93000)).isEqualTo(2);
    }

    @Test
    void contentLimitsAreCountedInUtf8Bytes() throws Exception {
        // 1,365 three-byte characters and one byte: exactly 4,096 bytes, though only 1,366 characters
        String atLimit = "错".repeat(1_365) + "x";
        assertThat(errcode(post(markdown(atLimit)))).isZero();
        JsonNode over = post(markdown(atLimit + "x"));
        assertThat(errcode(over)).isEqualTo(40058);
        assertThat(over.path("errmsg").asText()).startsWith("markdown.content exceed max length 4096.");

        String textAtLimit = "错".repeat(682) + "xx";
        assertThat(textAtLimit.getBytes(StandardCharsets.UTF_8)).hasSize(WeComEmulator.MAX_TEXT_BYTES);
        assertThat(errcode(post(text(textAtLimit)))).isZero();
        assertThat(post(text(textAtLimit + "x")).path("errmsg").asText())
                .startsWith("text.content exceed max length 2048.");

        assertThat(robot.accepted()).extracting(WeComEmulator.Accepted::contentBytes).containsExactly(4_096, 2_048);
    }

    @Test
    void twentyMessagesInAnySixtySecondsThen45009UntilTheWindowMoves() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(errcode(post(text("m" + i)))).isZero();
            clock.advance(Duration.ofSeconds(1));
        }
        JsonNode refused = post(text("one too many"));
        assertThat(errcode(refused)).isEqualTo(45009);
        assertThat(refused.path("errmsg").asText()).startsWith("api freq out of limit, hint: [");
        assertThat(robot.blockedUntil()).as("WeCom documents no block beyond the window").isEmpty();

        // the first message was sent 20 s ago; the window frees one place when it is 60 s old
        clock.advance(Duration.ofSeconds(39).plusMillis(999));
        assertThat(errcode(post(text("still full")))).isEqualTo(45009);
        clock.advance(Duration.ofMillis(1));
        assertThat(errcode(post(text("a place freed")))).isZero();
        assertThat(errcode(post(text("and only one")))).isEqualTo(45009);
        assertThat(robot.accepted()).hasSize(21);
    }

    @Test
    void checksTheShapeOfEachMessageType() throws Exception {
        assertThat(errcode(post("{\"msgtype\":\"video\",\"video\":{}}"))).isEqualTo(40008);
        assertThat(errcode(post("{\"text\":{\"content\":\"no type\"}}"))).isEqualTo(40008);
        assertThat(errcode(post(text("")))).isEqualTo(44004);
        assertThat(errcode(post("not json"))).isEqualTo(47001);
        assertThat(errcode(post("{\"msgtype\":\"markdown_v2\",\"markdown_v2\":{\"content\":\"# ok\"}}"))).isZero();
        assertThat(errcode(post("{\"msgtype\":\"file\",\"file\":{}}"))).isEqualTo(40058);
        assertThat(errcode(post("{\"msgtype\":\"file\",\"file\":{\"media_id\":\"3a8asd892\"}}"))).isZero();

        ObjectNode nine = JSON.createObjectNode().put("msgtype", "news");
        ArrayNode articles = nine.putObject("news").putArray("articles");
        for (int i = 0; i < 9; i++) {
            articles.addObject().put("title", "t" + i).put("url", "https://x");
        }
        assertThat(errcode(post(nine.toString()))).as("at most 8 articles").isEqualTo(40058);

        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        String base64 = Base64.getEncoder().encodeToString(png);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(png));
        assertThat(errcode(post("{\"msgtype\":\"image\",\"image\":{\"base64\":\"" + base64 + "\",\"md5\":\""
                + "0".repeat(32) + "\"}}"))).isEqualTo(40058);
        assertThat(errcode(post("{\"msgtype\":\"image\",\"image\":{\"base64\":\"" + base64 + "\",\"md5\":\"" + md5
                + "\"}}"))).isZero();

        assertThat(robot.accepted()).extracting(WeComEmulator.Accepted::msgtype)
                .containsExactly("markdown_v2", "file", "image");
    }

    @Test
    void markdownRecordsWhatItWouldInterpretAndIgnoresMentionLists() throws Exception {
        String content = "### checkout\n[pay here](http://evil.example)\n`[inert](http://in.code)`\n"
                + "see https://bare.example/x now <@lisi>\n#not-a-heading";
        ObjectNode message = JSON.createObjectNode().put("msgtype", "markdown");
        message.putObject("markdown").put("content", content).putArray("mentioned_list").add("@all");

        assertThat(errcode(post(message.toString()))).isZero();

        EmulatorRendering rendering = robot.accepted().get(0).rendering();
        assertThat(rendering.headings()).containsExactly("checkout");
        assertThat(rendering.links()).containsExactly(
                new EmulatorRendering.Link("pay here", "http://evil.example", false),
                new EmulatorRendering.Link("https://bare.example/x", "https://bare.example/x", true));
        assertThat(rendering.codeSpans()).containsExactly("[inert](http://in.code)");
        assertThat(rendering.mentions()).as("markdown notifies only <@userid> in its content").containsExactly("lisi");
        assertThat(rendering.images()).as("WeCom markdown shows no images").isEmpty();
    }

    @Test
    void injectsChosenCodesHttpErrorsDroppedConnectionsAndSlowReplies() throws Exception {
        robot.failNext(1, 45009).httpErrorNext(1, 502).dropNext(1).delayNext(1, Duration.ofMillis(50));

        JsonNode injected = post(text("a"));
        assertThat(errcode(injected)).isEqualTo(45009);
        assertThat(injected.path("errmsg").asText()).isEqualTo("api freq out of limit");
        assertThat(send(robot.url(), text("b")).statusCode()).isEqualTo(502);
        assertThatThrownBy(() -> send(robot.url(), text("c"))).isInstanceOf(IOException.class);
        assertThat(errcode(post(text("d")))).as("a slow reply still delivers").isZero();

        assertThat(robot.accepted()).singleElement().satisfies(m -> {
            assertThat(m.content()).isEqualTo("d");
            assertThat(m.replyDelay()).isEqualTo(Duration.ofMillis(50));
        });
        assertThat(robot.exchanges()).extracting(RobotEmulator.Exchange::httpStatus)
                .containsExactly(200, 502, 0, 200);
    }

    @Test
    void aHungRequestIsNeitherAnsweredNorDelivered() throws Exception {
        robot.hangNext(1);

        HttpRequest request = HttpRequest.newBuilder(URI.create(robot.url()))
                .header("Content-Type", "application/json").timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(text("lost"))).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(errcode(post(text("next")))).isZero();
        assertThat(robot.accepted()).extracting(WeComEmulator.Accepted::content).containsExactly("next");
        assertThat(robot.exchanges()).extracting(RobotEmulator.Exchange::httpStatus).containsExactly(0, 200);
    }

    @Test
    void anOutageCyclesItsFaultsUntilItEndsOnTheRobotsClock() throws Exception {
        robot.failUntil(clock.instant().plus(Duration.ofMinutes(5)), RobotEmulator.Fault.errcode(-1),
                RobotEmulator.Fault.errcode(45009, "api freq out of limit, hint: [x]"));

        assertThat(errcode(post(text("a")))).isEqualTo(-1);
        JsonNode second = post(text("b"));
        assertThat(second.path("errmsg").asText()).isEqualTo("api freq out of limit, hint: [x]");
        assertThat(errcode(post(text("c")))).isEqualTo(-1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(errcode(post(text("d")))).isZero();
        assertThat(robot.accepted()).extracting(WeComEmulator.Accepted::content).containsExactly("d");
    }

    @Test
    void refusesChosenContentAfterItsOtherChecksAndResetForgetsEverything() throws Exception {
        robot.refuseContent("casino", 40058);
        assertThat(errcode(post(text("casino night")))).isEqualTo(40058);
        assertThat(errcode(post(text("")))).as("empty content is found first").isEqualTo(44004);
        assertThat(errcode(post(text("fine")))).isZero();

        robot.reset();
        assertThat(robot.accepted()).isEmpty();
        assertThat(robot.exchanges()).isEmpty();
        assertThat(errcode(post(text("casino again")))).isZero();
        assertThat(List.of(robot.key(), robot.url())).allSatisfy(s -> assertThat(s).contains(KEY));
    }
}
