package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate}'s checks of what a file connects to: the real node and the emulated robot. */
class ValidateIT {

    @TempDir
    Path dir;

    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("good-token").secret("SECgood")
            .keywords("alert").start();

    @AfterEach
    void stopRobot() {
        robot.close();
    }

    private Path config(String index, String token, String extraSource) throws IOException {
        return Files.writeString(dir.resolve("alert-" + System.nanoTime() + ".yml"), """
                pipelines:
                  - id: checked
                    source: {type: elasticsearch, hosts: "%s", index: "%s"%s}
                    state: {type: file, path: "%s"}
                    sinks:
                      - {name: robot, type: dingtalk, base-url: "%s", access-token: "%s", secret: SECgood,
                         keywords: [alert]}
                      - console
                """.formatted(Logs.hosts(), index, extraSource, dir.resolve("state"), robot.baseUrl(), token));
    }

    @Test
    void aGoodFileConnectsToEverythingAndSendsNothing() throws IOException {
        String index = Logs.unique("validate-logs");
        Instant now = Instant.now();
        Logs.load(index, Logs.errors("checkout", 4, now.minusSeconds(300), now.minusSeconds(120)));

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", config(index, "good-token", "").toString());

        assertThat(result.code()).as(result.all()).isZero();
        assertThat(result.out()).contains(
                "  ok   checked: source elasticsearch[" + Logs.hosts() + "]: read [",
                "4 matching events",
                "  ok   checked: state (file): readable; 0 digests pending, 0 expired",
                "  ok   checked: sink robot: token and signature accepted, nothing sent to the group",
                "  -    checked: sink console: nothing to check for a console sink");
        assertThat(robot.accepted()).isEmpty();
    }

    @Test
    void aMisspeltIndexAWrongFieldAndAWrongTokenFailTheirChecks() throws IOException {
        String index = Logs.unique("validate-orders");
        Instant now = Instant.now();
        Logs.load(index, Logs.errors("checkout", 3, now.minusSeconds(300), now.minusSeconds(120)));
        String typo = index.replace("orders", "ordrs");

        Cli.Result misspelt = Cli.run(Map.of(), "validate", "--config", config(typo, "bad-token", "").toString());
        Cli.Result nothing = Cli.run(Map.of(), "validate", "--config",
                config("nothing-like-it-*", "good-token", "").toString());
        Cli.Result field = Cli.run(Map.of(), "validate", "--config",
                config(index, "good-token", ", field.message: message").toString());

        assertThat(misspelt.code()).as(misspelt.all()).isEqualTo(1);
        assertThat(misspelt.out()).contains("  FAIL checked: source elasticsearch[" + Logs.hosts() + "]: 'index' names '" + typo + "'",
                "names close to it: " + index,
                "  FAIL checked: sink robot: the robot does not know this access token").doesNotContain("bad-token");
        assertThat(nothing.code()).as(nothing.all()).isEqualTo(1);
        assertThat(nothing.out()).contains("  FAIL checked: source", "matches no index, alias or data stream yet");
        assertThat(field.code()).as(field.all()).isEqualTo(1);
        assertThat(field.out()).contains("  FAIL checked: source", "field.message");
        assertThat(robot.accepted()).isEmpty();
    }
}
