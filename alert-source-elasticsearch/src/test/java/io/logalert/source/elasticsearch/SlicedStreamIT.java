package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSourceException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream mode reading a window in parallel point-in-time slices hands over exactly the events one slice does, on
 * indices of several shards, including the documents whose shape the pipeline reads leniently, in the same order on
 * every read; a read that fails or is interrupted half-way leaves no slice thread and no point in time behind; and
 * the auto probe leaves no global ordinals on the message keyword behind, where an aggregation does.
 */
class SlicedStreamIT {

    private static final Instant T0 = Instant.parse("2026-03-03T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(600));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GENERATED = 6_000;

    private static ElasticsearchNode node;
    private static String prefix;
    private static long errors;

    @BeforeAll
    static void loadIndicesOfSeveralShards() {
        node = ElasticsearchNode.shared();
        prefix = TestIndices.unique("sliced");
        // 3 shards mapped dynamically (text + .keyword, ignore_above 256) and 2 shards with date_nanos: 5 in all
        node.request("PUT", "/" + prefix + "-a", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":0}}");
        node.request("PUT", "/" + prefix + "-b", "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date_nanos\"}}}}");
        List<LogGenerator.Log> logs = new LogGenerator(11).errorShare(0.9).repeatingShare(0.3)
                .generate(GENERATED, T0, WINDOW.to()).toList();
        errors = logs.stream().filter(LogGenerator.Log::isError).count();
        BulkLoader.load(node, prefix + "-a", logs.stream().limit(GENERATED / 2));
        BulkLoader.load(node, prefix + "-b", logs.stream().skip(GENERATED / 2));
        List<Map<String, Object>> odd = List.of(
                doc("projectname", "p", "msg", "x".repeat(400) + " beyond ignore_above", "threadname", "t"),
                doc("msg", "no project"),
                doc("projectname", 42, "msg", 1234, "threadname", 7),
                doc("projectname", "p", "threadname", "t"),
                doc("projectname", "p", "msg", "", "threadname", true),
                doc("projectname", List.of("b", "a", "b"), "msg", List.of("second", "first")));
        BulkLoader.loadDocuments(node, prefix + "-a", odd.stream());
        Map<String, Object> nanos = doc("projectname", "p", "msg", "nanos");
        nanos.put("@timestamp", "2026-03-03T10:00:01.123456789Z");
        BulkLoader.loadDocuments(node, prefix + "-b", Stream.of(nanos));
        errors += odd.size() + 1;
    }

    @Test
    void slicesHandOverExactlyTheEventsOfOneSlice() {
        List<LogEvent> one = read(prefix + "-*", Map.of("mode", "stream", "max-slices", "1", "page-size", "300"));
        List<LogEvent> four = read(prefix + "-*", Map.of("mode", "stream", "max-slices", "4", "page-size", "300"));
        List<LogEvent> capped = read(prefix + "-*", Map.of("mode", "stream", "max-slices", "64",
                "page-size", "300"));

        assertThat(one).hasSize((int) errors);
        assertThat(one).extracting(LogEvent::id).doesNotHaveDuplicates().doesNotContain("");
        assertThat(byId(four)).isEqualTo(byId(one));
        assertThat(byId(capped)).isEqualTo(byId(one));
        Map<String, LogEvent> events = byId(one);
        assertThat(events.values()).filteredOn(e -> e.message().equals("nanos")).singleElement()
                .extracting(LogEvent::timestamp).isEqualTo(Instant.parse("2026-03-03T10:00:01.123456789Z"));
        assertThat(events.values()).extracting(LogEvent::message).contains("x".repeat(400) + " beyond ignore_above",
                Documents.NO_MESSAGE, "1234", "second\nfirst");
        assertThat(events.values()).extracting(LogEvent::project).contains(LogEvent.NO_PROJECT, "42", "b\na\nb");
        assertThat(events.values()).extracting(LogEvent::thread).contains("7", "true");
    }

    @Test
    void slicesHandOverTheDocumentsInTheSameOrderOnEveryRead() {
        // one segment per shard, so that no merge between the reads renumbers the documents each slice sorts on
        node.request("POST", "/" + prefix + "-*/_forcemerge?max_num_segments=1", null);
        Map<String, String> settings = Map.of("mode", "stream", "max-slices", "4", "page-size", "100");

        List<String> first = read(prefix + "-*", settings).stream().map(LogEvent::id).toList();
        List<String> second = read(prefix + "-*", settings).stream().map(LogEvent::id).toList();

        assertThat(first).hasSize((int) errors);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aConsumerFailingDuringASlicedReadStopsEverySliceAndClosesThePointInTime() {
        long before = openContexts();
        try (ElasticsearchLogSource source = fourSlicesOfFifty()) {
            int[] handed = {0};
            assertThatThrownBy(() -> source.read(WINDOW, event -> {
                if (++handed[0] == 120) {
                    throw new IllegalStateException("consumer failed");
                }
            })).hasMessage("consumer failed");
            assertThat(handed[0]).isEqualTo(120);
        }
        // no page of a stopped slice is still searching the point in time when it is closed
        assertThat(openContexts()).isEqualTo(before);
        assertNoSliceThreadAlive();
    }

    @Test
    void aPageRefusedMidReadFailsTheReadStopsEverySliceAndClosesThePointInTime() {
        long before = openContexts();
        try (ElasticsearchLogSource source = fourSlicesOfFifty()) {
            int[] handed = {0};
            assertThatThrownBy(() -> source.read(WINDOW, event -> {
                if (++handed[0] == 120) {
                    // every later page asks to keep the point in time alive longer than the node now allows, and
                    // is refused: the point in time itself stays open on the node until it is closed
                    node.request("PUT", "/_cluster/settings", "{\"persistent\":{\"search.default_keep_alive\":"
                            + "\"10s\",\"search.max_keep_alive\":\"30s\"}}");
                }
            })).isExactlyInstanceOf(LogSourceException.class)
                    .hasMessageContaining("refused to read a page of documents (HTTP 400)")
                    .hasMessageContaining("search.max_keep_alive");
            assertThat(handed[0]).isGreaterThanOrEqualTo(120).isLessThan((int) errors);
        } finally {
            node.request("PUT", "/_cluster/settings", "{\"persistent\":{\"search.default_keep_alive\":null,"
                    + "\"search.max_keep_alive\":null}}");
        }
        assertThat(openContexts()).isEqualTo(before);
        assertNoSliceThreadAlive();
    }

    @Test
    void anInterruptedReadClosesItsPointInTimeAndKeepsTheInterrupt() {
        long before = openContexts();
        try (ElasticsearchLogSource source = fourSlicesOfFifty()) {
            int[] handed = {0};
            assertThatThrownBy(() -> source.read(WINDOW, event -> {
                if (++handed[0] == 120) {
                    Thread.currentThread().interrupt();
                }
            })).isExactlyInstanceOf(LogSourceException.class).hasMessageContaining("interrupted while reading a window")
                    // where a failed close of the point in time would show
                    .hasNoSuppressedExceptions();
            assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
            // the read stops at the end of the page in hand
            assertThat(handed[0]).isLessThan(120 + 50);
        }
        assertThat(openContexts()).isEqualTo(before);
        assertNoSliceThreadAlive();
    }

    private static void assertNoSliceThreadAlive() {
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("logalert-") && name.contains("-slice-"));
    }

    @Test
    void autoProbeBuildsNoGlobalOrdinalsOnTheMessageKeywordWhereAnAggregationDoes() {
        String index = TestIndices.unique("probe");
        node.request("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        // many distinct messages in several segments: one global ordinal map per shard would be built for them
        for (int batch = 0; batch < 4; batch++) {
            int first = batch * 2_500;
            BulkLoader.loadDocuments(node, index, IntStream.range(first, first + 2_500).mapToObj(i -> doc(
                    "projectname", "p" + (i % 3), "msg", "order " + i + " failed")));
        }
        assertThat(globalOrdinals(index)).as("before any read").isZero();

        List<LogEvent> auto = read(index, Map.of("mode", "auto", "auto.min-documents", "0"));
        assertThat(auto).hasSize(10_000).allSatisfy(e -> assertThat(e.occurrences()).isEqualTo(1));
        assertThat(globalOrdinals(index)).as("after the auto probe, which streamed").isZero();

        List<LogEvent> aggregated = read(index, Map.of("mode", "aggregate"));
        assertThat(aggregated).hasSize(10_000);
        assertThat(globalOrdinals(index)).as("after an aggregation").isPositive();
    }

    @Test
    void autoStillAggregatesRepeatingMessagesOnSeveralShards() {
        String index = TestIndices.unique("probe-repeating");
        node.request("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":0}}");
        // 20,000 documents: the probe samples a quarter of them, and sees most of the 40 messages more than once
        BulkLoader.loadDocuments(node, index, IntStream.range(0, 20_000).mapToObj(i -> doc(
                "projectname", "p", "msg", "timeout " + (i % 40))));

        List<LogEvent> auto = read(index, Map.of("mode", "auto", "auto.min-documents", "0"));

        assertThat(auto).hasSize(40);
        assertThat(auto).extracting(LogEvent::occurrences).containsOnly(500L);
    }

    /**
     * The search contexts open on the node, points in time included; node-wide, so tests compare it before and after
     * a read rather than with zero.
     */
    private static long openContexts() {
        try {
            return JSON.readTree(node.request("GET", "/_nodes/stats/indices/search", null))
                    .path("nodes").elements().next().path("indices").path("search").path("open_contexts").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many global ordinals builds the message keyword of {@code index} holds now, from the node's statistics. */
    private static long globalOrdinals(String index) {
        try {
            JsonNode stats = JSON.readTree(node.request("GET", "/" + index + "/_stats/fielddata?fields=*", null));
            JsonNode fields = stats.path("_all").path("total").path("fielddata").path("fields").path("msg.keyword");
            return fields.path("memory_size_in_bytes").asLong()
                    + fields.path("global_ordinals").path("build_time_in_millis").asLong()
                    + (fields.path("global_ordinals").isMissingNode() ? 0 : 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<LogEvent> read(String index, Map<String, String> settings) {
        List<LogEvent> events = new ArrayList<>();
        try (ElasticsearchLogSource source = TestIndices.source(node, index, new HashMap<>(settings))) {
            source.read(WINDOW, events::add);
        }
        return events;
    }

    private static Map<String, LogEvent> byId(List<LogEvent> events) {
        Map<String, LogEvent> byId = new LinkedHashMap<>();
        events.stream().sorted(Comparator.comparing(LogEvent::id)).forEach(e -> byId.put(e.id(), e));
        assertThat(byId).hasSameSizeAs(events);
        return byId;
    }

    /** Four slices of small pages: a read is many pages in flight when the tests act in the middle of it. */
    private static ElasticsearchLogSource fourSlicesOfFifty() {
        return TestIndices.source(node, prefix + "-*", Map.of("mode", "stream", "max-slices", "4", "page-size", "50"));
    }

    private static Map<String, Object> doc(Object... keysAndValues) {
        return TestIndices.errorDocument(T0.plusSeconds(1), keysAndValues);
    }
}
