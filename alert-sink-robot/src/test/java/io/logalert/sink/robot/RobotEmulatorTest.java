package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every emulator inherits: routing, rate windows and blocks on the robot's clock, faults, records. */
class RobotEmulatorTest {

    /** The smallest platform: it accepts any body as a message, and answers {"code":…,"msg":…}. */
    private static final class PlainEmulator extends RobotEmulator<String, PlainEmulator> {

        /** Two a second and three a minute, blocked for {@code block} after an overflow. */
        static final class Builder extends Settings<Builder> {
            Builder(int perMinute, Duration block) {
                super(perMinute, block);
            }
        }

        PlainEmulator(Builder settings, RateLimit... more) {
            super("plain", settings, more);
        }

        @Override
        protected boolean serves(String path) {
            return path.equals("/send");
        }

        @Override
        protected Reply<String> judge(Request request) {
            if (!withinRate(request.receivedAt())) {
                return Reply.refuse(429, 7, "slow down");
            }
            String text = new String(request.body(), StandardCharsets.UTF_8);
            return refusal(text).<Reply<String>>map(code -> Reply.refuse(code, "refused"))
                    .orElseGet(() -> Reply.accept(text, "ok"));
        }

        @Override
        protected Map<String, Object> answer(int code, String message) {
            return Map.of("code", code, "msg", message);
        }

        @Override
        protected String defaultMessage(int code) {
            return "usual message for " + code;
        }
    }

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private PlainEmulator robot = new PlainEmulator(new PlainEmulator.Builder(3, Duration.ZERO).clock(clock),
            new RobotEmulator.RateLimit(2, Duration.ofSeconds(1)));

    @AfterEach
    void stop() {
        robot.close();
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(robot.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnlyItsPathsAndOnlyPost() throws Exception {
        assertThat(send("/other", "x").statusCode()).isEqualTo(404);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(robot.baseUrl() + "/send")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(404);
        HttpResponse<String> ok = send("/send", "hello");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"code\":0").contains("\"msg\":\"ok\"");
        assertThat(robot.accepted()).containsExactly("hello");
        assertThat(robot.exchanges()).extracting(RobotEmulator.Exchange::httpStatus).containsExactly(404, 404, 200);
        assertThat(robot.toString()).isEqualTo("PlainEmulator[" + robot.baseUrl() + "]");
    }

    @Test
    void everyRateWindowMustHaveRoomAndRefusalsAreNotCounted() throws Exception {
        assertThat(send("/send", "1").statusCode()).isEqualTo(200);
        assertThat(send("/send", "2").statusCode()).isEqualTo(200);
        assertThat(send("/send", "3").statusCode()).as("two a second").isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(send("/send", "4").statusCode()).isEqualTo(200);
        assertThat(send("/send", "5").statusCode()).as("three a minute").isEqualTo(429);
        clock.advance(Duration.ofSeconds(59));
        assertThat(send("/send", "6").statusCode()).as("the first two left the minute").isEqualTo(200);

        assertThat(robot.accepted()).containsExactly("1", "2", "4", "6");
        assertThat(robot.answered(7)).isEqualTo(2);
        assertThat(robot.blockedUntil()).isEmpty();
    }

    @Test
    void aBlockPeriodRefusesEverythingAfterAnOverflowUntilItEndsOrAReset() throws Exception {
        robot.close();
        robot = new PlainEmulator(new PlainEmulator.Builder(1, Duration.ofMinutes(10)).clock(clock));
        send("/send", "1");
        assertThat(send("/send", "2").statusCode()).isEqualTo(429);
        assertThat(robot.blockedUntil()).contains(clock.instant().plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(9));
        assertThat(send("/send", "3").statusCode()).as("the minute is over, the block is not").isEqualTo(429);
        clock.advance(Duration.ofMinutes(1));
        assertThat(send("/send", "4").statusCode()).isEqualTo(200);

        send("/send", "5");
        assertThat(robot.blockedUntil()).isPresent();
        robot.reset();
        assertThat(robot.blockedUntil()).isEmpty();
        assertThat(send("/send", "6").statusCode()).isEqualTo(200);
        assertThat(robot.accepted()).containsExactly("6");
    }

    @Test
    void injectedCodesUseThePlatformsUsualMessageUnlessOneIsGiven() throws Exception {
        robot.failNext(1, 5).failNext(1, 6, "chosen").refuseContent("casino", 8);

        assertThat(send("/send", "a").body()).contains("\"msg\":\"usual message for 5\"");
        assertThat(send("/send", "b").body()).contains("\"msg\":\"chosen\"");
        assertThat(send("/send", "casino").body()).contains("\"code\":8");
        assertThat(robot.exchanges()).extracting(RobotEmulator.Exchange::errcode).extracting(o -> o.orElseThrow())
                .containsExactly(5, 6, 8);
        assertThat(robot.accepted()).isEmpty();
    }

    @Test
    void rejectsUnusableSettings() {
        assertThatThrownBy(() -> new RobotEmulator.RateLimit(0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rate limit needs at least 1 request in a positive period, not 0 per PT1M");
        assertThatThrownBy(() -> robot.failUntil(clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("an outage needs at least one fault");
    }
}
