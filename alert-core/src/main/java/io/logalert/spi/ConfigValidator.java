package io.logalert.spi;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a {@link PluginConfig} and gathers every problem instead of stopping at the first one; {@link #validate()}
 * then throws one {@link ConfigException} that lists them all, misspelt keys included. Each getter returns its
 * default when the value is wrong, so that reading can go on.
 *
 * <p>No problem echoes a value whole, whatever its key: a password pasted into the wrong key, or an API key left in a
 * URL, ends up in logs with the exception. A problem names the key and what was wrong, and shows at most a short
 * prefix of the value and its length ({@link #redact(String)}: {@code 'hun…' (17 characters)}); out-of-range numbers
 * are told as above or below the range. Values of secret keys never appear at all.
 *
 * <pre>{@code
 * ConfigValidator v = config.validator("dingtalk");
 * String token = v.secret("access-token").orElse("");
 * int budget = v.integer("messages-per-minute", 20, 1, 20);
 * v.check(!token.isEmpty(), "access-token is required: the robot's access token");
 * v.validate();
 * }</pre>
 *
 * <p>Not thread-safe: one validator reads one configuration once.
 */
public final class ConfigValidator {

    /** The most characters of a wrong value a problem shows. */
    private static final int MAX_SHOWN = 3;

    private final String subject;
    private final PluginConfig config;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    ConfigValidator(String subject, PluginConfig config) {
        this.subject = Objects.requireNonNull(subject, "subject");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The value of {@code key}, or empty when it is unset or blank. */
    public Optional<String> string(String key) {
        known.add(key);
        return config.string(key);
    }

    /** The value of {@code key}, or {@code defaultValue} when it is unset or blank. */
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** The value of {@code key}; reports it as missing, with {@code meaning}, when unset. */
    public String required(String key, String meaning) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            problems.add("'" + key + "' is required: " + meaning);
        }
        return value.orElse("");
    }

    /** The value of a secret key (a password, a token); the value is never echoed in a problem. */
    public Optional<String> secret(String key) {
        known.add(key);
        String value = config.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** The comma-separated values of {@code key}; empty when unset. */
    public List<String> list(String key) {
        known.add(key);
        return config.list(key);
    }

    /** The integer value of {@code key} in {@code [min, max]}, or {@code defaultValue} when unset or wrong. */
    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    /** The long value of {@code key} in {@code [min, max]}, or {@code defaultValue} when unset or wrong. */
    public long longValue(String key, long defaultValue, long min, long max) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get().replace("_", ""));
        } catch (NumberFormatException e) {
            problems.add("'" + key + "' must be a whole number" + range(min, max) + ", was " + redact(raw.get()));
            return defaultValue;
        }
        if (value < min || value > max) {
            // a number may be a PIN or a numeric password typed into the wrong key: say which side, not the number
            problems.add("'" + key + "' must be" + range(min, max) + ", was " + (value < min ? "less than " + min
                    : "more than " + max));
            return defaultValue;
        }
        return value;
    }

    /** The boolean value of {@code key}, {@code true} or {@code false} in any case, or {@code defaultValue}. */
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String value = raw.get().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        problems.add("'" + key + "' must be true or false, was " + redact(raw.get()));
        return defaultValue;
    }

    /**
     * The duration value of {@code key}, zero or more, or {@code defaultValue} when unset or wrong. Accepts
     * {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 such as {@code PT30S}.
     */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> parsed = parseDuration(raw.get());
        if (parsed.isEmpty() || parsed.get().isNegative()) {
            problems.add("'" + key + "' must be a duration such as 250ms, 30s, 5m, 2h, 1d or PT30S, was "
                    + redact(raw.get()));
            return defaultValue;
        }
        return parsed.get();
    }

    /**
     * The time zone named by {@code key}, an id such as {@code Asia/Shanghai} or an offset such as {@code +08:00}, or
     * {@code defaultValue} when unset or wrong.
     */
    public ZoneId zone(String key, ZoneId defaultValue) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return ZoneId.of(raw.get());
        } catch (DateTimeException e) {
            problems.add("'" + key + "' must be a time zone id such as UTC, Asia/Shanghai or +08:00, was "
                    + redact(raw.get()));
            return defaultValue;
        }
    }

    /**
     * One of {@code type}'s constants named by {@code key}, in any case and with {@code -} for {@code _}, or
     * {@code defaultValue} when unset or wrong.
     */
    public <E extends Enum<E>> E oneOf(String key, E defaultValue, Class<E> type) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String wanted = raw.get().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        problems.add("'" + key + "' must be one of " + Arrays.stream(type.getEnumConstants())
                .map(ConfigValidator::configName).collect(Collectors.joining(", ")) + ", was " + redact(raw.get()));
        return defaultValue;
    }

    /** The name users write for {@code constant}: lower case, {@code -} for {@code _}. */
    public static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Records {@code problem} unless {@code ok}. */
    public ConfigValidator check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
        return this;
    }

    /** Records {@code problem}. */
    public ConfigValidator problem(String problem) {
        problems.add(Objects.requireNonNull(problem, "problem"));
        return this;
    }

    /** Declares keys that are read elsewhere, so that they are not reported as unknown. */
    public ConfigValidator known(String... keys) {
        known.addAll(Arrays.asList(keys));
        return this;
    }

    /** The problems found so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Throws when any problem was found, or when the configuration holds a key that nothing read.
     *
     * @throws ConfigException listing every problem
     */
    public void validate() {
        List<String> all = new ArrayList<>(problems);
        Set<String> unknown = new TreeSet<>(config.keys());
        unknown.removeAll(known);
        for (String key : unknown) {
            all.add("unknown key '" + key + "'; known keys: " + String.join(", ", new TreeSet<>(known)));
        }
        if (!all.isEmpty()) {
            throw new ConfigException(subject, all);
        }
    }

    static Optional<Duration> parseDuration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return Optional.of(Duration.parse(value.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        int unitStart = 0;
        while (unitStart < value.length() && Character.isDigit(value.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart > 15) {
            return Optional.empty();
        }
        long amount = Long.parseLong(value.substring(0, unitStart));
        try {
            return switch (value.substring(unitStart).strip()) {
                case "ms" -> Optional.of(Duration.ofMillis(amount));
                case "s" -> Optional.of(Duration.ofSeconds(amount));
                case "m", "min" -> Optional.of(Duration.ofMinutes(amount));
                case "h" -> Optional.of(Duration.ofHours(amount));
                case "d" -> Optional.of(Duration.ofDays(amount));
                default -> Optional.empty();
            };
        } catch (ArithmeticException tooLong) {
            return Optional.empty();
        }
    }

    private static String range(long min, long max) {
        if (min == Long.MIN_VALUE || min == Integer.MIN_VALUE) {
            return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "" : " at most " + max;
        }
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return " at least " + min;
        }
        return " from " + min + " to " + max;
    }

    /**
     * A wrong value as a problem may show it: at most its first three characters, and never more than a quarter of
     * it, then its length, e.g. {@code 'hun…' (17 characters)} for {@code hunter2-correct-horse}, {@code '…' (3
     * characters)} for {@code fax}. Enough to recognise what was typed into the key, never enough to use it: the
     * value may be a secret put into the wrong key. Control characters in the prefix show as {@code ?}.
     *
     * @param value a configured value
     * @return the redacted value, quoted, with its length in characters
     */
    public static String redact(String value) {
        Objects.requireNonNull(value, "value");
        int length = value.codePointCount(0, value.length());
        int shown = Math.min(MAX_SHOWN, length / 4);
        StringBuilder prefix = new StringBuilder();
        value.codePoints().limit(shown).forEach(c -> prefix.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return "'" + prefix + "…' (" + length + (length == 1 ? " character)" : " characters)");
    }
}
