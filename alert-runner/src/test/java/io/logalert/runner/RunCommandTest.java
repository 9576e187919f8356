package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.FileStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} without a node: configuration errors, an unreachable source, and stopping the service. */
class RunCommandTest {

    @TempDir
    Path dir;

    private Path config(String hosts) throws IOException {
        return Files.writeString(dir.resolve("alert.yml"), """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "%s", index: app, request-timeout: 2s}
                    state: {type: file, path: "%s"}
                    sinks: [console]
                """.formatted(hosts, dir.resolve("state")));
    }

    @Test
    void aConfigurationErrorExits2AndRunsNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yml"), """
                pipelines:
                  - id: app
                    intervall: 1m
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    state: {type: file, path: "%s"}
                    sinks: [console]
                """.formatted(dir.resolve("state")));

        Cli.Result result = Cli.run(Map.of(), "run", "--once", "--config", file.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("unknown key `intervall` (did you mean `interval`?)");
        assertThat(dir.resolve("state").resolve("app.json")).doesNotExist();
    }

    @Test
    void anUnknownPipelineOrAMissingFileExits2() throws IOException {
        Path file = config("http://127.0.0.1:9");

        Cli.Result unknown = Cli.run(Map.of(), "run", "--once", "--pipeline", "nope", "--config", file.toString());
        Cli.Result missing = Cli.run(Map.of(), "run", "--once", "--config", dir.resolve("none.yml").toString());
        Cli.Result usage = Cli.run(Map.of(), "run", "--once");

        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no pipeline nope in " + file + "; it has app");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("none.yml: cannot read the file: java.nio.file.NoSuchFileException");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void onceWithAnUnreachableSourceReportsTheFailureAndExits1() throws IOException {
        Path file = config("http://127.0.0.1:9");

        Cli.Result result = Cli.run(Map.of(), "run", "--once", "--config", file.toString());

        assertThat(result.code()).as(result.all()).isEqualTo(1);
        assertThat(result.out()).startsWith("RunReport[app, ").contains("failed", "Connection refused");
        // the store was closed: another process may take the directory now
        new FileStateStore(dir.resolve("state")).close();
    }

    @Test
    void theServiceRunsUntilStoppedThenClosesItsPipelinesAndStores() throws Exception {
        Path file = config("http://127.0.0.1:9");
        Cli cli = new Cli(Map.of());

        CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> cli.execute("run", "--config",
                file.toString()));
        // the service holds its state directory until it stops
        Poll.until(() -> Files.exists(dir.resolve("state").resolve(FileStateStore.LOCK_FILE)),
                Duration.ofSeconds(20), "the service to open its state", () -> "");
        assertThat(running).isNotDone();
        cli.main().stop();
        Cli.Result result = running.get(40, TimeUnit.SECONDS);

        assertThat(result.code()).as(result.all()).isZero();
        new FileStateStore(dir.resolve("state")).close();
    }
}
