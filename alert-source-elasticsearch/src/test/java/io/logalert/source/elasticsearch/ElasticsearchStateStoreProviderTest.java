package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration of the Elasticsearch state store: every problem at once, no secret echoed, discovery by type. */
class ElasticsearchStateStoreProviderTest {

    @Test
    void reportsEveryProblemAtOnce() {
        PluginConfig config = PluginConfig.of(Map.of(
                "hosts", "ftp://x,http://ok:9200",
                "username", "bob",
                "index", "Logalert State",
                "request-timeout", "soon",
                "verify-tls", "maybe",
                "indx", "state"));

        assertThatThrownBy(() -> create(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(6)
                        .anySatisfy(p -> assertThat(p).contains("'hosts' entry 1 of 2 (host x) holds a scheme "
                                + "other than http or https"))
                        .anySatisfy(p -> assertThat(p).contains("'username' and 'password' go together"))
                        .anySatisfy(p -> assertThat(p).contains("'index' ('Log…' (14 characters)) is not an "
                                + "index name").contains("must be lower case"))
                        .anySatisfy(p -> assertThat(p).contains("'request-timeout' must be a duration"))
                        .anySatisfy(p -> assertThat(p).contains("'verify-tls' must be true or false"))
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'indx'").contains("index")))
                .hasMessageStartingWith("invalid configuration of elasticsearch state store (6 problems)");
    }

    @Test
    void hostsAreRequired() {
        assertThatThrownBy(() -> create(PluginConfig.of(Map.of("index", "state"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().contains("'hosts' is required"));
    }

    @Test
    void secretsAreNeverEchoed() {
        PluginConfig config = PluginConfig.of(Map.of("hosts", "http://bob:hunter22@es:9200", "username", "bob",
                "password", "hunter22", "api-key", "c2VjcmV0LWtleQ==", "request-timeout", "0s"));

        assertThatThrownBy(() -> create(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(p -> assertThat(p).contains("'hosts' (host es) holds credentials, not shown"))
                        .anySatisfy(p -> assertThat(p).contains("not both"))
                        .anySatisfy(p -> assertThat(p).contains("'request-timeout' must be more than zero")))
                .hasMessageNotContaining("hunter22")
                .hasMessageNotContaining("c2VjcmV0LWtleQ==");
    }

    @Test
    void aSecretTypedIntoAnyKeyIsNeverEchoedWhole() {
        for (String secret : SourceSettingsTest.SECRETS) {
            for (String key : List.of("hosts", "username", "api-key", "ca-certificate", "ca-fingerprint", "verify-tls",
                    "index", "request-timeout")) {
                Map<String, String> values = new HashMap<>(Map.of("hosts", "https://es:9200"));
                values.put(key, secret);
                try {
                    create(PluginConfig.of(values)).close();
                } catch (ConfigException e) {
                    assertThat(e.getMessage()).as(key + "=" + secret).doesNotContain(secret)
                            .doesNotContain(secret.substring(0, 4));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"State", "-state", "_state", "+state", ".", "..", "state/x", "st ate", "state*",
            "state,other", "state#1", "state:1", "st?te"})
    void indexMustBeAnIndexName(String index) {
        assertThatThrownBy(() -> create(PluginConfig.of(Map.of("hosts", "http://es:9200", "index", index))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("'index' (" + ConfigValidator.redact(index) + ") is not an index name")
                        .doesNotContain("'" + index + "'"));
    }

    @Test
    void indexLongerThan255BytesIsRefusedWithoutEchoingAllOfIt() {
        String index = "s".repeat(256);

        assertThatThrownBy(() -> create(PluginConfig.of(Map.of("hosts", "http://es:9200", "index", index))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at most 255 bytes")
                .hasMessageNotContaining(index);
    }

    @Test
    void discoveredByTypeWithTheDefaultIndexAndANameWithoutSecrets() {
        PluginConfig config = PluginConfig.of(Map.of("hosts", "http://127.0.0.1:9200,http://es2", "username", "bob",
                "password", "hunter22"));

        try (StateStore store = create(config)) {
            assertThat(store).isInstanceOf(ElasticsearchStateStore.class);
            assertThat(store.name()).isEqualTo("elasticsearch[http://127.0.0.1:9200,http://es2:9200/.logalert-state]");
            assertThat(store.toString()).doesNotContain("hunter22");
        }
    }

    @Test
    void indexCanBeConfigured() {
        try (StateStore store = create(PluginConfig.of(Map.of("hosts", "http://es:9200", "index",
                "logalert-state-prod", "request-timeout", "5s", "verify-tls", "true")))) {
            assertThat(store.name()).isEqualTo("elasticsearch[http://es:9200/logalert-state-prod]");
        }
    }

    private StateStore create(PluginConfig config) {
        return Plugins.create(StateStoreProvider.class, "elasticsearch", config, getClass().getClassLoader());
    }
}
