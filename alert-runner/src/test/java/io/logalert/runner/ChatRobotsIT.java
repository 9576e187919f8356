package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.feishu.FeishuEmulator;
import io.logalert.sink.wecom.WeComEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --once} with a WeCom robot and a Feishu bot found by type in the YAML, each project routed to one of
 * them, against the real node and the two emulators: each digest arrives at its robot, within its limits.
 */
class ChatRobotsIT {

    private static final String KEY = "it-wecom-key-3f9a2c";
    private static final String TOKEN = "it-feishu-token-7b1d4e";
    private static final String SECRET = "itFeishuSecret5k2";

    @TempDir
    Path dir;

    private final WeComEmulator wecom = WeComEmulator.builder().key(KEY).start();
    private final FeishuEmulator feishu = FeishuEmulator.builder().token(TOKEN).secret(SECRET).keywords("alert")
            .start();

    @AfterEach
    void stopRobots() {
        wecom.close();
        feishu.close();
    }

    @Test
    void aDigestRoutedToWeComAndOneRoutedToFeishuArriveAtTheirRobots() throws Exception {
        String index = Logs.unique("robots");
        Instant now = Instant.now();
        List<Map<String, Object>> docs = new ArrayList<>(Logs.errors("checkout", 12, now.minusSeconds(300),
                now.minusSeconds(60)));
        docs.addAll(Logs.errors("billing", 5, now.minusSeconds(300), now.minusSeconds(60)));
        Logs.load(index, docs);
        Path config = Files.writeString(dir.resolve("robots.yml"), """
                pipelines:
                  - id: robots
                    query-delay: 1s
                    initial-lookback: 10m
                    source: {type: elasticsearch, hosts: "${ES_HOSTS}", index: "%s"}
                    sinks:
                      - {name: shop-wecom, type: wecom, webhook: "${WECOM_WEBHOOK}", message-type: markdown}
                      - {name: billing-feishu, type: feishu, webhook: "${FEISHU_WEBHOOK}", secret: "${FEISHU_SECRET}",
                         keywords: [alert], locale: zh-CN}
                    routes:
                      - {projects: [checkout], sinks: [shop-wecom], mentions: [zhangsan]}
                      - {projects: [billing], sinks: [billing-feishu], mentions: [ou_5f2e]}
                """.formatted(index));

        LogalertProcess run = LogalertProcess.runToEnd(dir.resolve("run.log"), Map.of("ES_HOSTS", Logs.hosts(),
                "WECOM_WEBHOOK", wecom.url(), "FEISHU_WEBHOOK", feishu.url(), "FEISHU_SECRET", SECRET), "run",
                "--once", "--config", config.toString());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).doesNotContain(KEY, TOKEN, SECRET);
        assertThat(wecom.accepted()).singleElement().satisfies(m -> {
            assertThat(m.content()).contains("checkout").doesNotContain("billing");
            assertThat(m.contentBytes()).isLessThan(WeComEmulator.MAX_MARKDOWN_BYTES);
            assertThat(m.rendering().mentions()).containsExactly("zhangsan");
        });
        assertThat(feishu.accepted()).singleElement().satisfies(m -> {
            assertThat(m.title()).contains("billing");
            assertThat(m.text()).doesNotContain("checkout");
            assertThat(m.rendering().mentions()).containsExactly("ou_5f2e");
        });
        assertThat(wecom.exchanges()).allSatisfy(e -> assertThat(e.errcode()).contains(0));
        assertThat(feishu.exchanges()).allSatisfy(e -> assertThat(e.errcode()).contains(0));
    }
}
