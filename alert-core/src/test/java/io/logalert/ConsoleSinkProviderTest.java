package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logalert.spi.AlertSink;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The console provider's {@code locale} and {@code time-zone} keys. The provider prints to {@code System.out} and
 * defaults to the JVM's zone, so these tests replace both for the whole JVM: {@link Isolated} keeps every other test
 * from running meanwhile, should parallel execution ever be switched on.
 */
@Isolated("replaces System.out and the default time zone for the whole JVM")
class ConsoleSinkProviderTest {

    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));
    private static final Digest DIGEST = new Digest("id", "pipe", "shop", WINDOW, List.of(new ErrorGroup("shop", "k",
            "order <*> failed", "order 7 failed", 3, WINDOW.from(), WINDOW.from(), "t")), 0, 0);

    /** What a sink the provider made from {@code config} prints for {@link #DIGEST}, with the JVM in {@code zone}. */
    private static String printed(Map<String, String> config, String zone) {
        PrintStream originalOut = System.out;
        TimeZone originalZone = TimeZone.getDefault();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // nothing between replacing System.out and this try: both are put back whatever happens
        try {
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            AlertSink sink = new BuiltInPlugins.ConsoleSinkProvider().create(PluginConfig.of(config));
            sink.deliver(List.of(DIGEST));
        } finally {
            TimeZone.setDefault(originalZone);
            System.setOut(originalOut);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void timesAreInTheMachinesZoneUnlessATimeZoneIsSet() {
        // Kathmandu's +05:45 is no machine's accidental zone: only the default can have put it there
        assertThat(printed(Map.of(), "Asia/Kathmandu")).contains("Window: 2026-03-01 15:45:00 – 15:47:00 (+05:45)");
        assertThat(printed(Map.of("time-zone", "Asia/Shanghai"), "Asia/Kathmandu"))
                .contains("Window: 2026-03-01 18:00:00 – 18:02:00 (+08:00)");
    }

    @Test
    void localeZhCnPrintsChineseLabels() {
        String text = printed(Map.of("locale", "zh-CN", "time-zone", "UTC"), "UTC");

        assertThat(text).startsWith("== shop：3 个错误 ==\n时间窗口：2026-03-01 10:00:00 – 10:02:00 (+00:00)\n")
                .contains("示例：order 7 failed", "出现于 10:00:00 · 线程 t");
    }

    @Test
    void anUnknownLocaleIsReportedWithTheAllowedValues() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new BuiltInPlugins.ConsoleSinkProvider()
                .create(PluginConfig.of(Map.of("locale", "fr", "time-zone", "Mars/Olympus"))));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("'locale' must be one of en, zh-CN, was 'fr'", "'time-zone'");
    }
}
