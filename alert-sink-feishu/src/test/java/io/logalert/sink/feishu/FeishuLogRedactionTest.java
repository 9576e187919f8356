package io.logalert.sink.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.sink.robot.RateBudgets;
import io.logalert.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** slf4j-simple writes to System.err, looked up per line: replacing it captures the sink's log for the whole JVM. */
@Isolated("replaces System.err for the whole JVM")
class FeishuLogRedactionTest {

    private static final String TOKEN = "b7c2d9e4-0f1a-4b3c-8d5e-6f7a8b9c0d1e";
    private static final String SECRET = "Qw3rTy7uIo9pAs2dFg4h";

    @Test
    void failingDeliveriesLogNeitherTokenNorSecretNorSignature() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:05:00Z"));
        TimeWindow window = new TimeWindow(clock.instant().minusSeconds(120), clock.instant());
        Digest digest = new Digest(Digest.idOf("pipe", "shop", window), "pipe", "shop", window, List.of(
                new ErrorGroup("shop", "k", "x <*>", "x 1", 1, window.from(), window.from(), "t")), 0, 0);
        List<DeliveryResult> results = new ArrayList<>();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // nothing between replacing System.err and this try: it is put back whatever happens
        try (FeishuEmulator bot = FeishuEmulator.builder().token(TOKEN).secret("another").clock(clock).start()) {
            FeishuSink.Builder sink = FeishuSink.builder().webhook(bot.url()).secret(SECRET).clock(clock)
                    .sleeper(clock::advance).budgets(new RateBudgets());
            results.addAll(sink.build().deliver(List.of(digest)));
            bot.httpErrorNext(3, 503);
            results.addAll(sink.build().deliver(List.of(digest)));
            bot.failNext(1, ErrorCodes.BAD_REQUEST);
            results.addAll(sink.build().deliver(List.of(digest)));
            results.addAll(FeishuSink.builder().token(TOKEN).domain("http://127.0.0.1:1").secret(SECRET)
                    .connectTimeout(Duration.ofSeconds(1)).sleeper(d -> { }).budgets(new RateBudgets()).build()
                    .deliver(List.of(digest)));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("19021", "HTTP 503", "too many request", "cannot connect")
                .doesNotContain(TOKEN, SECRET, FeishuSignature.sign(clock.instant().getEpochSecond(), SECRET));
        assertThat(results).hasSize(4).noneMatch(DeliveryResult::isDelivered)
                .allSatisfy(r -> assertThat(r.reason()).doesNotContain(TOKEN, SECRET));
    }
}
