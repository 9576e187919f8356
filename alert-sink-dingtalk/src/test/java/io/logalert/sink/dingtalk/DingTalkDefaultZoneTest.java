package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.AlertSink;
import io.logalert.spi.PluginConfig;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Without {@code time-zone}, times are in the machine's zone. The test sets the JVM's default zone, which holds for
 * the whole JVM: {@link Isolated} keeps every other test from running meanwhile, should parallel execution ever be
 * switched on.
 */
@Isolated("sets the default time zone for the whole JVM")
class DingTalkDefaultZoneTest {

    @Test
    void timesAreInTheMachinesZoneUnlessATimeZoneIsSet() {
        try (DingTalkEmulator robot = DingTalkEmulator.builder().start()) {
            TimeZone original = TimeZone.getDefault();
            AlertSink byDefault;
            AlertSink configured;
            AlertSink built;
            try {
                // Kathmandu's +05:45 is no machine's accidental zone: only the default can have put it there
                TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
                byDefault = new DingTalkSinkProvider().create(PluginConfig.of(Map.of("webhook", robot.url())));
                configured = new DingTalkSinkProvider().create(PluginConfig.of(Map.of("webhook", robot.url(),
                        "time-zone", "UTC")));
                built = DingTalkSink.builder().webhook(robot.url()).budgets(new RateBudgets()).build();
            } finally {
                TimeZone.setDefault(original);
            }

            byDefault.deliver(List.of(Digests.of("shop", 1)));
            configured.deliver(List.of(Digests.of("shop", 1)));
            built.deliver(List.of(Digests.of("shop", 1)));

            assertThat(robot.accepted()).extracting(DingTalkEmulator.Accepted::text).satisfiesExactly(
                    text -> assertThat(text).contains("**Window** 2026-03-01 15:45:00 – 15:47:00 (+05:45)"),
                    text -> assertThat(text).contains("**Window** 2026-03-01 10:00:00 – 10:02:00 (+00:00)"),
                    text -> assertThat(text).contains("**Window** 2026-03-01 15:45:00 – 15:47:00 (+05:45)"));
        }
    }
}
