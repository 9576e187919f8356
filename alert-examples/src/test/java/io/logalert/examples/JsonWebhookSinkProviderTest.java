package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.AlertPipeline;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JsonWebhookSinkProvider} is found by its type through ServiceLoader, and checks its configuration. */
class JsonWebhookSinkProviderTest {

    private static final String TOKEN = "s3cr3t-bearer-7c1e";

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void isFoundByTypeThroughServiceLoaderBesideTheShippedSinks() {
        Map<String, AlertSinkProvider> providers =
                Plugins.providers(AlertSinkProvider.class, getClass().getClassLoader());

        assertThat(providers).containsKeys("json-webhook", "console", "dingtalk");
        assertThat(providers.get("json-webhook")).isInstanceOf(JsonWebhookSinkProvider.class);
        AlertSink sink = Plugins.create(AlertSinkProvider.class, "json-webhook",
                PluginConfig.of(Map.of("url", receiver.url("/hook"))), getClass().getClassLoader());
        assertThat(sink).isInstanceOf(JsonWebhookSink.class);
    }

    @Test
    void aPipelineNamesItByTypeAndDeliversThroughIt() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemoryLogSource source = new InMemoryLogSource()
                .add(LogEvent.of(Instant.parse("2026-03-01T09:55:00Z"), "checkout", "order 8812 failed"))
                .add(LogEvent.of(Instant.parse("2026-03-01T09:56:00Z"), "checkout", "order 9017 failed"));

        try (AlertPipeline pipeline = AlertPipeline.builder()
                .id("shop-errors")
                .source(source)
                .addSink("json-webhook", PluginConfig.of(Map.of("url", receiver.url("/hooks/logalert"))))
                .clock(clock)
                .build()) {
            RunReport report = pipeline.runOnce();

            assertThat(report.isClean()).as(report.toString()).isTrue();
            assertThat(report.deliveries()).containsOnlyKeys("json-webhook[" + receiver.url("/hooks/logalert") + "]");
        }
        JsonNode doc = new ObjectMapper().readTree(receiver.bodies().get(0));
        assertThat(doc.get("project").asText()).isEqualTo("checkout");
        assertThat(doc.at("/groups/0/template").asText()).isEqualTo("order <*> failed");
        assertThat(doc.at("/groups/0/count").asLong()).isEqualTo(2);
    }

    @Test
    void everyProblemIsReportedAtOnceWithoutSecretValues() {
        PluginConfig config = PluginConfig.of(Map.of(
                "header.Authorization", "",
                "header.Host", "evil.example.com-" + TOKEN,
                "header.X Bad", TOKEN,
                "timeout", "soon",
                "tiemout", "5s"));

        assertThatThrownBy(() -> new JsonWebhookSinkProvider().create(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(6);
                    assertThat(e.getMessage()).contains("json-webhook sink")
                            .contains("'url' is required")
                            .contains("'header.Authorization' has no value")
                            .contains("'header.Host' cannot be sent")
                            .contains("'header.X Bad' does not name a header")
                            .contains("'timeout' must be a duration")
                            .contains("unknown key 'tiemout'")
                            .doesNotContain(TOKEN);
                });
    }

    @Test
    void theUrlMustBeHttpOrHttpsAndIsNeverQuoted() {
        assertThatThrownBy(() -> new JsonWebhookSinkProvider().create(
                PluginConfig.of(Map.of("url", "ftp://files.example.com/drop?key=" + TOKEN))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'url' must be an http or https URL")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> new JsonWebhookSinkProvider().create(
                PluginConfig.of(Map.of("url", "https://hooks.example.com/a b?key=" + TOKEN))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'url' is not a URL")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> new JsonWebhookSinkProvider().create(
                PluginConfig.of(Map.of("url", receiver.url("/hook"), "timeout", "0s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'timeout' must be longer than zero");
    }

    @Test
    void theBuilderReportsItsProblemsWithThoseOfThePipeline() {
        assertThatThrownBy(() -> AlertPipeline.builder()
                .id("shop-errors")
                .source(new InMemoryLogSource())
                .addSink("json-webhook", PluginConfig.of(Map.of("header.Authorization", "Bearer " + TOKEN)))
                .interval(Duration.ZERO)
                .build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .contains("sink 'json-webhook': 'url' is required: the http or https URL digests are POSTed to")
                        .anyMatch(p -> p.startsWith("interval must be positive")))
                .hasMessageNotContaining(TOKEN);
    }
}
