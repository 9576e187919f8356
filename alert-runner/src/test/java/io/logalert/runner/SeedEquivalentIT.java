package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/seed-equivalent.yml, as cron would run it, against a node loaded with the script's indices: only ERROR
 * records of app-prod-*, never fox-data-spiderman, one markdown message per project, each record counted once.
 */
class SeedEquivalentIT {

    @TempDir
    Path dir;

    @Test
    void theSeedEquivalentFileDoesWhatTheScriptMeantToDo() throws Exception {
        Instant now = Instant.now();
        Instant from = now.minusSeconds(420);
        Instant to = now.minusSeconds(60);
        // two daily indices of app-prod, as the script's applications write them
        String today = Logs.unique("app-prod-2026.11.30");
        String yesterday = Logs.unique("app-prod-2026.11.29");
        List<java.util.Map<String, Object>> docs = new ArrayList<>(Logs.errors("checkout", 14, from, to));
        docs.addAll(Logs.errors("fox-data-spiderman", 9, from, to));
        docs.add(Logs.doc(from.plusSeconds(5), "checkout", "INFO", "order 1 placed"));
        docs.add(Logs.doc(from.plusSeconds(6), "checkout", "WARN", "slow query took 812ms"));
        Logs.load(today, docs);
        Logs.load(yesterday, Logs.errors("billing", 6, from, to));
        // not app-prod: never read
        Logs.load(Logs.unique("app-staging-2026.11.30"), Logs.errors("checkout", 50, from, to));

        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("seed-token").start()) {
            Map<String, String> env = Map.of("ES_HOSTS", Logs.hosts(), "DINGTALK_TOKEN", "seed-token",
                    "DINGTALK_BASE_URL", robot.baseUrl().toString(), "LOGALERT_STATE", dir.resolve("state")
                            .toString());
            String seed = Cli.examples().resolve("seed-equivalent.yml").toString();

            LogalertProcess first = LogalertProcess.runToEnd(dir.resolve("first.log"), env, "run", "--once",
                    "--config", seed);
            LogalertProcess second = LogalertProcess.runToEnd(dir.resolve("second.log"), env, "run", "--once",
                    "--config", seed);

            assertThat(first.exitCode()).as(first.describe()).isZero();
            assertThat(Logs.events(first.lines())).as(first.describe()).containsExactly(20L);
            assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::msgtype)
                    .containsExactly("markdown", "markdown");
            assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::title)
                    .anySatisfy(title -> assertThat(title).contains("checkout", "14"))
                    .anySatisfy(title -> assertThat(title).contains("billing", "6"));
            assertThat(robot.accepted()).allSatisfy(message -> assertThat(message.text())
                    .doesNotContain("spiderman", "placed", "slow query"));
            // "order 8800 failed" and "order 8817 failed" are one kind, with its count
            assertThat(robot.accepted()).allSatisfy(message -> assertThat(message.text()).contains("failed"));
            assertThat(second.exitCode()).as(second.describe()).isZero();
            assertThat(Logs.events(second.lines())).as(second.describe()).containsExactly(0L);
            assertThat(robot.accepted()).hasSize(2);
        }
    }
}
