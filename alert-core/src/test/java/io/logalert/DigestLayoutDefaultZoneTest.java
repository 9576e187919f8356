package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Without a zone, times are in the machine's. The test sets the JVM's default zone, which holds for the whole JVM:
 * {@link Isolated} keeps every other test from running meanwhile, should parallel execution ever be switched on.
 */
@Isolated("sets the default time zone for the whole JVM")
class DigestLayoutDefaultZoneTest {

    @Test
    void timesAreInTheMachinesZoneByDefault() {
        TimeWindow window = new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T10:02:00Z"));
        Digest digest = new Digest("id", "pipe", "shop", window, List.of(), 1, 4);
        TimeZone original = TimeZone.getDefault();
        DigestLayout layout;
        try {
            // Kathmandu's +05:45 is no machine's accidental zone: only the default can have put it there
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
            layout = DigestLayout.of(digest);
        } finally {
            TimeZone.setDefault(original);
        }

        assertThat(layout.zone()).isEqualTo(ZoneId.of("Asia/Kathmandu"));
        assertThat(layout.window()).isEqualTo("2026-03-01 15:45:00 – 15:47:00 (+05:45)");
        assertThat(layout.labels()).isSameAs(Labels.ENGLISH);
    }
}
