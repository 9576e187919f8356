package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.spi.SinkObserver;
import io.logalert.testing.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The robot core with the smallest platform there can be, against a server on loopback that answers what each test
 * queues: what every platform gets without writing it.
 */
class RobotSinkTest {

    private static final String KEY = "the-secret-key";
    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));
    private static final ErrorTable TABLE = ErrorTable.builder("Test")
            .field("code", "msg")
            .code(0, Action.DELIVERED, "ok")
            .code(-1, Action.RETRY, "busy")
            .code(45009, Action.THROTTLED, "sending too fast")
            .code(93000, Action.ROBOT_REJECTED, "invalid key", "check 'webhook'")
            .code(430102, Action.CONTENT_REJECTED, "inappropriate text")
            .httpAdvice("check 'webhook'")
            .build();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final Deque<String> answers = new ArrayDeque<>();
    private final List<String> received = new ArrayList<>();
    private final HttpServer server;

    RobotSinkTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/send", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer;
            synchronized (this) {
                received.add(body);
                answer = answers.isEmpty() ? "200 {\"code\":0,\"msg\":\"ok\"}" : answers.poll();
                if (answer.startsWith("refuse ")) {
                    String[] word = answer.split(" ", 3);
                    if (body.contains(word[1])) {
                        answer = word[2];
                    } else {
                        answers.addFirst(answer);
                        answer = "200 {\"code\":0,\"msg\":\"ok\"}";
                    }
                }
            }
            byte[] bytes = answer.substring(4).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer.substring(0, 3)), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A platform with the key in the query and the text in a JSON body. */
    private final class TestPlatform implements RobotPlatform {

        private final MessageRenderer renderer;

        TestPlatform(MessageRenderer.Settings settings) {
            this.renderer = new MessageRenderer(settings, draft -> JsonBodies.write(Map.of("text", draft.text())));
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public String displayName() {
            return "Test";
        }

        @Override
        public String robotKey() {
            return Redactor.sha256(KEY);
        }

        @Override
        public String host() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public String redacted() {
            return "http://" + host() + "/send?key=***";
        }

        @Override
        public Redactor redactor() {
            return Redactor.of(List.of(KEY));
        }

        @Override
        public MessageRenderer renderer() {
            return renderer;
        }

        @Override
        public HttpRequest.Builder request(OutgoingMessage message, Instant now) {
            return HttpRequest.newBuilder(URI.create("http://" + host() + "/send?key=" + KEY))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        }

        @Override
        public Verdict interpret(int status, String body) {
            return TABLE.interpret(status, body, host(), redacted(), redactor());
        }

        @Override
        public String throttleCodes() {
            return "code 45009";
        }
    }

    /** The platform's builder: no keys of its own but one that must be set. */
    private final class Settings extends RobotSettings<Settings> {

        private boolean keySet = true;

        Settings() {
            super(new Limits(1_000, 4_096, 20, Duration.ofMinutes(1)));
        }

        @Override
        protected Settings self() {
            return this;
        }

        @Override
        protected void platformProblems(List<String> problems) {
            if (!keySet) {
                problems.add("'webhook' is required");
            }
        }

        RobotSink build() {
            assertThat(problems()).isEmpty();
            return new RobotSink(new TestPlatform(rendererSettings(Markups.weComMarkdown(), List.of(), true)), this);
        }
    }

    private Settings settings() {
        return new Settings().clock(clock).sleeper(d -> {
            sleeps.add(d);
            clock.advance(d);
        }).random(new SplittableRandom(7)).budgets(new RateBudgets());
    }

    private static Digest digest(String project, String message) {
        ErrorGroup group = new ErrorGroup(project, project + "/k", "failure <*>", message, 3, WINDOW.from(),
                WINDOW.to(), "worker-1");
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, List.of(group), 0, 0);
    }

    /** Records what a sink tells its observer. */
    private static final class Heard implements SinkObserver {
        final List<String> codes = new ArrayList<>();
        final List<Duration> waits = new ArrayList<>();

        @Override
        public void answered(String code) {
            codes.add(code);
        }

        @Override
        public void throttled(Duration waited) {
            waits.add(waited);
        }
    }

    @Test
    void theObserverHearsEveryAnswerAndEveryWaitAfterARateAnswer() {
        answers.addAll(List.of("429 slow down", "200 {\"code\":-1,\"msg\":\"busy\"}"));
        RobotSink sink = settings().build();
        Heard heard = new Heard();
        sink.observe(heard);

        List<DeliveryResult> results = sink.deliver(List.of(digest("shop", "failure 1")));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(heard.codes).containsExactly("429", "-1", "0");
        assertThat(sleeps).hasSize(2);
        // only the wait after "too many requests" is a throttle; the one after "busy" is a plain retry
        assertThat(heard.waits).containsExactly(sleeps.get(0));
    }

    @Test
    void aThrottledRobotIsLeftAloneForTheBlockPeriod() {
        answers.add("200 {\"code\":45009,\"msg\":\"api freq out of limit\"}");
        RobotSink sink = settings().build();

        DeliveryResult first = sink.deliver(List.of(digest("shop", "failure 1"))).get(0);
        clock.advance(Duration.ofSeconds(30));
        DeliveryResult second = sink.deliver(List.of(digest("shop", "failure 1"))).get(0);

        assertThat(first.status()).isEqualTo(DeliveryResult.Status.RETRY_LATER);
        assertThat(first.reason()).contains("Test code 45009 (sending too fast): api freq out of limit");
        assertThat(first.retryAfter()).contains(Instant.parse("2026-03-01T10:06:00Z"));
        assertThat(second.reason()).contains("the robot is throttled (code 45009) until 2026-03-01T10:06:00Z");
        assertThat(received).hasSize(1);
    }

    @Test
    void aWrongSettingRejectsWithAdviceAndSendsNothingMore() {
        answers.add("200 {\"code\":93000,\"msg\":\"invalid webhook url the-secret-key\"}");
        RobotSink sink = settings().build();

        List<DeliveryResult> results = sink.deliver(List.of(digest("shop", "a"), digest("billing", "b")));

        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(DeliveryResult.Status.REJECTED);
            assertThat(r.reason()).contains("93000", "check 'webhook'").doesNotContain(KEY);
        });
        assertThat(received).hasSize(1);
        assertThat(sink.toString()).doesNotContain(KEY);
        assertThat(sink.name()).isEqualTo("test[" + "127.0.0.1:" + server.getAddress().getPort() + ", robot "
                + Redactor.fingerprint(KEY) + "]");
    }

    @Test
    void refusedLogTextIsWithheldAndTheRestDelivered() {
        answers.add("refuse casino 200 {\"code\":430102,\"msg\":\"inappropriate text\"}");
        RobotSink sink = settings().build();

        DeliveryResult result = sink.deliver(List.of(digest("shop", "casino bonus declined"))).get(0);

        assertThat(result.isDelivered()).isTrue();
        assertThat(received).hasSize(2);
        assertThat(received.get(1)).doesNotContain("casino").contains("withheld");
    }

    @Test
    void everyProblemOfTheSettingsIsListedAtOnce() {
        Settings settings = settings().maxBodyBytes(5_000).messagesPerMinute(0).title("{oops}")
                .actionUrl("ftp://x").requestTimeout(Duration.ZERO);
        settings.keySet = false;

        assertThat(settings.problems()).containsExactly("'webhook' is required",
                "'title' has the unknown placeholder {oops}; known: {project}, {events}, {groups}, {from}, {to}, "
                        + "{pipeline}",
                "'action-url' must be an http(s) URL, was 'ftp://x'",
                "'max-body-bytes' must be from 1000 to 4096, was 5000",
                "'messages-per-minute' must be from 1 to 20, was 0",
                "'request-timeout' must be longer than zero, was PT0S");
    }
}
