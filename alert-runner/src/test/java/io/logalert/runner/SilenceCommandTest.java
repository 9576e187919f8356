package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.FileStateStore;
import io.logalert.Silence;
import io.logalert.spi.PipelineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilenceCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-30T14:00:00Z");

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeConfig() throws IOException {
        file = Files.writeString(dir.resolve("alert.yml"), """
                pipelines:
                  - id: app-prod-errors
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    state: {type: file, path: "%s"}
                    sinks: [console]
                  - id: scratch
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    sinks: [console]
                """.formatted(dir.resolve("state")));
    }

    private Cli.Result run(String... args) {
        return new Cli(new Main(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("Asia/Shanghai")))
                .execute(args);
    }

    private List<Silence> saved() {
        try (FileStateStore store = new FileStateStore(dir.resolve("state"))) {
            return store.load("app-prod-errors").map(PipelineState::silences).orElse(List.of());
        }
    }

    @Test
    void addListAndRemoveGoThroughThePipelinesStateStore() {
        Cli.Result add = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "--project", "checkout", "--for", "2h", "--reason", "deploying checkout 4.2", "--by", "alice",
                "--id", "deploy-42");
        Cli.Result regex = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "--regex", "timeout after \\d+ms", "--until", "2026-12-01T08:00", "--reason", "known upstream issue");

        assertThat(add.code()).as(add.all()).isZero();
        assertThat(add.out()).contains("added to app-prod-errors: deploy-42  project `checkout`  "
                + "2026-11-30T14:00:00Z – 2026-11-30T16:00:00Z (active)  by alice: deploying checkout 4.2");
        assertThat(regex.code()).as(regex.all()).isZero();
        assertThat(saved()).extracting(Silence::id, Silence::scope, Silence::match, Silence::expiresAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("deploy-42", Silence.Scope.PROJECT, "checkout",
                                Instant.parse("2026-11-30T16:00:00Z")),
                        // a local date-time is in the machine's zone (here Asia/Shanghai)
                        org.assertj.core.groups.Tuple.tuple(saved().get(1).id(), Silence.Scope.MESSAGE_REGEX,
                                "timeout after \\d+ms", Instant.parse("2026-12-01T00:00:00Z")));

        Cli.Result list = run("silence", "list", "--config", file.toString());
        assertThat(list.code()).as(list.all()).isZero();
        assertThat(list.out()).contains("app-prod-errors: 2 silences", "  deploy-42  project `checkout`",
                "message matches `timeout after \\d+ms`").doesNotContain("scratch");

        Cli.Result remove = run("silence", "remove", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "deploy-42");
        Cli.Result again = run("silence", "remove", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "deploy-42");
        assertThat(remove.code()).isZero();
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("has no silence deploy-42");
        assertThat(saved()).extracting(Silence::id).doesNotContain("deploy-42").hasSize(1);
    }

    @Test
    void aPipelineWithoutAPersistentStoreIsRefused() {
        Cli.Result result = run("silence", "add", "--config", file.toString(), "--pipeline", "scratch",
                "--project", "checkout", "--for", "1h", "--reason", "r");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("pipeline `scratch` keeps its state in memory");
    }

    @Test
    void mistakesOnTheCommandLineAreNamed() {
        Cli.Result unknown = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-eror",
                "--project", "checkout", "--for", "1h", "--reason", "r");
        Cli.Result twoScopes = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "--project", "a", "--kind", "b", "--for", "1h", "--reason", "r");
        Cli.Result badRegex = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "--regex", "(unclosed", "--for", "1h", "--reason", "r");
        Cli.Result badTime = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "--project", "a", "--until", "tomorrow", "--reason", "r");
        Cli.Result past = run("silence", "add", "--config", file.toString(), "--pipeline", "app-prod-errors",
                "--project", "a", "--until", "-1h", "--reason", "r");

        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no pipeline `app-prod-eror`", "(did you mean `app-prod-errors`?)");
        assertThat(twoScopes.code()).isEqualTo(2);
        assertThat(twoScopes.err()).contains("mutually exclusive");
        assertThat(badRegex.code()).isEqualTo(2);
        assertThat(badRegex.err()).contains("match is not a regular expression");
        assertThat(badTime.code()).isEqualTo(2);
        assertThat(badTime.err()).contains("--until `tomorrow` is not an instant such as");
        assertThat(past.code()).isEqualTo(2);
        assertThat(past.err()).contains("must be after createdAt");
        assertThat(dir.resolve("state").resolve("app-prod-errors.json")).doesNotExist();
    }
}
