package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import io.logalert.config.Assembly;
import io.logalert.config.ConfigLoader;
import io.logalert.sink.webhook.WebhookEmulator;
import io.logalert.spi.AlertSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic webhook sink, configured by type from the runner's YAML: nested keys and variables reach it. */
class WebhookSinkYamlTest {

    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    @TempDir
    Path dir;

    private static String yaml(String url) {
        return """
                pipelines:
                  - id: app
                    source: {type: elasticsearch, hosts: "http://127.0.0.1:9", index: app}
                    sinks:
                      - name: incidents
                        type: webhook
                        webhook: "%s"
                        template: |
                          {"summary": "{{digest.events}} errors in {{digest.project}}",
                           "text": "{{text.markdown}}", "routing_key": "${ROUTING_KEY}"}
                        headers:
                          Authorization: "Bearer ${HOOK_TOKEN}"
                        signature: {secret: "${HOOK_SECRET}", timestamp-header: X-Logalert-Timestamp}
                        success: {status: [200, 202], field: code, value: 0}
                        messages-per-minute: 30
                """.formatted(url);
    }

    @Test
    void aWebhookSinkFromYamlDeliversWithItsHeadersSignatureAndTemplate() throws Exception {
        try (WebhookEmulator receiver = WebhookEmulator.builder().secret("s1gn1ng-secret")
                .timestampHeader("X-Logalert-Timestamp").requireHeader("Authorization", "Bearer t0k3n-abc").start()) {
            ConfigLoader.Loaded loaded = ConfigLoader.read("webhook.yml", yaml(receiver.url()), Map.of(
                    "HOOK_TOKEN", "t0k3n-abc", "HOOK_SECRET", "s1gn1ng-secret", "ROUTING_KEY", "rk-123"));
            assertThat(loaded.problemLines()).isEmpty();
            List<DeliveryResult> results;
            try (Assembly assembly = Assembly.of(loaded, Assembly.Options.defaults(Clock.systemUTC()))) {
                assertThat(assembly.pipelines()).singleElement();
                AlertSink sink = assembly.pipelines().get(0).sinks().get(0).sink();
                assertThat(sink.name()).isEqualTo("incidents");
                ErrorGroup group = new ErrorGroup("checkout", "k", "order <*> failed", "order 8812 failed", 12,
                        WINDOW.from(), WINDOW.to(), "http-1");
                results = sink.deliver(List.of(new Digest(Digest.idOf("app", "checkout", WINDOW), "app", "checkout",
                        WINDOW, List.of(group), 0, 0)));
            }

            assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
            assertThat(receiver.accepted()).singleElement().satisfies(m -> {
                assertThat(m.body().path("summary").asText()).isEqualTo("12 errors in checkout");
                assertThat(m.body().path("routing_key").asText()).isEqualTo("rk-123");
                assertThat(m.body().path("text").asText()).contains("order 8812 failed");
            });
        }
    }

    @Test
    void validateReportsTheWebhooksProblemsAtTheirKeys() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yml"), yaml("https://hooks.example.com/x")
                .replace("[200, 202]", "2xx").replace("{{text.markdown}}", "{{text}}"));

        Cli.Result bad = Cli.run(Map.of("HOOK_TOKEN", "t0k3n-abc", "HOOK_SECRET", "s1gn1ng-secret",
                "ROUTING_KEY", "rk-123"), "validate", "--offline", "--config", file.toString());

        assertThat(bad.code()).as(bad.all()).isEqualTo(2);
        assertThat(bad.err()).contains("pipelines[0].sinks[0].template: ", "unknown placeholder(s) {{text}}",
                "pipelines[0].sinks[0].success.status: ", "'success.status' must be HTTP statuses")
                .doesNotContain("t0k3n-abc", "s1gn1ng-secret");
    }

    @Test
    void printConfigMasksTheWebhookItsHeadersAndItsSigningSecret() throws IOException {
        Path file = Files.writeString(dir.resolve("good.yml"), yaml("https://hooks.example.com/p4th-t0ken"));

        Cli.Result shown = Cli.run(Map.of("HOOK_TOKEN", "t0k3n-abc", "HOOK_SECRET", "s1gn1ng-secret",
                "ROUTING_KEY", "rk-123"), "validate", "--print-config", "--offline", "--config", file.toString());

        assertThat(shown.code()).as(shown.all()).isZero();
        assertThat(shown.out()).contains("webhook: '***'", "headers.Authorization: '***'",
                "signature.secret: '***'", "success.status: \"200,202\"", "type: webhook")
                .doesNotContain("t0k3n-abc", "s1gn1ng-secret", "p4th-t0ken");
    }
}
