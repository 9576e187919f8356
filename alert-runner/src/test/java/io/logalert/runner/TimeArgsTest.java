package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Instants on the command line. */
class TimeArgsTest {

    @Test
    void instantsOnTheCommandLine() {
        Instant now = Instant.parse("2026-11-30T14:00:00Z");
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        assertThat(TimeArgs.parse("2026-11-30T14:00:00Z", now, shanghai)).contains(now);
        assertThat(TimeArgs.parse("2026-11-30T22:00+08:00", now, shanghai)).contains(now);
        assertThat(TimeArgs.parse("2026-11-30T22:00", now, shanghai)).contains(now);
        assertThat(TimeArgs.parse("2026-11-30 22:00:00", now, shanghai)).contains(now);
        assertThat(TimeArgs.parse("2026-12-01", now, shanghai)).contains(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(TimeArgs.parse("-2h", now, shanghai)).contains(now.minus(Duration.ofHours(2)));
        assertThat(TimeArgs.parse("+30m", now, shanghai)).contains(now.plus(Duration.ofMinutes(30)));
        assertThat(TimeArgs.parse("now", now, shanghai)).contains(now);
        assertThat(TimeArgs.parse("yesterday", now, shanghai)).isEmpty();
    }
}
