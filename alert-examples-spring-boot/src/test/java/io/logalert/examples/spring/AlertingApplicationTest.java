package io.logalert.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.AlertPipeline;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application starts from its {@code application.yml}, and its actuator shows the pipeline: here its
 * Elasticsearch is a port nobody listens on, so the first run fails and the health says why.
 */
class AlertingApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theApplicationStartsItsPipelineAndTheActuatorShowsItsHealthAndMeters() throws Exception {
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("example-token").keywords("alert")
                .start();
                ConfigurableApplicationContext context = SpringApplication.run(AlertingApplication.class,
                        "--server.port=0",
                        "--ES_HOSTS=http://127.0.0.1:" + unusedPort(),
                        "--DINGTALK_TOKEN=example-token",
                        "--logalert.pipelines[0].sinks[0].base-url=" + robot.baseUrl())) {
            assertThat(context.getBean("app-errors", AlertPipeline.class).id()).isEqualTo("app-errors");
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();

            JsonNode health = waitForRun(port);

            assertThat(health.at("/status").asText()).isEqualTo("DOWN");
            assertThat(health.at("/components/app-errors/details/reason").asText())
                    .contains("the source could not read the window");
            JsonNode runs = get(port, "/actuator/metrics/logalert.runs?tag=pipeline:app-errors&tag=outcome:"
                    + "source-failure");
            assertThat(runs.at("/measurements/0/value").asDouble()).isEqualTo(1.0);
            assertThat(robot.accepted()).isEmpty();
        }
    }

    /** The pipeline's health once its first run has ended (it runs at once when the application starts). */
    private JsonNode waitForRun(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode health = get(port, "/actuator/health/logalert");
        while (health.at("/components/app-errors/status").asText().equals("UNKNOWN")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the first run did not end within a minute: " + health);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            health = get(port, "/actuator/health/logalert");
        }
        return health;
    }

    private JsonNode get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
