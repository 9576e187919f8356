package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.FileStateStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}'s HTTP port, without a node: the source is unreachable, which the health and the meters say. */
class RunCommandHttpTest {

    @TempDir
    Path dir;

    private Path config(String http) throws IOException {
        return config("alert.yml", http);
    }

    private Path config(String name, String http) throws IOException {
        return Files.writeString(dir.resolve(name), """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app, request-timeout: 2s}
                    state: {type: file, path: "%s"}
                    sinks: [console]
                %s""".formatted(dir.resolve("state"), http));
    }

    @Test
    void theServiceServesHealthAndMetricsOnTheFilesPortUntilStopped() throws Exception {
        int port = LocalHttp.freePort();
        Path file = config("""
                http:
                  port: %d
                """.formatted(port));
        Cli cli = new Cli(Map.of());

        CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> cli.execute("run", "--config",
                file.toString()));
        HttpResponse<String> health = LocalHttp.await(port, "/health", "lastRun\" : \"", Duration.ofSeconds(30),
                () -> "");
        HttpResponse<String> metrics = LocalHttp.get(port, "/metrics");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\" : \"DOWN\"", "the source could not read the window");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(
                "logalert_runs_seconds_count{outcome=\"source-failure\",pipeline=\"app\"} 1",
                "logalert_read_events_total{pipeline=\"app\"} 0.0");

        cli.main().stop();
        Cli.Result result = running.get(40, TimeUnit.SECONDS);

        assertThat(result.code()).as(result.all()).isZero();
        assertThatThrownBy(() -> LocalHttp.get(port, "/health")).as("the port is closed with the service")
                .isInstanceOf(ConnectException.class);
        new FileStateStore(dir.resolve("state")).close();
    }

    @Test
    void theCommandLinesPortOverridesTheFiles() throws Exception {
        int port = LocalHttp.freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = config("""
                    http: {port: %d, address: 127.0.0.1}
                    """.formatted(taken.getLocalPort()));
            Cli cli = new Cli(Map.of());

            CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> cli.execute("run",
                    "--http-port", String.valueOf(port), "--config", file.toString()));
            HttpResponse<String> health = LocalHttp.await(port, "/health", "\"app\"", Duration.ofSeconds(30),
                    () -> "");

            assertThat(health.body()).contains("\"pipelines\"");
            cli.main().stop();
            assertThat(running.get(40, TimeUnit.SECONDS).code()).isZero();
        }
    }

    @Test
    void aTakenPortExits1NamingItAndRunsNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = config("");

            Cli.Result result = Cli.run(Map.of(), "run", "--http-port", String.valueOf(taken.getLocalPort()),
                    "--config", file.toString());

            assertThat(result.code()).as(result.all()).isEqualTo(1);
            assertThat(result.err()).contains("logalert: cannot serve /metrics and /health on 127.0.0.1",
                    ":" + taken.getLocalPort(), "choose another --http-port (or http.port), or 0 for any free one");
            // nothing ran, and the state directory is free again
            new FileStateStore(dir.resolve("state")).close();
        }
    }

    @Test
    void wrongValuesOfTheFilesHttpSectionAreProblemsAtTheirLines() throws Exception {
        Path file = config("""
                http:
                  port: 70000
                  address: no-such-host.invalid
                """);
        Path unknownKey = config("typo.yml", """
                http: {prot: 9464}
                """);
        Path addressOnly = config("address.yml", """
                http: {address: 0.0.0.0}
                """);

        Cli.Result wrong = Cli.run(Map.of(), "run", "--config", file.toString());
        Cli.Result validated = Cli.run(Map.of(), "validate", "--offline", "--config", file.toString());
        Cli.Result typo = Cli.run(Map.of(), "run", "--config", unknownKey.toString());
        Cli.Result noPort = Cli.run(Map.of(), "run", "--config", addressOnly.toString());

        assertThat(wrong.code()).as(wrong.all()).isEqualTo(2);
        assertThat(wrong.err()).contains(file + ": 2 problems",
                file + ":7:3: http.port: the port must be 0 to 65535 (0 picks any free port), was 70000",
                file + ":8:3: http.address: `no-such-host.invalid` is neither an IP address nor a host name this "
                        + "machine resolves");
        assertThat(validated.code()).as(validated.all()).isEqualTo(2);
        assertThat(validated.err()).contains(file + ":7:3: http.port: the port must be 0 to 65535");
        assertThat(typo.code()).as(typo.all()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown key `prot` (did you mean `port`?)");
        assertThat(noPort.code()).as(noPort.all()).isEqualTo(2);
        assertThat(noPort.err()).contains("http.address: an address without a port serves nothing");
    }

    @Test
    void httpOptionsWithOnceOrOutOfRangeAreUsageErrors() throws Exception {
        Path file = config("");

        Cli.Result once = Cli.run(Map.of(), "run", "--once", "--http-port", "9464", "--config", file.toString());
        Cli.Result range = Cli.run(Map.of(), "run", "--http-port", "70000", "--config", file.toString());
        Cli.Result address = Cli.run(Map.of(), "run", "--http-port", "0", "--http-address", " ", "--config",
                file.toString());

        assertThat(once.code()).isEqualTo(2);
        assertThat(once.err()).contains("--once exits after its runs, so it takes neither");
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.err()).contains("--http-port: the port must be 0 to 65535");
        assertThat(address.code()).isEqualTo(2);
        assertThat(address.err()).contains("--http-address: the address is blank");
        assertThat(dir.resolve("state").resolve("app.json")).doesNotExist();
    }
}
