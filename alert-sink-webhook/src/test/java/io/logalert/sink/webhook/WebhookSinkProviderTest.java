package io.logalert.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class WebhookSinkProviderTest {

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(AlertSinkProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("webhook")).toList())
                .singleElement().isInstanceOf(WebhookSinkProvider.class);
    }

    @Test
    void createsAWorkingSinkFromNestedKeys() {
        try (WebhookEmulator receiver = WebhookEmulator.builder().secret("sign-me-please")
                .timestampHeader("X-Ts").requireHeader("Authorization", "Bearer abc-123-def").start()) {
            AlertSink sink = new WebhookSinkProvider().create(PluginConfig.of(Map.ofEntries(
                    Map.entry("webhook", receiver.url()),
                    Map.entry("template", "{\"text\": \"{{text.markdown}}\", \"who\": \"{{digest.project}}\"}"),
                    Map.entry("headers.Authorization", "Bearer abc-123-def"),
                    Map.entry("signature.secret", "sign-me-please"),
                    Map.entry("signature.timestamp-header", "X-Ts"),
                    Map.entry("success.status", "200, 201-204"),
                    Map.entry("success.field", "code"),
                    Map.entry("success.value", "0"),
                    Map.entry("time-zone", "Asia/Shanghai"),
                    Map.entry("messages-per-minute", "60"),
                    Map.entry("max-body-bytes", "100000"))));

            assertThat(sink.deliver(List.of(Samples.digest("checkout", "boom")))).singleElement()
                    .satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
            assertThat(receiver.accepted()).singleElement().satisfies(m -> {
                assertThat(m.body().path("who").asText()).isEqualTo("checkout");
                assertThat(m.body().path("text").asText()).startsWith("### checkout").contains("(+08:00)");
            });
        }
    }

    @Test
    void everyProblemIsReportedAtOnceWithWhatIsAllowedAndNoSecret() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new WebhookSinkProvider()
                .create(PluginConfig.of(Map.ofEntries(
                        Map.entry("webhook", "ftp://hooks.example.com/t0k3n-in-path"),
                        Map.entry("template", "{\"text\": \"{{text}}\"}"),
                        Map.entry("headers.Bad Name", "Bearer h1dd3n-value"),
                        Map.entry("headers.Host", "evil.example"),
                        Map.entry("headers.X-Line", "a\nb"),
                        Map.entry("signature.header", "X-Sig"),
                        Map.entry("signature.algorithm", "md5"),
                        Map.entry("success.status", "2xx"),
                        Map.entry("success.field", "code"),
                        Map.entry("messages-per-minute", "100000"),
                        Map.entry("headers", "Authorization: Bearer h1dd3n-value"),
                        Map.entry("retry-backof", "1s")))));

        assertThat(e.getMessage()).contains(
                "'webhook' must be an http(s) URL such as https://hooks.example.com/…",
                "'template' has the unknown placeholder(s) {{text}}",
                "'template' must hold the message's text exactly once",
                "'headers.Bad Name' is not a header name",
                "'headers.Host' cannot be sent: Java's HTTP client sets Host itself",
                "'headers.X-Line' must have a value on one line",
                "'signature.header' needs 'signature.secret'",
                "'signature.algorithm' must be one of hmac-sha256, hmac-sha512, hmac-sha1",
                "'success.status' must be HTTP statuses from 100 to 599",
                "'success.field' and 'success.value' go together",
                "'messages-per-minute' must be from 1 to 600, was more than 600",
                "'headers' must be a mapping of header names to values",
                "unknown key 'retry-backof'")
                .doesNotContain("t0k3n-in-path", "h1dd3n-value");
    }

    @Test
    void anEmptySignaturePrefixSendsTheBareSignature() {
        try (WebhookEmulator receiver = WebhookEmulator.builder().secret("sign-me-please").prefix("").start()) {
            AlertSink sink = new WebhookSinkProvider().create(PluginConfig.of(Map.of("webhook", receiver.url(),
                    "signature.secret", "sign-me-please", "signature.prefix", "")));

            assertThat(sink.deliver(List.of(Samples.digest("checkout", "boom")))).singleElement()
                    .satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
            assertThat(receiver.accepted().get(0).headers().get("x-logalert-signature")).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void theWebhookIsRequired() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> new WebhookSinkProvider()
                .create(PluginConfig.empty()))).hasMessageContaining("'webhook' is required");
    }
}
