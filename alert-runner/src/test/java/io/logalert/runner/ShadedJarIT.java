package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar {@code mvn package} builds: runnable, and its plug-ins found through the merged META-INF/services. */
class ShadedJarIT {

    @TempDir
    Path dir;

    @Test
    void theJarValidatesBothExamplesWithThePlugInsItCarries() throws Exception {
        Map<String, String> env = Map.of("LOGALERT_STATE", dir.resolve("state").toString(), "DINGTALK_TOKEN", "t",
                "OPS_DINGTALK_TOKEN", "t", "CHECKOUT_DINGTALK_TOKEN", "t");

        LogalertProcess seed = LogalertProcess.runToEnd(dir.resolve("seed.log"), env, "validate", "--offline",
                "--config", Cli.examples().resolve("seed-equivalent.yml").toString());
        LogalertProcess full = LogalertProcess.runToEnd(dir.resolve("full.log"), env, "validate", "--offline",
                "--config", Cli.examples().resolve("alert.yml").toString());

        assertThat(seed.exitCode()).as(seed.describe()).isZero();
        assertThat(full.exitCode()).as(full.describe()).isZero();
        assertThat(full.output()).contains("valid, 2 pipelines");
    }

    @Test
    void theJarKnowsEveryShippedPlugInType() throws Exception {
        Path file = Files.writeString(dir.resolve("types.yml"), """
                pipelines:
                  - id: types
                    source: {type: nope}
                    aggregator: {type: nope}
                    state: {type: nope}
                    sinks: [{type: nope}]
                """);

        LogalertProcess result = LogalertProcess.runToEnd(dir.resolve("types.log"), Map.of(), "validate",
                "--config", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.log()).contains("unknown source type `nope`; known types: elasticsearch",
                "unknown aggregator type `nope`; known types: exact, fingerprint, template",
                "unknown state store type `nope`; known types: elasticsearch, file, memory",
                "unknown sink type `nope`; known types: console, dingtalk");
    }

    @Test
    void versionAndHelp() throws Exception {
        LogalertProcess version = LogalertProcess.runToEnd(dir.resolve("v.log"), Map.of(), "--version");
        LogalertProcess help = LogalertProcess.runToEnd(dir.resolve("h.log"), Map.of(), "help", "run");

        assertThat(version.exitCode()).isZero();
        assertThat(version.output()).startsWith("logalert 0.");
        assertThat(help.output()).contains("--once", "Exit codes (--once):", "2   the configuration or the command "
                + "line is wrong");
    }
}
