package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay}: a past window's digests from the real node, printed; nothing sent, nothing saved. */
class ReplayIT {

    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void replayPrintsThePastWindowsDigestsAndSendsAndSavesNothing() throws Exception {
        String index = Logs.unique("replay");
        List<Map<String, Object>> docs = new ArrayList<>(Logs.errors("checkout", 25, T0, T0.plusSeconds(600)));
        docs.addAll(Logs.errors("billing", 4, T0.plusSeconds(60), T0.plusSeconds(120)));
        docs.addAll(Logs.errors("billing", 3, T0.plusSeconds(3_600), T0.plusSeconds(3_660)));
        Logs.load(index, docs);
        Path state = dir.resolve("state");
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("t").start()) {
            Path config = Files.writeString(dir.resolve("alert.yml"), """
                    pipelines:
                      - id: replayed
                        max-window: 5m
                        source: {type: elasticsearch, hosts: "%s", index: "%s"}
                        state: {type: file, path: "%s"}
                        sinks: [{name: robot, type: dingtalk, base-url: "%s", access-token: t}]
                    """.formatted(Logs.hosts(), index, state, robot.baseUrl()));

            // 14:00-14:10 in Shanghai is 06:00-06:10 UTC; read in windows of max-window, counted as one
            Cli.Result result = Cli.run(Map.of(), "replay", "--config", config.toString(), "--pipeline", "replayed",
                    "--from", "2026-11-30T14:00", "--to", "2026-11-30T06:10:00Z");

            assertThat(result.code()).as(result.all()).isZero();
            assertThat(result.out()).contains("== checkout: 25 errors ==", "== billing: 4 errors ==",
                    "(+08:00)", "replayed replayed [2026-11-30T06:00:00Z, 2026-11-30T06:10:00Z): 2 digests, "
                            + "29 events; nothing was sent or saved");
            assertThat(robot.accepted()).isEmpty();
            assertThat(Logs.state(state, "replayed")).isEmpty();
        }
    }
}
