package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.ElasticsearchLogSource.DistinctProbe;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.PluginConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * auto's decision on the real node: its sample's size (random_sampler scales the counts below it, which the probe
 * scales back), a skewed window of a few hot messages beside a tail of unique ones, and windows whose documents hold
 * stack traces, which grouping keys on and an aggregation bucket does not carry.
 */
class AutoProbeIT {

    private static final Instant T0 = Instant.parse("2026-03-04T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(600));
    /** Both large windows: {@value ElasticsearchLogSource#PROBE_SAMPLE} of them is a sample of one in twelve. */
    private static final int LARGE = 60_000;

    private static ElasticsearchNode node;
    private static String skewed;
    private static String repetitive;

    @BeforeAll
    static void loadLargeWindows() {
        node = ElasticsearchNode.shared();
        // 54,000 messages logged once and one logged 6,000 times: 90 % distinct. A sample of one in twelve shows
        // 90 % distinct, below the 95.8 % a window of messages logged twice each would show: a rule that assumes
        // groups of equal size aggregated it
        skewed = TestIndices.unique("auto-skewed");
        BulkLoader.loadDocuments(node, skewed, IntStream.range(0, LARGE).mapToObj(i -> doc(i,
                i < 54_000 ? "order " + i + " failed" : "connection pool exhausted")));
        // 500 messages logged 120 times each
        repetitive = TestIndices.unique("auto-repetitive");
        BulkLoader.loadDocuments(node, repetitive, IntStream.range(0, LARGE).mapToObj(i -> doc(i,
                "timeout calling service " + (i % 500))));
    }

    @Test
    void aSkewedWindowIsStreamedFromASampleOfAboutTheProbesSize() {
        try (ElasticsearchLogSource source = source(skewed, Map.of())) {
            List<LogEvent> read = read(source);

            DistinctProbe probe = source.lastProbe().orElseThrow();
            assertThat(probe.probability()).isEqualTo((double) ElasticsearchLogSource.PROBE_SAMPLE / LARGE);
            // the counts below random_sampler come scaled up to the window: unscaled, they are the sample's
            assertThat(probe.sampled()).isBetween(4_700L, 5_300L);
            assertThat((double) probe.seenOnce() / probe.sampled()).isBetween(0.85, 0.95);
            assertThat(read).hasSize(LARGE).allSatisfy(e -> assertThat(e.id()).isNotEmpty());
        }
    }

    @Test
    void aRepetitiveWindowIsAggregated() {
        try (ElasticsearchLogSource source = source(repetitive, Map.of())) {
            List<LogEvent> read = read(source);

            DistinctProbe probe = source.lastProbe().orElseThrow();
            assertThat(probe.sampled()).isBetween(4_700L, 5_300L);
            // a message logged 120 times shows ~10 times in the sample, but which documents are drawn depends on how
            // the node laid them out in segments: one or two of the 500 can be missed
            assertThat(probe.distinct()).isBetween(480L, 500L);
            assertThat(read).hasSize(500).allSatisfy(e -> {
                assertThat(e.occurrences()).isEqualTo(120);
                assertThat(e.id()).isEmpty();
            });
        }
    }

    @Test
    void documentsHoldingStackTracesAreStreamedThoughTheirMessagesRepeat() {
        // 20 messages logged 30 times each; in one index some of them carry a stack trace
        String traced = TestIndices.unique("auto-traced");
        BulkLoader.loadDocuments(node, traced, IntStream.range(0, 600).mapToObj(i -> withTrace(doc(i,
                "payment failed " + (i % 20)), i % 50 == 0 ? "java.lang.IllegalStateException: boom" : "")));
        String plain = TestIndices.unique("auto-untraced");
        BulkLoader.loadDocuments(node, plain, IntStream.range(0, 600).mapToObj(i -> doc(i,
                "payment failed " + (i % 20))));

        List<LogEvent> fromTraced;
        List<LogEvent> fromPlain;
        try (ElasticsearchLogSource source = source(traced, Map.of("auto.min-documents", "0"))) {
            fromTraced = read(source);
            assertThat(source.lastProbe().orElseThrow().stackTraces())
                    .contains("12 documents hold a stack trace in 'stack_trace'");
        }
        try (ElasticsearchLogSource source = source(plain, Map.of("auto.min-documents", "0"))) {
            fromPlain = read(source);
            assertThat(source.lastProbe().orElseThrow().stackTraces()).isEmpty();
        }

        assertThat(fromTraced).hasSize(600).allSatisfy(e -> assertThat(e.id()).isNotEmpty());
        assertThat(fromPlain).hasSize(20).allSatisfy(e -> assertThat(e.occurrences()).isEqualTo(30));
    }

    @Test
    void aStackTraceFieldThatIsNotIndexedCannotBeCountedSoTheWindowIsStreamed() {
        String index = TestIndices.unique("auto-trace-unindexed");
        node.request("PUT", "/" + index, "{\"mappings\":{\"properties\":{\"stack_trace\":{\"type\":\"text\","
                + "\"index\":false}}}}");
        BulkLoader.loadDocuments(node, index, IntStream.range(0, 600).mapToObj(i -> withTrace(doc(i,
                "payment failed " + (i % 20)), i % 50 == 0 ? "java.lang.IllegalStateException: boom" : "")));

        try (ElasticsearchLogSource source = source(index, Map.of("auto.min-documents", "0"))) {
            List<LogEvent> read = read(source);

            assertThat(source.lastProbe().orElseThrow().stackTraces()).hasValueSatisfying(why -> assertThat(why)
                    .contains("'stack_trace' is not indexed in [" + index + "]"));
            assertThat(read).hasSize(600);
        }
    }

    @Test
    void aNodeWithoutRandomSamplerFailsTheReadNamingTheModeAndTheFix() throws Exception {
        // the real node, told of an aggregation it does not know, answers as one older than 8.2 does: HTTP 400
        try (CountingProxy older = new CountingProxy(node.uri(), body -> body.replace("\"random_sampler\"",
                "\"random_sampler_of_a_later_release\""));
                ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                        "hosts", older.hosts(), "index", skewed)))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .hasMessageContaining("'mode' is auto, whose probe needs Elasticsearch 8.2 or later "
                            + "(random_sampler)")
                    .hasMessageContaining("(HTTP 400)")
                    .hasMessageContaining("random_sampler_of_a_later_release")
                    .hasMessageEndingWith("Set 'mode' to stream (or aggregate) for an older cluster");
        }
    }

    private static ElasticsearchLogSource source(String index, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of("mode", "auto", "page-size", "5000"));
        config.putAll(extra);
        return TestIndices.source(node, index, config);
    }

    private static List<LogEvent> read(ElasticsearchLogSource source) {
        List<LogEvent> read = new ArrayList<>();
        source.read(WINDOW, read::add);
        return read;
    }

    private static Map<String, Object> doc(int i, String message) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("@timestamp", T0.plusMillis(i).toString());
        document.put("loglevel", "ERROR");
        document.put("projectname", "checkout");
        document.put("msg", message);
        return document;
    }

    private static Map<String, Object> withTrace(Map<String, Object> document, String trace) {
        if (!trace.isEmpty()) {
            document.put("stack_trace", trace);
        }
        return document;
    }
}
