package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.AlertPipeline;
import io.logalert.LogEvent;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} and {@code /health} over real HTTP on loopback, for pipelines over in-memory sources. */
class HttpEndpointTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource checkoutSource = new InMemoryLogSource();
    private final InMemoryLogSource billingSource = new InMemoryLogSource();
    private final AlertPipeline checkout = AlertPipeline.builder().id("checkout").source(checkoutSource)
            .addSink(new RecordingAlertSink("robot")).clock(clock).build();
    private final AlertPipeline billing = AlertPipeline.builder().id("billing").source(billingSource)
            .addSink(new RecordingAlertSink("robot")).clock(clock).build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpEndpoint endpoint;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        checkout.close();
        billing.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
    }

    private void errors(InMemoryLogSource source, int count) {
        for (int i = 0; i < count; i++) {
            source.add(LogEvent.builder().timestamp(NOW.minusSeconds(100).plusMillis(i)).project("shop")
                    .message("order " + i + " failed").build());
        }
    }

    @Test
    void metricsAreThePipelinesMetersInPrometheusTextFormat() throws Exception {
        endpoint = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), List.of(checkout, billing));
        errors(checkoutSource, 3);
        errors(billingSource, 2);
        checkout.runOnce();
        billing.runOnce();

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).contains(HttpEndpoint.PROMETHEUS_TEXT);
        assertThat(metrics.body()).contains(
                "# HELP logalert_read_events_total Records read from the source",
                "# TYPE logalert_read_events_total counter",
                "logalert_read_events_total{pipeline=\"checkout\"} 3.0",
                "logalert_read_events_total{pipeline=\"billing\"} 2.0",
                "logalert_runs_seconds_count{outcome=\"success\",pipeline=\"checkout\"} 1",
                "logalert_deliveries_total{pipeline=\"checkout\",result=\"delivered\",sink=\"robot\"} 1.0",
                "logalert_pending_digests{pipeline=\"checkout\",sink=\"robot\"} 0.0",
                "logalert_checkpoint_lag_seconds{pipeline=\"billing\"} 30.0",
                "logalert_source_read_seconds_count{pipeline=\"billing\"} 1",
                "logalert_delivery_seconds_count{pipeline=\"billing\",sink=\"robot\"} 1");
    }

    @Test
    void healthIs200WhenEveryPipelineIsUpAnd503WithTheReasonOtherwise() throws Exception {
        endpoint = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), List.of(checkout, billing));

        HttpResponse<String> beforeAnyRun = get("/health");

        assertThat(beforeAnyRun.statusCode()).isEqualTo(503);
        assertThat(beforeAnyRun.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode unknown = new ObjectMapper().readTree(beforeAnyRun.body());
        assertThat(unknown.path("status").asText()).isEqualTo("UNKNOWN");
        assertThat(unknown.path("pipelines").path("checkout").path("reason").asText()).isEqualTo("no run yet");

        checkout.runOnce();
        billing.runOnce();
        HttpResponse<String> up = get("/health");

        assertThat(up.statusCode()).isEqualTo(200);
        JsonNode upBody = new ObjectMapper().readTree(up.body());
        assertThat(upBody.path("status").asText()).isEqualTo("UP");
        assertThat(upBody.path("pipelines").path("billing").path("checkpoint").asText())
                .isEqualTo("2026-03-01T09:59:30Z");
        assertThat(upBody.path("pipelines").path("billing").path("lagSeconds").asDouble()).isEqualTo(30.0);

        billingSource.unavailable(true);
        clock.advance(Duration.ofMinutes(1));
        checkout.runOnce();
        billing.runOnce();
        HttpResponse<String> down = get("/health");

        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode downBody = new ObjectMapper().readTree(down.body());
        assertThat(downBody.path("status").asText()).isEqualTo("DOWN");
        assertThat(downBody.path("pipelines").path("checkout").path("status").asText()).isEqualTo("UP");
        assertThat(downBody.path("pipelines").path("billing").path("status").asText()).isEqualTo("DOWN");
        assertThat(downBody.path("pipelines").path("billing").path("reason").asText())
                .startsWith("the source could not read the window").contains("made unavailable by the test");
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        endpoint = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), List.of(checkout));

        HttpResponse<String> unknown = get("/metricsx");
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("GET /metrics", "GET /health");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aTakenPortIsAnErrorNamingIt() throws Exception {
        endpoint = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), List.of(checkout));
        InetSocketAddress taken = new InetSocketAddress("127.0.0.1", endpoint.address().getPort());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpEndpoint.start(taken, List.of(billing)))
                .isInstanceOf(java.net.BindException.class);
    }
}
