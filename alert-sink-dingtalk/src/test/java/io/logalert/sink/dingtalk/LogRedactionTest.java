package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * slf4j-simple writes to System.err, looked up on every line, so replacing System.err captures the sink's log. That
 * replaces it for the whole JVM: {@link Isolated} keeps every other test from running meanwhile, should parallel
 * execution ever be switched on (surefire and JUnit run tests one at a time by default).
 */
@Isolated("replaces System.err for the whole JVM")
class LogRedactionTest {

    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String SECRET = "SECf00dfacecafebeef0123456789abcdef0123456789abcdef0123456789ab";

    @Test
    void failingDeliveriesLogNeitherTokenNorSecret() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
        List<DeliveryResult> results = new ArrayList<>();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // nothing between replacing System.err and this try: it is put back whatever happens
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(TOKEN).secret("SECother").clock(clock)
                .start()) {
            DingTalkSink.Builder sink = DingTalkSink.builder().webhook(robot.url()).secret(SECRET).clock(clock)
                    .sleeper(new RecordingSleeper(clock)).budgets(new RateBudgets());
            // sign not match: refused loudly
            results.addAll(sink.build().deliver(List.of(Digests.of("shop", 1))));
            // server errors until the attempts run out
            robot.httpErrorNext(3, 500);
            results.addAll(sink.build().deliver(List.of(Digests.of("shop", 1))));
            // throttled
            robot.failNext(1, ErrorCodes.THROTTLED);
            results.addAll(sink.build().deliver(List.of(Digests.of("shop", 1))));
            // unreachable
            results.addAll(DingTalkSink.builder().baseUrl(URI.create("http://127.0.0.1:1")).accessToken(TOKEN)
                    .secret(SECRET).connectTimeout(Duration.ofSeconds(1)).sleeper(d -> { })
                    .budgets(new RateBudgets()).build().deliver(List.of(Digests.of("shop", 1))));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("sign not match", "HTTP 500", "throttled", "cannot connect")
                .doesNotContain(TOKEN, SECRET).doesNotContainPattern("sign=(?!\\*\\*\\*)");
        assertThat(results).hasSize(4).noneMatch(DeliveryResult::isDelivered)
                .allSatisfy(r -> assertThat(r.reason()).doesNotContain(TOKEN, SECRET));
    }

    @Test
    void aDigestDeliveredWithoutItsLogTextSaysWhatWasWithheldInTheLog() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
        List<DeliveryResult> results;
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // nothing between replacing System.err and this try: it is put back whatever happens
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(TOKEN).clock(clock).start()) {
            robot.refuseContent("casino", ErrorCodes.BAD_TEXT);
            results = DingTalkSink.builder().webhook(robot.url()).clock(clock).sleeper(new RecordingSleeper(clock))
                    .budgets(new RateBudgets()).build().deliver(List.of(Digests.withWordInLogText("shop", "casino")));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        // DeliveryResult.delivered has no reason yet: the log is where the withheld text is reported
        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(log).contains("digest pipe/shop/", "was delivered with its patterns and counts only (no sample "
                + "messages, thread names or silence reasons), because the robot refused its text: DingTalk errcode "
                + "430102").doesNotContain(TOKEN);
    }
}
