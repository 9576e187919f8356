package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.spi.PipelineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --once} as cron runs it: {@code java -jar logalert.jar} against the real node and the emulator. */
class RunOnceIT {

    @TempDir
    Path dir;

    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("cron-token").keywords("alert")
            .start();

    @AfterEach
    void stopRobot() {
        robot.close();
    }

    private Path config(String index) throws IOException {
        return Files.writeString(dir.resolve("alert.yml"), """
                pipelines:
                  - id: cron-errors
                    interval: 1m
                    query-delay: 1s
                    initial-lookback: 10m
                    realert: off
                    source: {type: elasticsearch, hosts: "${ES_HOSTS}", index: "%s"}
                    state: {type: file, path: "%s"}
                    sinks:
                      - {name: robot, type: dingtalk, base-url: "${ROBOT_URL}", access-token: "${ROBOT_TOKEN}",
                         keywords: [alert], max-attempts: 1}
                """.formatted(index, dir.resolve("state")));
    }

    private LogalertProcess once(Path config, String token) throws InterruptedException {
        return LogalertProcess.runToEnd(dir.resolve("run-" + System.nanoTime() + ".log"), Map.of("ES_HOSTS",
                Logs.hosts(), "ROBOT_URL", robot.baseUrl().toString(), "ROBOT_TOKEN", token), "run", "--once",
                "--config", config.toString());
    }

    @Test
    void twoRunsInARowCountEachDocumentOnce() throws Exception {
        String index = Logs.unique("cron");
        Instant now = Instant.now();
        List<Map<String, Object>> first = new ArrayList<>(Logs.errors("checkout", 20, now.minusSeconds(300),
                now.minusSeconds(60)));
        first.addAll(Logs.errors("billing", 10, now.minusSeconds(300), now.minusSeconds(60)));
        Logs.load(index, first);
        Path config = config(index);

        LogalertProcess run1 = once(config, "cron-token");
        assertThat(run1.exitCode()).as(run1.describe()).isZero();
        assertThat(Logs.events(run1.lines())).as(run1.describe()).containsExactly(30L);
        assertThat(robot.accepted()).hasSize(2);

        // records that arrive after the first run, inside the window the second one reads
        Instant checkpoint = Logs.state(dir.resolve("state"), "cron-errors").orElseThrow().checkpoint();
        Logs.load(index, Logs.errors("checkout", 7, checkpoint, checkpoint.plusMillis(70)));

        LogalertProcess run2 = once(config, "cron-token");
        LogalertProcess run3 = once(config, "cron-token");

        assertThat(run2.exitCode()).as(run2.describe()).isZero();
        assertThat(Logs.events(run2.lines())).as(run2.describe()).containsExactly(7L);
        assertThat(run3.exitCode()).as(run3.describe()).isZero();
        assertThat(Logs.events(run3.lines())).as(run3.describe()).containsExactly(0L);
        assertThat(robot.accepted()).hasSize(3);
        assertThat(robot.accepted().get(2).title()).contains("checkout", "7");
    }

    @Test
    void theExitCodeSaysWhetherEverythingWasReadAndDelivered() throws Exception {
        String index = Logs.unique("codes");
        Instant now = Instant.now();
        Logs.load(index, Logs.errors("checkout", 5, now.minusSeconds(200), now.minusSeconds(100)));
        Path config = config(index);

        robot.failNext(1, -1);
        LogalertProcess busy = once(config, "cron-token");
        LogalertProcess retried = once(config, "cron-token");
        LogalertProcess rejected = once(Files.writeString(dir.resolve("other.yml"), Files.readString(config)
                .replace("id: cron-errors", "id: rejected-errors")), "wrong-token");
        LogalertProcess broken = once(Files.writeString(dir.resolve("broken.yml"), Files.readString(config)
                .replace("query-delay", "query-dealy")), "cron-token");

        assertThat(busy.exitCode()).as(busy.describe()).isEqualTo(1);
        assertThat(busy.output()).contains("5 events", "1 deferred", "1 pending", "robot: RETRY_LATER cron-errors/");
        assertThat(retried.exitCode()).as(retried.describe()).isZero();
        assertThat(retried.output()).contains("1 delivered", "0 pending");
        assertThat(Logs.state(dir.resolve("state"), "cron-errors").map(PipelineState::pending)).contains(List.of());
        assertThat(rejected.exitCode()).as(rejected.describe()).isEqualTo(1);
        assertThat(rejected.output()).contains("1 rejected", "robot: REJECTED").doesNotContain("wrong-token");
        assertThat(broken.exitCode()).as(broken.describe()).isEqualTo(2);
        assertThat(broken.log()).contains("unknown key `query-dealy` (did you mean `query-delay`?)");
        assertThat(robot.accepted()).hasSize(1);
    }
}
