package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's HTTP port, as {@code java -jar logalert.jar run --http-port} serves it (the shaded jar carries the
 * Prometheus registry), against the real node and the robot emulator.
 */
class HttpPortIT {

    @TempDir
    Path dir;

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
        int port = LocalHttp.freePort();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("svc").start();
                LogalertProcess service = LogalertProcess.start(dir.resolve("service.log"),
                        Map.of("ROBOT_URL", robot.baseUrl().toString()), "run", "--http-port", String.valueOf(port),
                        "--config", config.toString())) {
            HttpResponse<String> health = LocalHttp.await(port, "/health", "\"status\" : \"UP\"",
                    Duration.ofSeconds(60), service::describe);
            HttpResponse<String> metrics = LocalHttp.get(port, "/metrics");

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
}
