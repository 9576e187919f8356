package io.logalert.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter in an application context against the real node and the DingTalk emulator: the pipeline starts with
 * the context, its digests reach the robot, its health is up and its meters are in the context's registry.
 */
class LogalertStarterIT {

    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("starter-token").keywords("alert")
            .start();

    @AfterEach
    void stopRobot() {
        robot.close();
    }

    @Test
    void aStartedContextDeliversDigestsIsHealthyAndCountsInItsRegistry() {
        ElasticsearchNode node = ElasticsearchNode.shared();
        String index = "starter-" + ProcessHandle.current().pid();
        Instant now = Instant.now();
        List<Map<String, Object>> docs = new ArrayList<>();
        docs.addAll(errors("checkout", 20, now.minusSeconds(300)));
        docs.addAll(errors("billing", 10, now.minusSeconds(240)));
        BulkLoader.loadDocuments(node, index, docs.stream());

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogalertAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues(
                        "logalert.pipelines[0].id=app-errors",
                        "logalert.pipelines[0].query-delay=1s",
                        "logalert.pipelines[0].realert=off",
                        "logalert.pipelines[0].source.type=elasticsearch",
                        "logalert.pipelines[0].source.hosts=http://127.0.0.1:" + node.uri().getPort(),
                        "logalert.pipelines[0].source.index=" + index,
                        "logalert.pipelines[0].sinks[0].name=ops-robot",
                        "logalert.pipelines[0].sinks[0].type=dingtalk",
                        "logalert.pipelines[0].sinks[0].base-url=" + robot.baseUrl(),
                        "logalert.pipelines[0].sinks[0].access-token=starter-token",
                        "logalert.pipelines[0].sinks[0].keywords=alert")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HealthIndicator health = (HealthIndicator) context.getBean("logalertHealthContributor",
                            CompositeHealthContributor.class).getContributor("app-errors");
                    // started with the context: the first run reads the initial lookback at once
                    waitFor(() -> health.health().getStatus() != Status.UNKNOWN, "the first run to end");

                    assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::text)
                            .anySatisfy(text -> assertThat(text).contains("checkout"))
                            .anySatisfy(text -> assertThat(text).contains("billing"));
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("logalert.read.events").tag("pipeline", "app-errors").counter().count())
                            .isEqualTo(30.0);
                    assertThat(registry.get("logalert.deliveries").tags("pipeline", "app-errors", "sink",
                            "ops-robot", "result", "delivered").counter().count()).isEqualTo(2.0);
                });
    }

    /** {@code count} ERROR documents of {@code project}, a second apart from {@code from}, as the script's logs. */
    private static List<Map<String, Object>> errors(String project, int count, Instant from) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("@timestamp", from.plusSeconds(i).toString());
            doc.put("loglevel", "ERROR");
            doc.put("projectname", project);
            doc.put("threadname", "http-nio-8080-exec-1");
            doc.put("msg", "order " + (8_800 + i * 17) + " failed: payment declined");
            docs.add(doc);
        }
        return docs;
    }

    /** Waits for what the pipeline's own thread brings about; fails with what the robot has after a minute. */
    private void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited a minute for " + what + "; the robot has " + robot.accepted());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
