package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.ConfigException;
import io.logalert.spi.LogSource;
import io.logalert.spi.LogSourceProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSettingsTest {

    @Test
    void defaultsFollowTheScriptThisSourceReplaces() {
        SourceSettings settings = SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es1:9200,http://es2.local",
                "index", "logs-*")));

        assertThat(settings.connection().hosts()).extracting(Object::toString)
                .containsExactly("http://es1:9200", "http://es2.local:9200");
        assertThat(settings.fields()).isEqualTo(new SourceSettings.Fields("@timestamp", "loglevel", "projectname",
                "threadname", "msg", "logger_name", "stack_trace"));
        assertThat(settings.levels()).containsExactly("ERROR");
        assertThat(settings.mode()).isEqualTo(ReadMode.AUTO);
        assertThat(settings.pageSize()).isEqualTo(1000);
        assertThat(settings.maxSlices()).isEqualTo(4);
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.connection().verifyTls()).isTrue();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        PluginConfig config = PluginConfig.of(Map.of(
                "hosts", "ftp://x,http://ok:9200",
                "username", "bob",
                "page-size", "0",
                "max-slices", "0",
                "mode", "fast",
                "filter", "{not json",
                "include-projects", "a,b",
                "exclude-projects", "b",
                "request-timeout", "soon",
                "indx", "logs-*"));

        assertThatThrownBy(() -> SourceSettings.parse(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(10)
                        .anySatisfy(p -> assertThat(p).contains("'hosts' entry 1 of 2 (host x) holds a scheme "
                                + "other than http or https"))
                        .anySatisfy(p -> assertThat(p).contains("'username' and 'password' go together"))
                        .anySatisfy(p -> assertThat(p).contains("'index' is required"))
                        .anySatisfy(p -> assertThat(p).contains("'page-size' must be from 1 to 10000"))
                        .anySatisfy(p -> assertThat(p).contains("'max-slices' must be from 1 to 64"))
                        .anySatisfy(p -> assertThat(p).contains("'mode' must be one of auto, stream, aggregate"))
                        .anySatisfy(p -> assertThat(p).contains("'filter' is not valid JSON"))
                        .anySatisfy(p -> assertThat(p).contains("'b' is in both"))
                        .anySatisfy(p -> assertThat(p).contains("'request-timeout' must be a duration"))
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'indx'")));
    }

    @Test
    void maxSlicesOfOneReadsAsOneStreamAndAboveTheCapIsRefused() {
        assertThat(SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es:9200", "index", "logs",
                "max-slices", "1"))).maxSlices()).isEqualTo(1);
        assertThatThrownBy(() -> SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es:9200",
                "index", "logs", "max-slices", "65"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'max-slices' must be from 1 to 64");
    }

    @Test
    void secretsAreNeverEchoed() {
        PluginConfig config = PluginConfig.of(Map.of("hosts", "http://bob:hunter22@es:9200", "index", "logs",
                "username", "bob", "password", "hunter22", "api-key", "c2VjcmV0LWtleQ=="));

        assertThatThrownBy(() -> SourceSettings.parse(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("credentials")
                .hasMessageContaining("not both")
                .hasMessageNotContaining("hunter22")
                .hasMessageNotContaining("c2VjcmV0LWtleQ==");
    }

    /** Every key this source reads, for the test that types a secret into each. */
    static final List<String> KEYS = List.of("hosts", "username", "api-key", "ca-certificate", "ca-fingerprint",
            "verify-tls", "index", "field.timestamp", "field.level", "field.project", "field.thread", "field.message",
            "field.logger", "field.stack-trace", "levels", "include-projects", "exclude-projects", "filter",
            "page-size", "request-timeout", "mode", "auto.min-documents", "auto.max-distinct-percent",
            "max-slices");

    /** Secrets as they get pasted: a password, an API key, a numeric PIN, a password with JSON's quotes in it. */
    static final List<String> SECRETS = List.of("hunter2-correct-horse",
            "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==", "8472619305", "p4ss\"word{with]json");

    @Test
    void aSecretTypedIntoAnyKeyIsNeverEchoedWhole() {
        for (String secret : SECRETS) {
            for (String key : KEYS) {
                Map<String, String> values = new HashMap<>(Map.of("hosts", "https://es:9200", "index",
                        "logs-*"));
                values.put(key, secret);
                try {
                    SourceSettings.parse(PluginConfig.of(values));
                } catch (ConfigException e) {
                    assertThat(e.getMessage()).as(key + "=" + secret).doesNotContain(secret)
                            .doesNotContain(secret.substring(0, 4));
                }
            }
        }
    }

    @Test
    void credentialsInAHostsUrlAreNeverEchoed() {
        String apiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw";
        for (String host : List.of("https://es.example.com:9200/?api_key=" + apiKey,
                "https://elastic:" + apiKey + "@es.example.com:9200", "https://es.example.com:9200/" + apiKey,
                "https://es.example.com:9200#" + apiKey, "es.example.com:9200?api_key=" + apiKey, apiKey)) {
            assertThatThrownBy(() -> SourceSettings.parse(PluginConfig.of(Map.of("hosts", host, "index", "logs"))))
                    .as(host)
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                            .asString().startsWith("'hosts' ").doesNotContain(apiKey).doesNotContain("VnVh"));
        }
        assertThatThrownBy(() -> SourceSettings.parse(PluginConfig.of(Map.of("hosts",
                "https://es.example.com:9200/?api_key=" + apiKey, "index", "logs"))))
                .hasMessageContaining("'hosts' (host es.example.com) holds a query string, not shown here");
    }

    @Test
    void aFilterThatIsNotJsonIsNotEchoed() {
        String secret = "hunter2-correct-horse";

        assertThatThrownBy(() -> SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es", "index", "l",
                "filter", secret))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().isEqualTo("'filter' is not valid JSON (at line 1, column 8 of 'hun…' (21 "
                                + "characters)); it must be one Elasticsearch query, e.g. "
                                + "{\"term\":{\"env\":\"prod\"}}"));
    }

    @Test
    void toStringAndNameHideThePassword() {
        PluginConfig config = PluginConfig.of(Map.of("hosts", "http://127.0.0.1:9200", "index", "logs",
                "username", "bob", "password", "hunter22"));

        assertThat(SourceSettings.parse(config).toString()).contains("bob").doesNotContain("hunter22");
        try (LogSource source = Plugins.create(LogSourceProvider.class, "elasticsearch", config,
                getClass().getClassLoader())) {
            assertThat(source).isInstanceOf(ElasticsearchLogSource.class);
            assertThat(source.name()).isEqualTo("elasticsearch[http://127.0.0.1:9200]");
        }
    }

    @Test
    void tlsSettingsAreChecked() {
        PluginConfig config = PluginConfig.of(Map.of("hosts", "http://es:9200", "index", "logs",
                "ca-certificate", "/no/such/ca.crt", "ca-fingerprint", "abc", "verify-tls", "false"));

        assertThatThrownBy(() -> SourceSettings.parse(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("readable PEM file"))
                        .anySatisfy(p -> assertThat(p).contains("64 hex digits"))
                        .anySatisfy(p -> assertThat(p).contains("not both"))
                        .anySatisfy(p -> assertThat(p).contains("no host in 'hosts' uses https"))
                        .anySatisfy(p -> assertThat(p).contains("'verify-tls' is false")));
    }

    @Test
    void anUnusableCaCertificateIsNamedByItsKey(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate");

        assertThatThrownBy(() -> ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", "https://es:9200",
                "index", "logs", "ca-certificate", notPem.toString()))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("'ca-certificate' " + notPem + " cannot be used as a CA certificate"));
    }

    @Test
    void levelsStarExcludesOtherLevels() {
        assertThat(SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es", "index", "l", "levels", "*")))
                .anyLevel()).isTrue();
        assertThatThrownBy(() -> SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es", "index", "l",
                "levels", "*,ERROR")))).hasMessageContaining("either *");
        assertThat(SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es", "index", "l",
                "levels", "error, fatal"))).levels()).isEqualTo(List.of("error", "fatal"));
    }
}
