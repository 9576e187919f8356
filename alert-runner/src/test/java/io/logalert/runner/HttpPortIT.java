package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's HTTP port, as {@code java -jar logalert.jar run --http-port} serves it (the shaded jar carries the
 * Prometheus registry), against the real node and the robot emulator.
 */
class HttpPortIT {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthIsUpAndTheMetersCountWhatTheServiceReadAndDelivered() throws Exception {
        String index = Logs.unique("http");
        Instant now = Instant.now();
        Logs.load(index, Logs.errors("checkout", 12, now.minusSeconds(240), now.minusSeconds(30)));
        Path config = Files.writeString(dir.resolve("alert.yml"), """
                pipelines:
                  - id: service-errors
                    interval: 1m
                    query-delay: 1s
                    source: {type: elasticsearch, hosts: "%s", index: "%s"}
                    state: {type: file, path: "%s"}
                    sinks:
                      - {name: robot, type: dingtalk, base-url: "${ROBOT_URL}", access-token: svc}
                """.formatted(Logs.hosts(), index, dir.resolve("state")));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("svc").start();
                LogalertProcess service = LogalertProcess.start(dir.resolve("service.log"),
                        Map.of("ROBOT_URL", robot.baseUrl().toString()), "run", "--http-port", String.valueOf(port),
                        "--config", config.toString())) {
            HttpResponse<String> health = await(port, "/health", "\"status\" : \"UP\"", service);
            HttpResponse<String> metrics = get(port, "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"service-errors\"", "\"lagSeconds\"");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains(
                    "logalert_read_events_total{pipeline=\"service-errors\"} 12.0",
                    "logalert_runs_seconds_count{outcome=\"success\",pipeline=\"service-errors\"} 1",
                    "logalert_deliveries_total{pipeline=\"service-errors\",result=\"delivered\",sink=\"robot\"} 1.0",
                    "logalert_source_read_seconds_count{pipeline=\"service-errors\"} 1");
            assertThat(robot.accepted()).hasSize(1);
            assertThat(service.log()).contains("serving GET /metrics and GET /health on http://127.0.0.1:" + port);

            service.terminate();
            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.describe()).isEqualTo(143);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> await(int port, String path, String text, LogalertProcess service) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Poll.until(() -> {
            try {
                last.set(get(port, path));
                return last.get().body().contains(text);
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }, Duration.ofSeconds(60), path + " to say " + text, () -> (last.get() == null ? "no answer"
                : last.get().body()) + service.describe());
        return last.get();
    }
}
