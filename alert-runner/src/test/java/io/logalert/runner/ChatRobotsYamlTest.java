package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WeCom and Feishu sinks found by type in the runner's YAML: their problems at their keys, secrets masked. */
class ChatRobotsYamlTest {

    private static final Map<String, String> ENV = Map.of("WECOM_KEY", "k3y-5e1f0a2b", "FEISHU_TOKEN",
            "t0ken-7d3e9a10", "FEISHU_SECRET", "s3cret-mZ4qR8");

    @TempDir
    Path dir;

    private Path config(String wecomExtra, String feishuExtra) throws IOException {
        return Files.writeString(dir.resolve("robots.yml"), """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    sinks:
                      - {name: shop, type: wecom, key: "${WECOM_KEY}"%s}
                      - {name: billing, type: feishu, token: "${FEISHU_TOKEN}", domain: lark,
                         secret: "${FEISHU_SECRET}"%s}
                """.formatted(wecomExtra, feishuExtra));
    }

    @Test
    void printConfigMasksTheWeComKeyAndTheFeishuTokenAndSecret() throws IOException {
        Cli.Result shown = Cli.run(ENV, "validate", "--print-config", "--offline", "--config",
                config("", ", keywords: [alert]").toString());

        assertThat(shown.code()).as(shown.all()).isZero();
        assertThat(shown.out()).contains("type: wecom", "type: feishu", "key: '***'", "token: '***'",
                "secret: '***'").doesNotContain(ENV.get("WECOM_KEY"), ENV.get("FEISHU_TOKEN"),
                        ENV.get("FEISHU_SECRET"));
    }

    @Test
    void validateReportsEachRobotsProblemsAtItsKeys() throws IOException {
        Cli.Result bad = Cli.run(ENV, "validate", "--offline", "--config", config(
                ", message-type: text, max-body-bytes: 4000, mention-mobiles: [x1]",
                ", domain: ftp-lark, mention-user-ids: [\"13800000000\"]").toString());

        assertThat(bad.code()).as(bad.all()).isEqualTo(2);
        assertThat(bad.err()).contains("'max-body-bytes' must be from 1000 to 2048 for text messages, was 4000",
                "'mention-mobiles' holds 'x1'", "'mention-user-ids' holds '13800000000'")
                .doesNotContain(ENV.get("WECOM_KEY"), ENV.get("FEISHU_TOKEN"), ENV.get("FEISHU_SECRET"));
    }
}
