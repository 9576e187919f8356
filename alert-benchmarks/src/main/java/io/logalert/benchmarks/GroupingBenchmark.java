package io.logalert.benchmarks;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Grouping throughput: one window of {@code events} generated ERROR events counted by a fresh {@link Aggregation}
 * per invocation, against a bare {@code HashMap<String, Long>} count of the same message strings. One operation is
 * one window; messages per second on one core (one benchmark thread) is the score times {@code events}.
 *
 * <p>Aggregators are created by type through {@link Plugins} once per trial and live across invocations, as in a
 * pipeline (the {@code template} aggregator learns across windows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GroupingBenchmark {

    @Param({"ids", "verbatim"})
    public String mix;

    @Param({"1000000"})
    public int events;

    private List<LogEvent> window;
    private String[] messages;
    private Aggregator exact;
    private Aggregator fingerprint;
    private Aggregator template;

    @Setup
    public void setUp() {
        Instant from = Instant.parse("2025-01-06T10:00:00Z");
        MixGenerator generator = new MixGenerator(42, MixGenerator.Mix.valueOf(mix.toUpperCase(java.util.Locale.ROOT)),
                events, 0, new TimeWindow(from, from.plus(Duration.ofHours(1))));
        window = generator.events();
        messages = window.stream().map(LogEvent::message).toArray(String[]::new);
        ClassLoader loader = GroupingBenchmark.class.getClassLoader();
        exact = Plugins.create(AggregatorProvider.class, "exact", PluginConfig.empty(), loader);
        fingerprint = Plugins.create(AggregatorProvider.class, "fingerprint", PluginConfig.empty(), loader);
        template = Plugins.create(AggregatorProvider.class, "template", PluginConfig.empty(), loader);
    }

    @Benchmark
    public Map<String, Long> hashMapBaseline() {
        Map<String, Long> counts = new HashMap<>();
        for (String message : messages) {
            counts.merge(message, 1L, Long::sum);
        }
        return counts;
    }

    @Benchmark
    public Object exact() {
        return count(exact);
    }

    @Benchmark
    public Object fingerprint() {
        return count(fingerprint);
    }

    @Benchmark
    public Object template() {
        return count(template);
    }

    private Object count(Aggregator aggregator) {
        Aggregation aggregation = aggregator.start();
        for (LogEvent event : window) {
            aggregation.add(event);
        }
        return aggregation.groups();
    }
}
