package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.FileStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void aFileWithTenMistakesReportsAllTenEachWithItsLineAndColumn() throws IOException {
        Path file = write("mistakes.yml", """
                pipelines:
                  - id: app-prod-errors
                    interval: 2 minutes
                    query-dely: 30s
                    realert: sometimes
                    kinds: {max-kinds: lots}
                    digests: {per-projct: true}
                    source:
                      type: elasticsearch
                      hosts: "ftp://localhost:9200"
                      index: "app-prod-*"
                      page-sise: 500
                    state: {type: file, path: "${STATE_DIR}"}
                    sinks:
                      - {name: ops-robot, type: dingtalk, access-token: "${NOPE_TOKEN}"}
                      - {name: other, type: dingtalkk}
                    routes:
                      - {projects: ["checkout-*"], sinks: [ops-robt]}
                """);

        Cli.Result result = Cli.run(Map.of("STATE_DIR", dir.resolve("state").toString()), "validate", "--config",
                file.toString());

        assertThat(result.code()).as(result.all()).isEqualTo(2);
        String f = file.toString();
        assertThat(result.err()).as(result.all()).startsWith(f + ": 10 problems\n").contains(
                f + ":3:5: pipelines[0].interval: `2 …` (9 characters) is not a duration such as 30s, 2m, 1h, 1d or PT2M",
                f + ":4:5: pipelines[0].query-dely: unknown key `query-dely` (did you mean `query-delay`?)",
                f + ":5:5: pipelines[0].realert: `so…` (9 characters) is not a realert setting",
                f + ":6:13: pipelines[0].kinds.max-kinds: `l…` (4 characters) is not a whole number",
                f + ":7:15: pipelines[0].digests.per-projct: unknown key `per-projct` (did you mean `per-project`?)",
                // the plug-in's own words follow; the runner puts them at the key
                f + ":10:7: pipelines[0].source.hosts: elasticsearch source: 'hosts' ",
                f + ":12:7: pipelines[0].source.page-sise: unknown key `page-sise` for the elasticsearch source "
                        + "(did you mean `page-size`?)",
                f + ":15:43: pipelines[0].sinks[0].access-token: environment variable NOPE_TOKEN is not set",
                f + ":16:23: pipelines[0].sinks[1].type: unknown sink type `dingtalkk` (did you mean `dingtalk`?); "
                        + "known types: console, dingtalk",
                f + ":18:44: pipelines[0].routes[0].sinks[0]: no sink is named `ops-robt` (did you mean "
                        + "`ops-robot`?)");
        assertThat(result.err().lines().count()).isEqualTo(11);
        // a wrong value is never shown whole: it could be a secret pasted into the wrong key
        assertThat(result.err()).doesNotContain("minutes", "sometimes", "lots", "ftp://");
    }

    @Test
    void unknownKeysAtEveryLevelSuggestTheNearestKnownKey() throws IOException {
        Path file = write("levels.yml", """
                pipeline:
                  - id: a
                """);

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", file.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains(file + ":1:1: pipeline: unknown key `pipeline` (did you mean `pipelines`?)");
    }

    @Test
    void anUnknownKeyFarFromEveryKnownOneListsThemInstead() throws IOException {
        Path file = write("far.yml", """
                pipelines:
                  - id: a
                    colour: blue
                """);

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", file.toString());

        assertThat(result.err()).contains(":3:5: pipelines[0].colour: unknown key `colour`; known keys here: ")
                .contains("query-delay").doesNotContain("did you mean");
    }

    @Test
    void checksOfTheBuilderAndTheOptionRecordsAreReportedAtTheirYamlKeys() throws IOException {
        Path file = write("ranges.yml", """
                pipelines:
                  - id: app
                    interval: 5m
                    max-window: 1m
                    kinds: {back-after: 2d, forget-after: 1d}
                    digests: {max-groups: 0}
                    spool: {max-pending: 0}
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    sinks: [console]
                """);

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", file.toString());

        assertThat(result.code()).as(result.all()).isEqualTo(2);
        assertThat(result.err()).as(result.all()).contains(
                ":4:5: pipelines[0].max-window: `max-window` (1m) must be at least the interval (5m)",
                ":5:29: pipelines[0].kinds.forget-after: `forget-after` (1d) must be at least `back-after` (2d)",
                ":6:15: pipelines[0].digests.max-groups: `max-groups` must be at least 1, was 0",
                ":7:13: pipelines[0].spool.max-pending: `spool.max-pending` must be at least 1, was 0");
    }

    @Test
    void bothExamplesAreValidAndTheirPlugInsAreFound() {
        Map<String, String> env = Map.of("LOGALERT_STATE", dir.resolve("state").toString(),
                "DINGTALK_TOKEN", "t1", "OPS_DINGTALK_TOKEN", "t2", "CHECKOUT_DINGTALK_TOKEN", "t3");

        Cli.Result seed = Cli.run(env, "validate", "--offline", "--config",
                Cli.examples().resolve("seed-equivalent.yml").toString());
        Cli.Result full = Cli.run(env, "validate", "--offline", "--config",
                Cli.examples().resolve("alert.yml").toString());

        assertThat(seed.code()).as(seed.all()).isZero();
        assertThat(seed.out()).contains("valid, 1 pipeline (app-prod-errors)");
        assertThat(full.code()).as(full.all()).isZero();
        assertThat(full.out()).contains("valid, 2 pipelines (app-prod-errors, app-staging-errors)");
    }

    @Test
    void printConfigShowsTheEffectiveConfigurationWithSecretsMasked() throws IOException {
        Path file = write("secrets.yml", """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "${ES_HOSTS:-http://127.0.0.1:9200}", index: app,
                             username: elastic, password: "${ES_PASSWORD}"}
                    sinks:
                      - {name: robot, type: dingtalk, access-token: "${TOKEN}", secret: "${SECRET}", keywords: [a, b]}
                """);

        Cli.Result result = Cli.run(Map.of("ES_PASSWORD", "pa55word-value", "TOKEN", "token-value-123",
                "SECRET", "SECsecret-value"), "validate", "--print-config", "--config", file.toString());

        assertThat(result.code()).as(result.all()).isZero();
        assertThat(result.out()).doesNotContain("pa55word-value", "token-value-123", "SECsecret-value")
                .contains("password: '***'", "access-token: '***'", "secret: '***'", "username: elastic",
                        "hosts: http://127.0.0.1:9200", "keywords: \"a,b\"", "interval: 1m", "query-delay: 30s",
                        "realert: 1h", "max-pending: 10000", "type: template", "type: memory");
    }

    @Test
    void anUnsetVariableWithoutDefaultNamesTheVariableAndTheKey() throws IOException {
        Path file = write("env.yml", """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "${ES_HOSTS}", index: app}
                    sinks: [console]
                """);

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", file.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).as(result.all()).contains(file + ": 1 problem\n")
                .contains(":3:35: pipelines[0].source.hosts: environment variable ES_HOSTS is not set; set it, or "
                        + "give a default: ${ES_HOSTS:-…}");
    }

    @Test
    void textThatIsNotYamlIsOneProblemAtItsLine() throws IOException {
        Path file = write("broken.yml", """
                pipelines:
                  - id: app
                    source: {type: elasticsearch
                    sinks: [console]
                """);

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", file.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).as(result.all()).containsPattern(file + ":\\d+:\\d+: not valid YAML: ");
    }

    @Test
    void duplicateKeysPipelineIdsAndSinkNamesAreProblems() throws IOException {
        Path file = write("dupes.yml", """
                pipelines:
                  - id: app
                    interval: 1m
                    interval: 2m
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    sinks:
                      - {name: robot, type: dingtalk, access-token: a}
                      - {name: robot, type: dingtalk, access-token: b}
                  - id: app
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    sinks: [console]
                """);

        Cli.Result result = Cli.run(Map.of(), "validate", "--config", file.toString());

        assertThat(result.err()).as(result.all()).contains(
                ":4:5: pipelines[0].interval: duplicate key `interval`",
                ":8:10: pipelines[0].sinks[1].name: two sinks are named `robot` (the other at pipelines[0].sinks[0])",
                ":9:5: pipelines[1].id: pipeline id `app` is also used by pipelines[0]");
    }

    @Test
    @SuppressWarnings("try") // the store is held, not used
    void aStateDirectoryHeldByARunningLogalertIsANoteNotAProblem() throws IOException {
        Path state = dir.resolve("state");
        Path file = write("held.yml", """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    state: {type: file, path: "%s"}
                    sinks: [console]
                """.formatted(state));

        try (FileStateStore running = new FileStateStore(state)) {
            Cli.Result validate = Cli.run(Map.of(), "validate", "--offline", "--config", file.toString());
            Cli.Result run = Cli.run(Map.of(), "run", "--once", "--config", file.toString());

            assertThat(validate.code()).as(validate.all()).isZero();
            assertThat(validate.out()).contains("note state of pipelines[0].state not opened:", "in use");
            assertThat(run.code()).as(run.all()).isEqualTo(1);
            assertThat(run.err()).contains(":4:5: pipelines[0].state: state store `file` cannot be opened:");
        }
    }
}
