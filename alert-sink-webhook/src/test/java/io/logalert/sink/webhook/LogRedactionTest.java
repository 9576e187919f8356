package io.logalert.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * slf4j-simple writes to System.err, looked up on every line, so replacing System.err captures the sink's log; that
 * replaces it for the whole JVM, hence {@link Isolated}.
 */
@Isolated("replaces System.err for the whole JVM")
class LogRedactionTest {

    private static final String TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final String SECRET = "signing-secret-a1b2c3d4e5f6";

    @Test
    void failingDeliveriesLogNoTokenHeaderOrSigningSecret() {
        ManualClock clock = new ManualClock(Samples.NOW);
        List<DeliveryResult> results = new ArrayList<>();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // nothing between replacing System.err and this try: it is put back whatever happens
        try (WebhookEmulator receiver = WebhookEmulator.builder().path("/hooks/" + TOKEN).secret("another-secret")
                .clock(clock).start()) {
            WebhookSink.Builder sink = Samples.sink(receiver.url() + "?token=" + TOKEN, clock)
                    .header("X-Api-Key", TOKEN).signatureSecret(SECRET);
            // the signature does not verify: refused loudly
            results.addAll(sink.build().deliver(List.of(Samples.digest("shop", "boom"))));
            // server errors, echoing the token, until the attempts run out
            receiver.failUntil(clock.instant().plus(Duration.ofMinutes(5)),
                    io.logalert.sink.robot.RobotEmulator.Fault.errcode(500, "upstream refused key " + TOKEN));
            results.addAll(sink.build().deliver(List.of(Samples.digest("shop", "boom"))));
            // unreachable
            results.addAll(Samples.sink("http://127.0.0.1:1/hooks/" + TOKEN, clock).header("X-Api-Key", TOKEN)
                    .connectTimeout(Duration.ofSeconds(1)).build().deliver(List.of(Samples.digest("shop", "boom"))));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("HTTP 401", "HTTP 500", "upstream refused key ***", "cannot connect")
                .doesNotContain(TOKEN, SECRET);
        assertThat(results).hasSize(3).noneMatch(DeliveryResult::isDelivered)
                .allSatisfy(r -> assertThat(r.reason()).doesNotContain(TOKEN, SECRET));
    }
}
