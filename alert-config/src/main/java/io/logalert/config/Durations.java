package io.logalert.config;

import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Durations as the configuration writes them: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d}, {@code PT2M}. */
public final class Durations {

    public static final String EXPECTED = "a duration such as 30s, 2m, 1h, 1d or PT2M";

    private Durations() {
    }

    /** {@code text} as a duration, zero or more; the grammar is the plug-ins' ({@link PluginConfig#duration}). */
    public static Optional<Duration> parse(String text) {
        try {
            return Optional.ofNullable(PluginConfig.of(Map.of("value", text)).duration("value", null));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    /** The shortest way to write {@code duration} that {@link #parse} reads back: {@code 2m}, {@code 90s}, {@code 1d}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        if (millis == 0) {
            return "0s";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return millis / units[i] + names[i];
            }
        }
        return duration.toString();
    }
}
