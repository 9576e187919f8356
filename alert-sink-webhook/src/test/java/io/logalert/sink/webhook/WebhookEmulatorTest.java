package io.logalert.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.testing.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiver's own checks, met by hand-made requests rather than by the sink. */
class WebhookEmulatorTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ManualClock clock = new ManualClock(Samples.NOW);
    private final WebhookEmulator receiver = WebhookEmulator.builder().clock(clock).messagesPerMinute(3)
            .maxBodyBytes(1_000).requireHeader("X-Api-Key", "k-1").start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(receiver.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersEachCheckWithItsStatusAndRecordsOnlyWhatItTook() throws Exception {
        String path = WebhookEmulator.DEFAULT_PATH;

        assertThat(post("/elsewhere", "{}", "X-Api-Key", "k-1").statusCode()).isEqualTo(404);
        assertThat(post(path, "{}").body()).isEqualTo("{\"code\":401,\"message\":\"missing or wrong header x-api-key\"}");
        assertThat(post(path, "not json", "X-Api-Key", "k-1").statusCode()).isEqualTo(400);
        assertThat(post(path, "{\"a\":\"" + "x".repeat(1_000) + "\"}", "X-Api-Key", "k-1").statusCode())
                .isEqualTo(413);
        HttpResponse<String> ok = post(path, "{\"a\":1}", "X-Api-Key", "k-1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"code\":0,\"message\":\"ok\"}");
        // three a minute, counting every request that passed the credential checks: the 400, the 413 and the 200
        assertThat(post(path, "{\"a\":2}", "X-Api-Key", "k-1").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(1));
        assertThat(post(path, "{\"a\":3}", "X-Api-Key", "k-1").statusCode()).isEqualTo(200);

        assertThat(receiver.accepted()).extracting(m -> m.body().path("a").asInt()).containsExactly(1, 3);
    }

    @Test
    void anUnsignedOrTamperedRequestIsRefusedWhenItChecksSignatures() throws Exception {
        try (WebhookEmulator signed = WebhookEmulator.builder().clock(clock).secret("s").start()) {
            HttpRequest.Builder unsigned = HttpRequest.newBuilder(URI.create(signed.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            HttpRequest.Builder tampered = HttpRequest.newBuilder(URI.create(signed.url()))
                    .header("X-Logalert-Signature", "sha256=" + "0".repeat(64))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));

            assertThat(http.send(unsigned.build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("missing signature header X-Logalert-Signature");
            assertThat(http.send(tampered.build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("signature mismatch");
            assertThat(signed.accepted()).isEmpty();
        }
    }
}
