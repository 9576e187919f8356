package io.logalert.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.ConsoleSink;
import io.logalert.spi.AlertSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSinkContractTest extends AlertSinkContract {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Override
    protected AlertSink createSink() {
        return new ConsoleSink(new PrintStream(printed, true, StandardCharsets.UTF_8), ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void printsCountsTemplatesTimesInItsZoneAndWhatWasLeftOut() {
        createSink().deliver(List.of(digest("checkout", 2)));
        String text = printed.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("== checkout: 206 errors ==\n",
                "Window: 2026-03-01 18:00:00 – 18:02:00 (+08:00)\n", "Total: 206 errors in 4 groups\n");
        assertThat(text).contains("  1. 100× order ‹…› failed\n");
        assertThat(text).contains("thread worker-0");
        assertThat(text).contains("e.g. order 8800 failed");
        assertThat(text).contains("+2 more groups (7 errors)");
    }
}
