package io.logalert.runner;

import io.logalert.config.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Instants as a person types them on the command line: {@code 2026-11-30T14:00:00Z} or with an offset
 * ({@code +08:00}); a local date-time ({@code 2026-11-30T14:00}, {@code 2026-11-30 14:00}) or a date in the
 * machine's zone; {@code now}; or relative to now, {@code -2h}, {@code +30m}.
 */
final class TimeArgs {

    static final String EXPECTED = "an instant such as 2026-11-30T14:00:00Z or 2026-11-30T22:00+08:00, a local "
            + "date-time such as 2026-11-30T14:00 (in this machine's zone), now, or relative to now: -2h, +30m";

    private TimeArgs() {
    }

    /**
     * The value {@code text} of the command line's {@code option}, parsed as {@link #parse} does.
     *
     * @throws CommandLine.ParameterException a usage error naming the option and what it takes
     */
    static Instant option(CommandLine commandLine, String option, String text, Instant now, ZoneId zone) {
        return parse(text, now, zone).orElseThrow(() -> new CommandLine.ParameterException(commandLine,
                option + " `" + text + "` is not " + EXPECTED));
    }

    static Optional<Instant> parse(String text, Instant now, ZoneId zone) {
        String value = text.strip();
        if (value.equalsIgnoreCase("now")) {
            return Optional.of(now);
        }
        if (value.startsWith("-") || value.startsWith("+")) {
            Optional<Duration> offset = Durations.parse(value.substring(1));
            return offset.map(d -> value.startsWith("-") ? now.minus(d) : now.plus(d));
        }
        String iso = value.replace(' ', 'T').toUpperCase(Locale.ROOT);
        try {
            return Optional.of(Instant.parse(iso));
        } catch (DateTimeParseException notAnInstant) {
            // an offset, a local date-time or a date follow
        }
        try {
            return Optional.of(OffsetDateTime.parse(iso).toInstant());
        } catch (DateTimeParseException notWithOffset) {
            // local forms follow
        }
        try {
            return Optional.of(LocalDateTime.parse(iso).atZone(zone).toInstant());
        } catch (DateTimeException notLocal) {
            // a date follows
        }
        try {
            return Optional.of(LocalDate.parse(iso).atStartOfDay(zone).toInstant());
        } catch (DateTimeException notADate) {
            return Optional.empty();
        }
    }
}
