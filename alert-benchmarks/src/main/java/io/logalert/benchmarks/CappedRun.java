package io.logalert.benchmarks;

import io.logalert.AlertPipeline;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One pipeline run in a JVM of its own, started by {@link EndToEnd} with a small {@code -Xmx}: if the client's
 * memory grew with events, a window of a million events would not fit. Prints {@code events groups peakHeapBytes}.
 *
 * <p>Arguments: hosts, index, window start, window end (ISO-8601), mode, page size.
 */
public final class CappedRun {

    private CappedRun() {
    }

    public static void main(String[] args) {
        TimeWindow window = new TimeWindow(Instant.parse(args[2]), Instant.parse(args[3]));
        Duration length = window.duration();
        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", args[0],
                "index", args[1], "mode", args[4], "page-size", args[5], "request-timeout", "120s")));
                AlertPipeline pipeline = AlertPipeline.builder().id("capped").source(source)
                        .aggregator(Plugins.create(AggregatorProvider.class, EndToEnd.AGGREGATOR,
                                PluginConfig.empty(), CappedRun.class.getClassLoader()))
                        .addSink(new RecordingAlertSink()).clock(new ManualClock(window.to()))
                        .queryDelay(Duration.ZERO).interval(length).maxWindow(length).initialLookback(length)
                        .build()) {
            RunReport report = pipeline.runOnce();
            if (report.sourceFailure().isPresent()) {
                System.err.println(report.sourceFailure().get());
                System.exit(2);
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println(report.eventsRead() + " " + report.groupCount() + " " + peak);
        }
    }
}
