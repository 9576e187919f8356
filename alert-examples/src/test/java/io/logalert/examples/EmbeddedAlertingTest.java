package io.logalert.examples;

import static io.logalert.examples.EmbeddedAlerting.CHECKOUT_ONCALL;
import static io.logalert.examples.EmbeddedAlerting.DINGTALK_BASE_URL;
import static io.logalert.examples.EmbeddedAlerting.DINGTALK_SECRET;
import static io.logalert.examples.EmbeddedAlerting.DINGTALK_TOKEN;
import static io.logalert.examples.EmbeddedAlerting.ES_HOSTS;
import static io.logalert.examples.EmbeddedAlerting.OPS_WEBHOOK_TOKEN;
import static io.logalert.examples.EmbeddedAlerting.OPS_WEBHOOK_URL;
import static io.logalert.examples.EmbeddedAlerting.STATE_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.AlertPipeline;
import io.logalert.DeliveryResult;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedAlerting}: its settings, and its life with the application. Where the real endpoints cannot be
 * reached in a unit test, parts are substituted: the log is in memory, the DingTalk robot is the shipped emulator
 * (the real DingTalk sink talks to it over HTTP), the operations webhook is a loopback receiver.
 */
class EmbeddedAlertingTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final String ROBOT_SECRET = "SECembedded0123456789abcdef";
    private static final String OPS_TOKEN = "ops-token-5e6f7a8b";

    @Test
    void missingSettingsAreOneConfigExceptionNamingEveryKeyNeverANullPointerException() {
        // DINGTALK_TOKEN is set, so its value must not show; the rest of the required settings are missing.
        Map<String, String> environment = Map.of(DINGTALK_TOKEN, "tok-never-shown-4711", "PATH", "/usr/bin");

        assertThatThrownBy(() -> EmbeddedAlerting.configure(environment))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("'LOGALERT_ES_HOSTS' is required"))
                            .anySatisfy(p -> assertThat(p).startsWith("'LOGALERT_STATE_DIR' is required"))
                            .anySatisfy(p -> assertThat(p).startsWith("'DINGTALK_SECRET' is required"))
                            .anySatisfy(p -> assertThat(p).startsWith("'OPS_WEBHOOK_URL' is required"));
                    assertThat(e.getMessage()).contains("alerting settings").doesNotContain("tok-never-shown-4711")
                            .doesNotContain("PATH");
                });
    }

    @Test
    void aNullValueGivenToPluginConfigIsNamedToo() {
        // The other safe way, for a plug-in's own keys: a HashMap (Map.of would throw a bare NPE on the null), which
        // PluginConfig.of refuses naming the key.
        Map<String, String> robot = new HashMap<>();
        robot.put("access-token", Map.<String, String>of().get(DINGTALK_TOKEN));

        assertThatThrownBy(() -> PluginConfig.of(robot))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'access-token' has no value");
    }

    @Test
    void buildsWithTheRealPluginsByType(@TempDir Path state) {
        Map<String, String> environment = environment(state, "http://127.0.0.1:9", "https://incidents.example.com/hook");

        // Building connects to nothing: this checks the whole configuration against the real plug-ins.
        try (AlertPipeline pipeline = EmbeddedAlerting.configure(environment).build()) {
            assertThat(pipeline.id()).isEqualTo(AlertingOfMyApp.PIPELINE_ID);
            assertThat(pipeline.toString()).contains("source elasticsearch[", "checkout-robot", "ops-webhook")
                    .doesNotContain(ROBOT_SECRET).doesNotContain(OPS_TOKEN);
        }
    }

    @Test
    void aWrongValueIsNamedByThePlugInThatReadsIt(@TempDir Path state) {
        Map<String, String> environment = new HashMap<>(environment(state, "http://127.0.0.1:9", "ftp://x/hook"));
        environment.put(DINGTALK_SECRET, "not-a-signing-secret");

        assertThatThrownBy(() -> EmbeddedAlerting.configure(environment).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("sink 'dingtalk': 'secret' must be"))
                        .anySatisfy(p -> assertThat(p).startsWith("sink 'json-webhook': 'url' must be")))
                .hasMessageNotContaining("not-a-signing-secret");
    }

    @Test
    void startsWithTheApplicationDeliversAndClosesOnShutdown(@TempDir Path state) throws Exception {
        String token = "embedded-" + UUID.randomUUID();
        ManualClock clock = new ManualClock(NOW);
        InMemoryLogSource log = new InMemoryLogSource()
                .add(LogEvent.of(NOW.minusSeconds(300), "checkout", "order 8812 failed"))
                .add(LogEvent.of(NOW.minusSeconds(240), "checkout", "order 9017 failed"))
                .add(LogEvent.of(NOW.minusSeconds(200), "billing", "invoice 5531 not found"));
        BlockingQueue<RunReport> reports = new LinkedBlockingQueue<>();

        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(token).secret(ROBOT_SECRET).start();
             WebhookReceiver ops = WebhookReceiver.start()) {
            Map<String, String> environment = new HashMap<>(environment(state, "http://127.0.0.1:9",
                    ops.url("/hooks/logalert")));
            environment.put(DINGTALK_TOKEN, token);
            environment.put(DINGTALK_BASE_URL, robot.baseUrl().toString());
            AlertPipeline.Builder builder = EmbeddedAlerting.configure(environment)
                    // the substitutes: the log in memory, and a clock the test owns
                    .source(log)
                    .clock(clock)
                    // the application's listener, plus a queue the test waits on instead of sleeping
                    .onReport(report -> {
                        EmbeddedAlerting.logReport(report);
                        reports.add(report);
                    });

            RunReport first;
            EmbeddedAlerting alerting = new EmbeddedAlerting(builder.build());
            try (alerting) {
                alerting.start();

                // start() runs at once; the next run is an interval (1 minute) later, after this test is done
                first = reports.poll(30, TimeUnit.SECONDS);
                assertThat(first).as("a run within 30 s of start()").isNotNull();
                assertThat(first.isClean()).as(first.toString()).isTrue();
                assertThat(first.window()).map(w -> w.to()).contains(NOW.minusSeconds(30));
                assertThat(first.deliveries().get(AlertingOfMyApp.CHECKOUT_ROBOT))
                        .extracting(r -> r.digest().project(), DeliveryResult::isDelivered)
                        .containsExactly(tuple("checkout", true));
                assertThat(first.deliveries().get(AlertingOfMyApp.OPS_WEBHOOK))
                        .extracting(r -> r.digest().project(), DeliveryResult::isDelivered)
                        .containsExactly(tuple("billing", true));
            }

            // What the robot and the webhook received, over HTTP.
            assertThat(robot.accepted()).singleElement().satisfies(message -> {
                assertThat(message.text()).contains("order").contains("checkout");
                assertThat(message.atMobiles()).containsExactly("13800000000");
            });
            assertThat(ops.requests()).singleElement().satisfies(request -> {
                assertThat(request.header("Authorization")).hasValue("Bearer " + OPS_TOKEN);
                JsonNode doc = new ObjectMapper().readTree(request.body());
                assertThat(doc.get("project").asText()).isEqualTo("billing");
                assertThat(doc.at("/groups/0/count").asLong()).isEqualTo(1);
            });

            // Closed: no more runs.
            assertThatThrownBy(() -> alerting.pipeline().runOnce()).isInstanceOf(IllegalStateException.class);

            // A restart (the next deploy) opens the same state directory, whose lock close() released, and goes on
            // from the saved checkpoint: nothing read twice, nothing skipped.
            clock.advance(Duration.ofMinutes(1));
            try (AlertPipeline restarted = EmbeddedAlerting.configure(environment).source(log).clock(clock).build()) {
                RunReport next = restarted.runOnce();

                assertThat(next.window()).map(w -> w.from()).isEqualTo(first.window().map(w -> w.to()));
                assertThat(next.eventsRead()).isZero();
            }
        }
    }

    @Test
    void mainRefusesToStartWithoutItsSettings(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("output.txt");
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedAlerting.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // an environment without any of the application's settings
        child.environment().clear();

        Process process = child.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }

        String text = read(output);
        assertThat(exited).as("the application exits at once: " + text).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(text).contains("ConfigException", "LOGALERT_ES_HOSTS", "LOGALERT_STATE_DIR", "DINGTALK_TOKEN",
                "DINGTALK_SECRET", "OPS_WEBHOOK_URL").doesNotContain("NullPointerException");
    }

    /** A complete environment: the log cluster at {@code esHosts}, operations' webhook at {@code opsUrl}. */
    private static Map<String, String> environment(Path state, String esHosts, String opsUrl) {
        return Map.of(
                ES_HOSTS, esHosts,
                STATE_DIR, state.toString(),
                DINGTALK_TOKEN, "robot-token-0a1b2c3d",
                DINGTALK_SECRET, ROBOT_SECRET,
                CHECKOUT_ONCALL, "13800000000",
                OPS_WEBHOOK_URL, opsUrl,
                OPS_WEBHOOK_TOKEN, OPS_TOKEN);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
