package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
import io.logalert.spi.SourceUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading from the real node: windows, levels, projects, odd documents, and failures. */
class ElasticsearchLogSourceIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(60));

    private final ElasticsearchNode node = ElasticsearchNode.shared();

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate"})
    void documentAtFromIsInsideAndDocumentAtToIsOutside(String mode) {
        String index = TestIndices.unique("bounds");
        TestIndices.load(node, index, List.of(
                event(T0.minusMillis(1), "p", "before"), event(T0, "p", "at from"),
                event(WINDOW.to().minusMillis(1), "p", "last inside"), event(WINDOW.to(), "p", "at to")));

        List<LogEvent> read = read(index, mode, WINDOW);

        assertThat(read).extracting(LogEvent::message).containsExactlyInAnyOrder("at from", "last inside");
        assertThat(read).extracting(LogEvent::timestamp).containsExactlyInAnyOrder(T0, WINDOW.to().minusMillis(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate"})
    void levelsMatchIgnoringCaseOnDynamicMapping(String mode) {
        String index = TestIndices.unique("levels-dynamic");
        loadLevels(index);

        assertThat(counts(read(index, mode, WINDOW))).isEqualTo(Map.of("p|boom", 3L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate"})
    void levelsMatchIgnoringCaseOnKeywordMapping(String mode) {
        String index = TestIndices.unique("levels-keyword");
        node.request("PUT", "/" + index, """
                {"mappings":{"properties":{"@timestamp":{"type":"date"},"loglevel":{"type":"keyword"},
                 "projectname":{"type":"keyword"},"msg":{"type":"keyword"}}}}""");
        loadLevels(index);

        assertThat(counts(read(index, mode, WINDOW))).isEqualTo(Map.of("p|boom", 3L));
    }

    @Test
    void levelsCanBeConfiguredAndAStarReadsEveryLevel() {
        String index = TestIndices.unique("levels-config");
        loadLevels(index);

        assertThat(total(read(index, Map.of("levels", "warn"), WINDOW))).isEqualTo(1);
        assertThat(total(read(index, Map.of("levels", "error,WARN"), WINDOW))).isEqualTo(4);
        assertThat(total(read(index, Map.of("levels", "*"), WINDOW))).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate"})
    void excludedProjectsAreNotReadAndIncludedOnesAreTheOnlyOnes(String mode) {
        String index = TestIndices.unique("projects");
        TestIndices.load(node, index, List.of(event(T0, "checkout", "a"), event(T0, "billing", "b"),
                event(T0, "search", "c"), event(T0, "search", "c")));

        assertThat(counts(read(index, Map.of("mode", mode, "exclude-projects", "search,billing"), WINDOW)))
                .isEqualTo(Map.of("checkout|a", 1L));
        assertThat(counts(read(index, Map.of("mode", mode, "include-projects", "search"), WINDOW)))
                .isEqualTo(Map.of("search|c", 2L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate"})
    void messageLongerThanIgnoreAboveIsCountedWhole(String mode) {
        String index = TestIndices.unique("long-message");
        String longMessage = "x".repeat(1_990) + " the end";
        assertThat(longMessage).hasSize(1_998);
        TestIndices.load(node, index, List.of(event(T0, "p", longMessage), event(T0.plusSeconds(1), "p", longMessage),
                event(T0.plusSeconds(2), "p", longMessage), event(T0.plusSeconds(3), "p", "short")));

        List<LogEvent> read = read(index, mode, WINDOW);

        assertThat(counts(read)).isEqualTo(Map.of("p|" + longMessage, 3L, "p|short", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void missingAndWronglyTypedFieldsAreCountedUnderPlaceholders(String mode) {
        String index = TestIndices.unique("odd-fields");
        List<Map<String, Object>> documents = List.of(
                doc("projectname", "p", "msg", "normal", "threadname", "t"),
                doc("msg", "no project"),
                doc("projectname", 42, "msg", 1234, "threadname", 7),
                doc("projectname", "p", "threadname", "t"),
                doc("projectname", "p", "msg", "", "threadname", true),
                doc("projectname", "p", "msg", List.of("first", "second")));
        BulkLoader.loadDocuments(node, index, documents.stream());

        List<LogEvent> read = read(index, mode, WINDOW);

        assertThat(total(read)).isEqualTo(documents.size());
        assertThat(counts(read)).isEqualTo(Map.of(
                "p|normal", 1L,
                LogEvent.NO_PROJECT + "|no project", 1L,
                "42|1234", 1L,
                "p|" + Documents.NO_MESSAGE, 2L,
                "p|first\nsecond", 1L));
    }

    @Test
    void indicesMappingAFieldDifferentlyAreAClearError() {
        String prefix = TestIndices.unique("conflict");
        node.request("PUT", "/" + prefix + "-a", "{\"mappings\":{\"properties\":{\"msg\":{\"type\":\"keyword\"}}}}");
        node.request("PUT", "/" + prefix + "-b", "{\"mappings\":{\"properties\":{\"msg\":{\"type\":\"long\"}}}}");
        BulkLoader.loadDocuments(node, prefix + "-a", Stream.of(doc("projectname", "p", "msg", "text")));
        BulkLoader.loadDocuments(node, prefix + "-b", Stream.of(doc("projectname", "p", "msg", 42)));

        try (ElasticsearchLogSource source = TestIndices.source(node, prefix + "-*", Map.of())) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("'msg' is mapped as keyword in [" + prefix + "-a], long in [" + prefix + "-b]");
        }
    }

    @Test
    void oldIndexMappedDifferentlyDoesNotBlockALaterWindow() {
        String prefix = TestIndices.unique("old-conflict");
        node.request("PUT", "/" + prefix + "-old", "{\"mappings\":{\"properties\":{\"msg\":{\"type\":\"long\"}}}}");
        Map<String, Object> old = doc("projectname", "p", "msg", 42);
        old.put("@timestamp", T0.minusSeconds(86_400).toString());
        BulkLoader.loadDocuments(node, prefix + "-old", Stream.of(old));
        TestIndices.load(node, prefix + "-new", List.of(event(T0, "p", "now"), event(T0.plusSeconds(1), "p", "now")));

        for (String mode : List.of("stream", "aggregate", "auto")) {
            assertThat(counts(read(prefix + "-*", mode, WINDOW))).as(mode).isEqualTo(Map.of("p|now", 2L));
        }
        // a window that the old index does hold still reports the conflict
        TimeWindow yesterday = new TimeWindow(T0.minusSeconds(86_400), T0.plusSeconds(60));
        assertThatThrownBy(() -> read(prefix + "-*", "stream", yesterday))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'msg' is mapped as long in [" + prefix + "-old], text in [" + prefix + "-new]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void aShardFailureFailsTheReadInsteadOfCountingPartialResults(String mode) {
        String prefix = TestIndices.unique("shard-failure");
        loadIndicesWhereOneShardCannotRunTheFilter(prefix);
        List<LogEvent> read = new ArrayList<>();

        try (ElasticsearchLogSource source = TestIndices.source(node, prefix + "-*", Map.of("mode", mode,
                "filter", "{\"term\":{\"code\":\"abc\"}}"))) {
            assertThatThrownBy(() -> source.read(WINDOW, read::add))
                    .isInstanceOf(LogSourceException.class)
                    .hasMessageContaining("Partial shards failure")
                    .hasMessageContaining("query_shard_exception")
                    .hasMessageContaining(prefix + "-long");
        }
        assertThat(read).isEmpty();
        assertThat(openContexts()).isZero();
    }

    @Test
    void anAnswerMissingShardsIsRefusedAsUnavailable() throws IOException {
        String prefix = TestIndices.unique("partial-answer");
        loadIndicesWhereOneShardCannotRunTheFilter(prefix);
        SearchResponse<Void> partial;
        try (RestClient rest = RestClient.builder(HttpHost.create(TestIndices.hosts(node))).build()) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper()));
            // what Elasticsearch answers by default: HTTP 200 and the hits of the shards that did not fail
            partial = client.search(s -> s.index(prefix + "-*").size(0).allowPartialSearchResults(true)
                    .query(q -> q.term(t -> t.field("code").value("abc"))), Void.class);
        }
        assertThat(partial.shards().failed().intValue()).isEqualTo(1);
        assertThat(partial.hits().total().value()).isEqualTo(1);
        Failures failures = new Failures("elasticsearch[test]", TestIndices.hosts(node), "anonymous requests",
                ConnectionSettings.DEFAULT_REQUEST_TIMEOUT);

        assertThatThrownBy(() -> failures.requireComplete("read a page of documents", partial.shards(),
                partial.timedOut()))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("1 of 2 shards failed")
                .hasMessageContaining("of " + prefix + "-long: query_shard_exception: failed to create query");
    }

    @Test
    void timestampFieldMappedInNoIndexIsAnErrorUnlessTheIndicesAreEmpty() {
        String index = TestIndices.unique("wrong-timestamp");
        TestIndices.load(node, index, List.of(event(T0, "p", "m")));
        String empty = TestIndices.unique("wrong-timestamp-empty");
        node.request("PUT", "/" + empty, "{}");

        for (String mode : List.of("stream", "aggregate", "auto")) {
            assertThatThrownBy(() -> read(index, Map.of("mode", mode, "field.timestamp", "@ts"), WINDOW))
                    .as(mode)
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("'field.timestamp' '@ts' is mapped in none of [" + index + "]; set "
                            + "field.timestamp to the documents' time field");
        }
        // an index created before its first document maps nothing yet: an empty window, not an error
        assertThat(read(empty, Map.of("field.timestamp", "@ts"), WINDOW)).isEmpty();
    }

    @Test
    void levelOrProjectFieldMappedInNoIndexOfTheWindowIsAnError() {
        String index = TestIndices.unique("wrong-level");
        TestIndices.load(node, index, List.of(event(T0, "p", "m")));

        assertThatThrownBy(() -> read(index, Map.of("field.level", "lvl"), WINDOW))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'field.level' 'lvl' is mapped in none of [" + index + "]; set field.level to "
                        + "the documents' level field, or set levels=* to read every level");
        assertThatThrownBy(() -> read(index, Map.of("field.project", "app", "include-projects", "p"), WINDOW))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'field.project' 'app' is mapped in none of [" + index + "]");
        // levels=* does not need the level field mapped, but one set explicitly must be held by some document of a
        // non-empty window (MisconfigurationIT): the mapping check does not answer, the documents do
        assertThatThrownBy(() -> read(index, Map.of("field.level", "lvl", "levels", "*"), WINDOW))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'field.level' is 'lvl', but none of the 1 documents of the window")
                .hasMessageNotContaining("is mapped in none of");
    }

    @Test
    void projectFilterOnATextOnlyProjectFieldIsRefusedRatherThanMatchedByPhrase() {
        String index = TestIndices.unique("text-project");
        node.request("PUT", "/" + index, """
                {"mappings":{"properties":{"@timestamp":{"type":"date"},"projectname":{"type":"text"}}}}""");
        TestIndices.load(node, index, List.of(event(T0, "checkout", "a"), event(T0, "checkout-v2", "b")));

        assertThatThrownBy(() -> read(index, Map.of("include-projects", "checkout"), WINDOW))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'include-projects'/'exclude-projects' match exact values, but the project "
                        + "field 'projectname' has no keyword value in [" + index + "]");
        assertThat(total(read(index, Map.of(), WINDOW))).isEqualTo(2);
    }

    @Test
    void compositePagesContinueAfterTheBucketWithoutAProject() {
        String index = TestIndices.unique("composite-missing");
        BulkLoader.loadDocuments(node, index, Stream.of(
                doc("projectname", "billing", "msg", "a"), doc("projectname", "billing", "msg", "a"),
                doc("projectname", "checkout", "msg", "a"), doc("projectname", "checkout", "msg", "b"),
                doc("msg", "a"), doc("msg", "a"), doc("msg", "c")));

        List<LogEvent> read = read(index, Map.of("mode", "aggregate", "page-size", "1"), WINDOW);

        // every bucket is its own page, the first ones with a null project in the after_key
        assertThat(read).hasSize(5).allSatisfy(e -> assertThat(e.occurrences()).isPositive());
        assertThat(counts(read)).isEqualTo(Map.of("billing|a", 2L, "checkout|a", 1L, "checkout|b", 1L,
                LogEvent.NO_PROJECT + "|a", 2L, LogEvent.NO_PROJECT + "|c", 1L));
    }

    @Test
    void aggregateReadsTheWindowFromOneSnapshot() {
        String index = TestIndices.unique("snapshot");
        String longMessage = "y".repeat(1_000) + " too long for ignore_above";
        TestIndices.load(node, index, List.of(event(T0, "p", "first"), event(T0, "p", "first"),
                event(T0.plusSeconds(1), "p", "second"), event(T0.plusSeconds(2), "p", longMessage)));
        boolean[] indexedMore = {false};
        List<LogEvent> read = new ArrayList<>();

        try (ElasticsearchLogSource source = TestIndices.source(node, index, Map.of("mode", "aggregate",
                "page-size", "1"))) {
            source.read(WINDOW, event -> {
                read.add(event);
                if (!indexedMore[0]) {
                    // between the first page and the next: documents the later pages must not see
                    indexedMore[0] = true;
                    TestIndices.load(node, index, List.of(event(T0.plusSeconds(3), "p", "arrived late"),
                            event(T0.plusSeconds(3), "p", "first"), event(T0.plusSeconds(3), "p", longMessage)));
                }
            });
        }

        assertThat(counts(read)).isEqualTo(Map.of("p|first", 2L, "p|second", 1L, "p|" + longMessage, 1L));
        assertThat(total(read(index, "aggregate", WINDOW))).isEqualTo(7);
    }

    @Test
    void unreachableNodeIsSourceUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(io.logalert.spi.PluginConfig.of(Map.of(
                "hosts", "http://127.0.0.1:" + closedPort, "index", "logs-*", "password", "s3cret-pw",
                "username", "alice")))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + closedPort)
                    .hasMessageNotContaining("s3cret-pw");
        }
    }

    @Test
    void nodeThatDoesNotAnswerInTimeIsSourceUnavailable() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (ElasticsearchLogSource source = ElasticsearchLogSource.create(io.logalert.spi.PluginConfig.of(
                    Map.of("hosts", "http://127.0.0.1:" + silent.getLocalPort(), "index", "logs-*",
                            "request-timeout", "300ms")))) {
                assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                        .isInstanceOf(SourceUnavailableException.class);
            }
        }
    }

    @Test
    void pointInTimeIsClosedWhenTheConsumerFails() {
        String index = TestIndices.unique("pit-close");
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event(T0.plusMillis(i), "p", "m" + i));
        }
        TestIndices.load(node, index, events);
        long[] openWhileReading = {-1};

        try (ElasticsearchLogSource source = TestIndices.source(node, index, Map.of("mode", "stream",
                "page-size", "10"))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> {
                openWhileReading[0] = openContexts();
                throw new IllegalStateException("consumer failed");
            })).hasMessage("consumer failed");
        }

        assertThat(openWhileReading[0]).isPositive();
        assertThat(openContexts()).isZero();
    }

    @Test
    void streamingPagesBeyondOnePageInTimeOrder() {
        String index = TestIndices.unique("pages");
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            events.add(event(T0.plusMillis(100L * i), "p", "m" + (i % 7)));
        }
        TestIndices.load(node, index, events);

        List<LogEvent> read = read(index, Map.of("mode", "stream", "page-size", "17"), WINDOW);

        assertThat(read).hasSize(250);
        assertThat(read).extracting(LogEvent::timestamp).isSorted();
        assertThat(read).extracting(LogEvent::id).doesNotHaveDuplicates().doesNotContain("");
        assertThat(counts(read)).isEqualTo(counts(events));
    }

    @Test
    void aggregatedEventsCarryCountFirstAndLastTimestampAndTheirSampleOnRequest() {
        String index = TestIndices.unique("aggregate-shape");
        TestIndices.load(node, index, List.of(event(T0.plusSeconds(1), "p", "same"),
                event(T0.plusSeconds(5), "p", "same"), event(T0.plusSeconds(9), "p", "same")));

        try (ElasticsearchLogSource source = TestIndices.source(node, index, Map.of("mode", "aggregate",
                "page-size", "1"))) {
            List<LogEvent> read = new ArrayList<>();
            source.read(WINDOW, read::add);

            assertThat(read).singleElement().satisfies(e -> {
                assertThat(e.occurrences()).isEqualTo(3);
                assertThat(e.timestamp()).isEqualTo(T0.plusSeconds(1));
                assertThat(e.lastTimestamp()).isEqualTo(T0.plusSeconds(9));
                // counted without a sample document: its details come when a digest shows it
                assertThat(e.detailsPending()).isTrue();
                assertThat(e.thread()).isEmpty();
                // one level read: the bucket's level is known while counting
                assertThat(e.level()).isEqualTo("ERROR");
            });
            SampleRequest request = new SampleRequest(WINDOW, "p", "same");
            Map<SampleRequest, SampleDetails> details = source.details(List.of(request));
            assertThat(details).containsOnlyKeys(request);
            assertThat(details.get(request).thread()).isEqualTo("worker");
        }
    }

    @Test
    void autoAggregatesRepeatingMessagesAndStreamsDistinctOnes() {
        String repeating = TestIndices.unique("auto-repeating");
        BulkLoader.load(node, repeating, new LogGenerator(1).repeatingShare(1.0).generate(600, T0, WINDOW.to()));
        String distinct = TestIndices.unique("auto-distinct");
        BulkLoader.load(node, distinct, new LogGenerator(2).repeatingShare(0.0).generate(600, T0, WINDOW.to()));
        Map<String, String> auto = Map.of("mode", "auto", "auto.min-documents", "100");

        List<LogEvent> fromRepeating = read(repeating, auto, WINDOW);
        List<LogEvent> fromDistinct = read(distinct, auto, WINDOW);
        List<LogEvent> smallWindow = read(repeating, Map.of("mode", "auto", "auto.min-documents", "1000"), WINDOW);

        assertThat(total(fromRepeating)).isEqualTo(600);
        assertThat(fromRepeating).hasSizeLessThanOrEqualTo(LogGenerator.PROJECTS.size() * 3);
        assertThat(total(fromDistinct)).isEqualTo(600);
        // streamed events carry their document id; an aggregation bucket has none
        assertThat(fromDistinct).hasSize(600).allSatisfy(e -> assertThat(e.id()).isNotEmpty());
        assertThat(fromRepeating).allSatisfy(e -> assertThat(e.id()).isEmpty());
        assertThat(smallWindow).hasSize(600);
    }

    @Test
    void extraFilterNarrowsTheDocuments() {
        String index = TestIndices.unique("filter");
        TestIndices.load(node, index, List.of(event(T0, "p", "keep me"), event(T0, "p", "drop me")));

        List<LogEvent> read = read(index, Map.of("filter", "{\"match_phrase\":{\"msg\":\"keep me\"}}"), WINDOW);

        assertThat(read).extracting(LogEvent::message).containsExactly("keep me");
    }

    // ---- helpers

    /** Two indices of the window; a term query for "abc" on {@code code} fails on the one mapping it as a long. */
    private void loadIndicesWhereOneShardCannotRunTheFilter(String prefix) {
        node.request("PUT", "/" + prefix + "-long", "{\"mappings\":{\"properties\":{\"code\":{\"type\":\"long\"}}}}");
        node.request("PUT", "/" + prefix + "-keyword",
                "{\"mappings\":{\"properties\":{\"code\":{\"type\":\"keyword\"}}}}");
        BulkLoader.loadDocuments(node, prefix + "-long", Stream.of(doc("projectname", "p", "msg", "a", "code", 1)));
        BulkLoader.loadDocuments(node, prefix + "-keyword",
                Stream.of(doc("projectname", "p", "msg", "b", "code", "abc")));
    }

    private void loadLevels(String index) {
        TestIndices.load(node, index, List.of(
                LogEvent.builder().timestamp(T0).project("p").message("boom").level("ERROR").build(),
                LogEvent.builder().timestamp(T0).project("p").message("boom").level("error").build(),
                LogEvent.builder().timestamp(T0).project("p").message("boom").level("Error").build(),
                LogEvent.builder().timestamp(T0).project("p").message("boom").level("WARN").build(),
                LogEvent.builder().timestamp(T0).project("p").message("boom").level("INFO").build()));
    }

    private long openContexts() {
        try {
            return new ObjectMapper().readTree(node.request("GET", "/_nodes/stats/indices/search", null))
                    .path("nodes").elements().next().path("indices").path("search").path("open_contexts").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> doc(Object... keysAndValues) {
        return TestIndices.errorDocument(T0.plusSeconds(1), keysAndValues);
    }

    private static LogEvent event(Instant at, String project, String message) {
        return LogEvent.builder().timestamp(at).project(project).message(message).thread("worker").build();
    }

    private List<LogEvent> read(String index, String mode, TimeWindow window) {
        return read(index, Map.of("mode", mode), window);
    }

    private List<LogEvent> read(String index, Map<String, String> config, TimeWindow window) {
        List<LogEvent> read = new ArrayList<>();
        try (ElasticsearchLogSource source = TestIndices.source(node, index, config)) {
            source.read(window, read::add);
        }
        return read;
    }

    static long total(List<LogEvent> events) {
        return events.stream().mapToLong(LogEvent::occurrences).sum();
    }

    /** "project|message" to occurrences. */
    static Map<String, Long> counts(List<LogEvent> events) {
        Map<String, Long> counts = new TreeMap<>();
        for (LogEvent event : events) {
            counts.merge(event.project() + "|" + event.message(), event.occurrences(), Long::sum);
        }
        return counts;
    }
}
