package io.logalert.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
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
                        "'page-size' must be a whole number from 1 to 10000, was 'l…' (4 characters)",
                        "'verify' must be true or false, was '…' (3 characters)",
                        "'timeout' must be a duration such as 250ms, 30s, 5m, 2h, 1d or PT30S, was 's…' "
                                + "(4 characters)",
                        "'mode' must be one of stream, aggregate, auto-detect, was 't…' (5 characters)",
                        "'hosts' is required: one or more URLs such as http://localhost:9200",
                        "unknown key 'pagesize'; known keys: hosts, mode, page-size, timeout, verify"))
                .hasMessageStartingWith("invalid configuration of elasticsearch source (6 problems):");
    }

    @Test
    void outOfRangeNumbersNameTheRange() {
        ConfigValidator v = PluginConfig.of(Map.of("budget", "21")).validator("dingtalk sink");
        assertThat(v.integer("budget", 20, 1, 20)).isEqualTo(20);

        assertThat(v.problems()).containsExactly("'budget' must be from 1 to 20, was more than 20");
        assertThat(PluginConfig.of(Map.of("budget", "-4")).validator("dingtalk sink").integer("budget", 7, 0,
                Integer.MAX_VALUE)).isEqualTo(7);
    }

    @Test
    void belowTheRangeIsToldWithoutTheNumber() {
        ConfigValidator v = PluginConfig.of(Map.of("budget", "-123456")).validator("dingtalk sink");
        v.integer("budget", 20, 1, 20);

        assertThat(v.problems()).containsExactly("'budget' must be from 1 to 20, was less than 1");
    }

    @Test
    void aSecretTypedIntoAnyTypedKeyIsNeverEchoedWhole() {
        // a password, a token and a numeric PIN, each pasted into a key that expects something else
        String password = "hunter2-correct-horse";
        String token = "SEC4f2b8d1c9e0a7b3f6d2c8e1a9b7f4d3c2e1a0b";
        String pin = "8472619305";
        for (String secret : List.of(password, token, pin)) {
            PluginConfig config = PluginConfig.of(Map.of("page-size", secret, "verify", secret, "request-timeout",
                    secret, "mode", secret, "time-zone", secret, "budget", secret));
            ConfigValidator v = config.validator("elasticsearch source");
            v.integer("page-size", 1_000, 1, 10_000);
            v.bool("verify", true);
            v.duration("request-timeout", Duration.ofSeconds(30));
            v.oneOf("mode", Mode.STREAM, Mode.class);
            v.zone("time-zone", ZoneOffset.UTC);
            v.longValue("budget", 1, 1, 100);

            assertThatThrownBy(v::validate).isInstanceOfSatisfying(ConfigException.class, e -> {
                assertThat(e.problems()).as(secret).hasSize(6);
                assertThat(e.getMessage()).as(secret).doesNotContain(secret)
                        // no more than three characters of it, however long it is
                        .doesNotContain(secret.substring(0, 4));
                assertThat(e.problems()).as(secret).allSatisfy(p -> assertThat(p).startsWith("'"));
            });
        }
    }

    @Test
    void aRedactedValueShowsAtMostAQuarterOfItAndItsLength() {
        assertThat(ConfigValidator.redact("hunter2-correct-horse")).isEqualTo("'hun…' (21 characters)");
        assertThat(ConfigValidator.redact("printer")).isEqualTo("'p…' (7 characters)");
        assertThat(ConfigValidator.redact("fax")).isEqualTo("'…' (3 characters)");
        assertThat(ConfigValidator.redact("x")).isEqualTo("'…' (1 character)");
        assertThat(ConfigValidator.redact("")).isEqualTo("'…' (0 characters)");
        assertThat(ConfigValidator.redact("\u0000\nsecret-value")).isEqualTo("'??s…' (14 characters)");
        // a character outside the BMP counts once and is never cut in half
        assertThat(ConfigValidator.redact("\uD83D\uDD11\uD83D\uDD11\uD83D\uDD11\uD83D\uDD11\uD83D\uDD11"))
                .isEqualTo("'\uD83D\uDD11…' (5 characters)");
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
