package io.logalert.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {

    private enum Mode { STREAM, AGGREGATE, AUTO_DETECT }

    @Test
    void typedGettersReadValuesAndFallBackToDefaults() {
        PluginConfig config = Map.of("page-size", "5_000", "verify", "FALSE", "timeout", "250ms",
                "hosts", " a:1 , b:2 ,, ", "mode", "auto-detect")::get;
        ConfigValidator v = config.validator("test");

        assertThat(v.integer("page-size", 1, 1, 10_000)).isEqualTo(5_000);
        assertThat(v.bool("verify", true)).isFalse();
        assertThat(v.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(v.list("hosts")).containsExactly("a:1", "b:2");
        assertThat(v.oneOf("mode", Mode.STREAM, Mode.class)).isEqualTo(Mode.AUTO_DETECT);
        assertThat(v.integer("absent", 7, 1, 10)).isEqualTo(7);
        assertThat(v.string("absent", "fallback")).isEqualTo("fallback");
        v.validate();
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(ConfigValidator.parseDuration("30s")).contains(Duration.ofSeconds(30));
        assertThat(ConfigValidator.parseDuration("5m")).contains(Duration.ofMinutes(5));
        assertThat(ConfigValidator.parseDuration("2h")).contains(Duration.ofHours(2));
        assertThat(ConfigValidator.parseDuration("1d")).contains(Duration.ofDays(1));
        assertThat(ConfigValidator.parseDuration("PT1M30S")).contains(Duration.ofSeconds(90));
        assertThat(ConfigValidator.parseDuration("30")).isEmpty();
        assertThat(ConfigValidator.parseDuration("s")).isEmpty();
        assertThat(ConfigValidator.parseDuration("3 weeks")).isEmpty();
        assertThat(ConfigValidator.parseDuration("999999999999999d")).as("overflows a Duration").isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        PluginConfig config = PluginConfig.of(Map.of("page-size", "lots", "verify", "yes", "timeout", "soon",
                "mode", "turbo", "pagesize", "10"));
        ConfigValidator v = config.validator("elasticsearch source");
        v.integer("page-size", 1_000, 1, 10_000);
        v.bool("verify", true);
        v.duration("timeout", Duration.ofSeconds(30));
        v.oneOf("mode", Mode.AUTO_DETECT, Mode.class);
        v.required("hosts", "one or more URLs such as http://localhost:9200");

        assertThatThrownBy(v::validate)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "'page-size' must be a whole number from 1 to 10000, was 'lots'",
                        "'verify' must be true or false, was 'yes'",
                        "'timeout' must be a duration such as 250ms, 30s, 5m, 2h, 1d or PT30S, was 'soon'",
                        "'mode' must be one of stream, aggregate, auto-detect, was 'turbo'",
                        "'hosts' is required: one or more URLs such as http://localhost:9200",
                        "unknown key 'pagesize'; known keys: hosts, mode, page-size, timeout, verify"))
                .hasMessageStartingWith("invalid configuration of elasticsearch source (6 problems):");
    }

    @Test
    void outOfRangeNumbersNameTheRange() {
        ConfigValidator v = PluginConfig.of(Map.of("budget", "21")).validator("dingtalk sink");
        assertThat(v.integer("budget", 20, 1, 20)).isEqualTo(20);

        assertThat(v.problems()).containsExactly("'budget' must be from 1 to 20, was 21");
    }

    @Test
    void secretValuesNeverAppearInProblems() {
        String secret = "SECd41d8cd98f00b204e9800998ecf8427e";
        PluginConfig config = PluginConfig.of(Map.of("secret", secret, "secrte", secret));
        ConfigValidator v = config.validator("dingtalk sink");
        v.secret("secret");
        v.check(false, "'secret' must start with SEC");

        assertThatThrownBy(v::validate).satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret))
                .hasMessageContaining("unknown key 'secrte'");
        assertThat(config.toString()).doesNotContain(secret);
    }

    @Test
    void nullValuesAreNamedNotThrownAsNullPointerExceptions() {
        Map<String, String> values = new java.util.HashMap<>();
        values.put("access-token", null);
        values.put("secret", null);
        values.put("keywords", "alert");

        assertThatThrownBy(() -> PluginConfig.of(values)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "'access-token' has no value (null); leave the key out or give it one",
                        "'secret' has no value (null); leave the key out or give it one"));
    }

    @Test
    void aLambdaConfigCannotTellItsKeysSoNothingIsUnknown() {
        PluginConfig config = Map.of("anything", "x")::get;
        config.validator("test").validate();
    }

    @Test
    void plainGettersThrowOnBadValues() {
        PluginConfig config = Map.of("n", "x", "b", "maybe", "d", "forever")::get;

        assertThatThrownBy(() -> config.integer("n", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'n' must be a whole number");
        assertThatThrownBy(() -> config.bool("b", true)).hasMessageContaining("'b' must be true or false");
        assertThatThrownBy(() -> config.duration("d", Duration.ZERO)).hasMessageContaining("'d' must be a duration");
        assertThat(config.integer("unset", 3)).isEqualTo(3);
    }
}
