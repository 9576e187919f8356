package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.spi.PipelineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service stopped by SIGTERM, as systemd stops it, while a run is delivering. */
class SigtermIT {

    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheRunInProgressFinishAndSaveItsState() throws Exception {
        String index = Logs.unique("sigterm");
        Instant now = Instant.now();
        Logs.load(index, Logs.errors("checkout", 12, now.minusSeconds(240), now.minusSeconds(30)));
        Path state = dir.resolve("state");
        Path config = Files.writeString(dir.resolve("alert.yml"), """
                pipelines:
                  - id: service-errors
                    interval: 1m
                    query-delay: 1s
                    source: {type: elasticsearch, hosts: "%s", index: "%s"}
                    state: {type: file, path: "%s"}
                    sinks:
                      - {name: robot, type: dingtalk, base-url: "%s", access-token: svc, request-timeout: 20s}
                """.formatted(Logs.hosts(), index, state, "${ROBOT_URL}"));
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("svc").start()
                // the robot takes the message at once and holds its reply: the run is in the middle of its delivery
                .delayNext(1, Duration.ofSeconds(3));
                LogalertProcess service = LogalertProcess.start(dir.resolve("service.log"),
                        Map.of("ROBOT_URL", robot.baseUrl().toString()), "run", "--config", config.toString())) {
            Poll.until(() -> !robot.exchanges().isEmpty(), Duration.ofSeconds(60), "the run to deliver",
                    service::describe);
            assertThat(Logs.state(state, "service-errors")).as("nothing saved before the run ends").isEmpty();

            service.terminate();
            int code = service.awaitExit(Duration.ofSeconds(60));

            // 128 + SIGTERM: the JVM's exit after its shutdown hooks ran
            assertThat(code).as(service.describe()).isEqualTo(143);
            PipelineState saved = Logs.state(state, "service-errors").orElseThrow(() ->
                    new AssertionError("the run in progress did not save" + service.describe()));
            assertThat(saved.pending()).as("the held reply arrived and was counted as delivered").isEmpty();
            assertThat(saved.checkpoint()).isAfter(now.minusSeconds(30));
            assertThat(robot.accepted()).hasSize(1);
            assertThat(service.log()).contains("stopping: letting runs in progress finish and saving state",
                    "stopped");
            // the directory is free for the next start
            new io.logalert.FileStateStore(state).close();
        }
    }
}
