package io.logalert.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration's small parts: variables, suggestions, durations, secret keys. */
class SmallPartsTest {

    private static final EnvVars ENV = new EnvVars(Map.of("SET", "value", "EMPTY", ""));

    @Test
    void variablesResolveAsAShellDoes() {
        assertThat(ENV.resolve("a ${SET} b").value()).isEqualTo("a value b");
        assertThat(ENV.resolve("${UNSET:-fallback}").value()).isEqualTo("fallback");
        assertThat(ENV.resolve("${EMPTY:-fallback}").value()).isEqualTo("fallback");
        assertThat(ENV.resolve("${EMPTY}").value()).isEmpty();
        assertThat(ENV.resolve("${UNSET:-}").value()).isEmpty();
        assertThat(ENV.resolve("${SET:-http://x:9200}").value()).isEqualTo("value");
        assertThat(ENV.resolve("no variables, $ alone, $SET").value()).isEqualTo("no variables, $ alone, $SET");
        assertThat(ENV.resolve("$${SET}").value()).isEqualTo("${SET}");
    }

    @Test
    void unresolvableReferencesAreNamed() {
        assertThat(ENV.resolve("${UNSET}").problems()).containsExactly(
                "environment variable UNSET is not set; set it, or give a default: ${UNSET:-…}");
        assertThat(ENV.resolve("${1BAD}").problems()).singleElement().asString()
                .startsWith("'${1BAD}' is not a variable reference");
        assertThat(ENV.resolve("${OPEN").problems()).singleElement().asString()
                .startsWith("'${' without a closing '}'");
    }

    @Test
    void suggestionsAreNearMisspellingsOnly() {
        List<String> keys = List.of("query-delay", "interval", "initial-lookback", "max-window", "index");
        assertThat(Suggest.nearest("query-dely", keys)).contains("query-delay");
        assertThat(Suggest.nearest("intreval", keys)).contains("interval");
        assertThat(Suggest.nearest("idx", keys)).contains("index");
        assertThat(Suggest.nearest("colour", keys)).isEmpty();
        assertThat(Suggest.nearest("ab", keys)).isEmpty();
        assertThat(Suggest.distance("ab", "ba")).isEqualTo(1);
    }

    @Test
    void durationsAreWrittenTheShortestWayAndReadBack() {
        for (Duration d : List.of(Duration.ofMinutes(2), Duration.ofSeconds(90), Duration.ofHours(24),
                Duration.ofMillis(250), Duration.ZERO, Duration.ofDays(30))) {
            assertThat(Durations.parse(Durations.format(d))).contains(d);
        }
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.parse("PT2M")).contains(Duration.ofMinutes(2));
        assertThat(Durations.parse("2 minutes")).isEmpty();
    }

    @Test
    void secretKeysAreKnownByName() {
        assertThat(List.of("access-token", "secret", "password", "api-key", "webhook", "my-api-token",
                "headers.Authorization", "header.X-Api-Key"))
                .allMatch(Secrets::isSecret);
        assertThat(List.of("hosts", "index", "username", "keywords", "base-url", "name")).noneMatch(Secrets::isSecret);
    }
}
