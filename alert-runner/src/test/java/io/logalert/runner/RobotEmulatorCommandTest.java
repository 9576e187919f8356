package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.sink.dingtalk.DingTalkSink;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RobotEmulatorCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");

    static Digest digest(String project, String message, long count) {
        TimeWindow window = new TimeWindow(T0, T0.plusSeconds(120));
        ErrorGroup group = new ErrorGroup(project, "k-" + project, message, message, count, T0, T0.plusSeconds(60),
                "http-nio-8080-exec-1");
        return new Digest(Digest.idOf("app", project, window), "app", project, window, List.of(group), 0, 0);
    }

    /** Waits for the output to hold {@code text}; the command runs on another thread. */
    static String awaitOutput(Cli cli, String text) {
        Poll.until(() -> cli.outSoFar().contains(text), Duration.ofSeconds(20), "'" + text + "' in the output",
                cli::outSoFar);
        return cli.outSoFar();
    }

    @Test
    void printsEveryMessageItAcceptsAndEveryRequestItRefusesUntilStopped() throws Exception {
        Cli cli = new Cli(Map.of());
        CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> cli.execute("robot-emulator",
                "--port", "0", "--token", "team-token", "--secret", "SECteam", "--keyword", "alert"));
        String banner = awaitOutput(cli, "listening on http://127.0.0.1:");
        Matcher port = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(banner);
        assertThat(port.find()).isTrue();
        URI baseUrl = URI.create(port.group(1));

        DingTalkSink good = DingTalkSink.builder().baseUrl(baseUrl).accessToken("team-token").secret("SECteam")
                .keywords(List.of("alert")).build();
        DingTalkSink wrongSecret = DingTalkSink.builder().baseUrl(baseUrl).accessToken("team-token")
                .secret("SECother").keywords(List.of("alert")).maxAttempts(1).build();
        List<DeliveryResult> delivered = good.deliver(List.of(digest("checkout", "Upstream timeout uri=/api", 42)));
        List<DeliveryResult> refused = wrongSecret.deliver(List.of(digest("billing", "boom", 1)));

        assertThat(delivered).allMatch(DeliveryResult::isDelivered);
        assertThat(refused).noneMatch(DeliveryResult::isDelivered);
        String printed = awaitOutput(cli, "refused: errcode 310000 sign not match");
        assertThat(printed).contains("] markdown \"", "checkout", "42", "Upstream timeout").doesNotContain("boom");

        cli.main().stop();
        assertThat(running.get(20, TimeUnit.SECONDS).code()).isZero();
    }

    @Test
    void aPortInUseIsAFailure() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result result = new Cli(Map.of()).execute("robot-emulator", "--port",
                    Integer.toString(taken.getLocalPort()), "--token", "t");

            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void theTokenCheckOfValidateSendsNothingToTheGroup() throws Exception {
        Cli cli = new Cli(Map.of());
        CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> cli.execute("robot-emulator",
                "--port", "0", "--token", "team-token", "--secret", "SECteam", "--keyword", "alert"));
        Matcher port = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)")
                .matcher(awaitOutput(cli, "listening on"));
        assertThat(port.find()).isTrue();
        String base = port.group(1);
        java.time.Clock clock = java.time.Clock.systemUTC();

        RobotCheck.Outcome ok = RobotCheck.check(Map.of("base-url", base, "access-token", "team-token",
                "secret", "SECteam"), clock);
        RobotCheck.Outcome badToken = RobotCheck.check(Map.of("base-url", base, "access-token", "nope",
                "secret", "SECteam"), clock);
        RobotCheck.Outcome badSecret = RobotCheck.check(Map.of("webhook", base + "/robot/send?access_token=team-token",
                "secret", "SECwrong"), clock);
        RobotCheck.Outcome unreachable = RobotCheck.check(Map.of("base-url", "http://127.0.0.1:9",
                "access-token", "team-token"), clock);

        assertThat(ok.ok()).as(ok.detail()).isTrue();
        assertThat(ok.detail()).startsWith("token and signature accepted, nothing sent to the group");
        assertThat(badToken.ok()).isFalse();
        assertThat(badToken.detail()).contains("does not know this access token").doesNotContain("nope");
        assertThat(badSecret.ok()).isFalse();
        assertThat(badSecret.detail()).contains("errcode 310000", "sign not match").doesNotContain("SECwrong",
                "team-token");
        assertThat(unreachable.ok()).isFalse();
        assertThat(unreachable.detail()).startsWith("cannot reach the robot: ConnectException");
        // refused requests are printed; nothing was accepted
        assertThat(awaitOutput(cli, "refused: errcode 310000")).doesNotContain("] markdown", "] text");

        cli.main().stop();
        assertThat(running.get(20, TimeUnit.SECONDS).code()).isZero();
    }
}
