package io.logalert.spi;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration a plug-in is created from: string values by key, with typed getters on top.
 *
 * <p>A test or an application builds one from a map, {@code PluginConfig config = Map.of("hosts", "...")::get;},
 * or with {@link #of(Map)}, which also tells the keys it holds so that a misspelt key is reported. A provider reads
 * it through a {@link ConfigValidator} ({@link #validator(String)}), which reports every problem at once.
 */
@FunctionalInterface
public interface PluginConfig {

    /** The value of {@code key}, or {@code null} when it is not set. */
    String get(String key);

    /** The keys this configuration holds, when it can tell; empty when it cannot (a lambda over a map). */
    default Set<String> keys() {
        return Set.of();
    }

    /**
     * A configuration holding {@code values}; it knows its keys.
     *
     * @throws ConfigException naming every key whose value is null (an unset environment variable, say)
     */
    static PluginConfig of(Map<String, String> values) {
        List<String> nulls = values.entrySet().stream().filter(e -> e.getValue() == null)
                .map(e -> "'" + e.getKey() + "' has no value (null); leave the key out or give it one").sorted()
                .toList();
        if (!nulls.isEmpty()) {
            throw new ConfigException("configuration", nulls);
        }
        Map<String, String> copy = Map.copyOf(values);
        return new PluginConfig() {
            @Override
            public String get(String key) {
                return copy.get(key);
            }

            @Override
            public Set<String> keys() {
                return copy.keySet();
            }

            @Override
            public String toString() {
                // keys only: values may be secrets
                return "PluginConfig" + new TreeSet<>(copy.keySet());
            }
        };
    }

    /** A configuration with no keys. */
    static PluginConfig empty() {
        return of(Map.of());
    }

    /** The value of {@code key} with surrounding blanks removed, or empty when it is unset or blank. */
    default Optional<String> string(String key) {
        String value = get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The value of {@code key}, or {@code defaultValue} when it is unset or blank. */
    default String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /**
     * The comma-separated values of {@code key}, blanks removed; empty when unset.
     */
    default List<String> list(String key) {
        return string(key).map(PluginConfig::splitList).orElse(List.of());
    }

    /**
     * The integer value of {@code key}, or {@code defaultValue} when unset.
     *
     * @throws ConfigException when the value is not an integer
     */
    default int integer(String key, int defaultValue) {
        ConfigValidator validator = new ConfigValidator("configuration", this);
        int value = validator.integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
        validator.validate();
        return value;
    }

    /**
     * The boolean value of {@code key} ({@code true} or {@code false}, any case), or {@code defaultValue} when unset.
     *
     * @throws ConfigException when the value is neither
     */
    default boolean bool(String key, boolean defaultValue) {
        ConfigValidator validator = new ConfigValidator("configuration", this);
        boolean value = validator.bool(key, defaultValue);
        validator.validate();
        return value;
    }

    /**
     * The duration value of {@code key}, or {@code defaultValue} when unset. Accepts a number with a unit
     * ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}).
     *
     * @throws ConfigException when the value is none of those
     */
    default Duration duration(String key, Duration defaultValue) {
        ConfigValidator validator = new ConfigValidator("configuration", this);
        Duration value = validator.duration(key, defaultValue);
        validator.validate();
        return value;
    }

    /** Starts reading this configuration for {@code subject}, gathering every problem. */
    default ConfigValidator validator(String subject) {
        return new ConfigValidator(subject, this);
    }

    private static List<String> splitList(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }
}
