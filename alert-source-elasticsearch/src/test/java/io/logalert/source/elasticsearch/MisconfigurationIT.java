package io.logalert.source.elasticsearch;

import static io.logalert.source.elasticsearch.ElasticsearchLogSourceIT.counts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.SourceUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A misconfiguration is never an empty window: a wrong {@code index} or a field no document holds fails the read
 * (the pipeline keeps the checkpoint and reports it), while an index not created yet or a window without documents
 * reads as empty.
 */
class MisconfigurationIT {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(60));
    private static final String PASSWORD = "s3cret-pw";

    private final ElasticsearchNode node = ElasticsearchNode.shared();

    // ---- index

    @Test
    void misspeltPatternIsAnErrorNamingItAndTheIndexItResembles() {
        String run = TestIndices.unique("run");
        String existing = "app-prod-" + run + "-2026.11.30";
        TestIndices.load(node, existing, List.of(event(T0, "p", "boom")));
        String typo = "app-prd-" + run + "-*";

        assertThatThrownBy(() -> read(typo, Map.of()))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("'index' is '" + typo + "'")
                .hasMessageContaining("'" + typo + "' matches no index, alias or data stream, but names close to it "
                        + "exist: " + existing)
                .hasMessageNotContaining(PASSWORD);
        // the right pattern reads the same index
        assertThat(counts(read("app-prod-" + run + "-*", Map.of()))).isEqualTo(Map.of("p|boom", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void nameThatNoIndexHasIsAnErrorEvenBesideAPatternThatMatches(String mode) {
        String run = TestIndices.unique("run");
        String existing = "billing-" + run + "-2026.11.30";
        TestIndices.load(node, existing, List.of(event(T0, "p", "boom")));
        String missing = "billing-" + run + "-2026.11.31";

        assertThatThrownBy(() -> read(missing, Map.of("mode", mode)))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("'index' names '" + missing + "', but no index, alias or data stream of that "
                        + "name exists; names close to it: " + existing);
        // a window the existing index holds does not hide the missing name
        assertThatThrownBy(() -> read("billing-" + run + "-*," + missing, Map.of("mode", mode)))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'index' names '" + missing + "'");
    }

    @Test
    void nameThatResemblesNothingIsStillAnError() {
        String missing = TestIndices.unique("never-created-name");

        assertThatThrownBy(() -> read(missing, Map.of()))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'index' names '" + missing + "', but no index, alias or data stream of that "
                        + "name exists; no existing name is close to it");
    }

    @Test
    void patternThatMatchesNothingYetIsAnEmptyWindowAndOneWarningUntilItMatches() {
        String prefix = TestIndices.unique("created-later");
        String pattern = prefix + "-*";
        try (ElasticsearchLogSource source = TestIndices.source(node, pattern, Map.of())) {
            assertThat(read(source)).isEmpty();
            assertThat(read(source)).isEmpty();
            assertThat(source.warnings()).singleElement().asString()
                    .contains("'index' is '" + pattern + "', which matches no index, alias or data stream yet")
                    .contains("logged once");

            // once created, it reads, and losing its indices again is worth a new warning
            TestIndices.load(node, prefix + "-2026.11.30", List.of(event(T0, "p", "boom")));
            assertThat(counts(read(source))).isEqualTo(Map.of("p|boom", 1L));
            node.request("DELETE", "/" + prefix + "-2026.11.30", null);
            assertThat(read(source)).isEmpty();
            assertThat(source.warnings()).hasSize(2);
        }
    }

    @Test
    void existingIndexWithoutDocumentsInTheWindowIsAnEmptyWindow() {
        String index = TestIndices.unique("quiet");
        TestIndices.load(node, index, List.of(event(T0, "p", "boom")));
        String empty = TestIndices.unique("quiet-empty");
        node.request("PUT", "/" + empty, "{}");
        TimeWindow nextDay = new TimeWindow(T0.plusSeconds(86_400), T0.plusSeconds(86_460));

        for (String mode : List.of("stream", "aggregate", "auto")) {
            try (ElasticsearchLogSource source = TestIndices.source(node, index + "," + empty, Map.of("mode", mode,
                    "field.message", "no-such-field"))) {
                List<LogEvent> read = new ArrayList<>();
                // no document to judge the field by, and the indices exist: nothing is wrong
                source.read(nextDay, read::add);
                assertThat(read).as(mode).isEmpty();
                assertThat(source.warnings()).as(mode).isEmpty();
            }
        }
    }

    // ---- fields

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void messageFieldNoDocumentHoldsIsAnErrorNamingTheKeyAndTheMappedFields(String mode) {
        String index = TestIndices.unique("wrong-message");
        TestIndices.load(node, index, List.of(event(T0, "p", "boom"), event(T0.plusSeconds(1), "p", "boom"),
                event(T0.plusSeconds(2), "q", "bang")));
        List<LogEvent> handedOver = new ArrayList<>();

        assertThatThrownBy(() -> read(index, Map.of("mode", mode, "field.message", "message"), handedOver))
                .isInstanceOf(LogSourceException.class)
                .isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("'field.message' is 'message', but none of the 3 documents of the window "
                        + WINDOW + " in [" + index + "] holds it")
                .hasMessageContaining("text and keyword fields their indices map: [msg]")
                .hasMessageContaining("Set field.message to the field holding the log message")
                .hasMessageNotContaining(PASSWORD);
        // the pipeline discards what a failed read handed over; it was every document, under the placeholder
        assertThat(ElasticsearchLogSourceIT.total(handedOver)).isEqualTo(3);
        assertThat(handedOver).extracting(LogEvent::message).containsOnly(Documents.NO_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate"})
    void projectAndExplicitThreadFieldsNoDocumentHoldsAreErrorsToo(String mode) {
        String index = TestIndices.unique("wrong-project");
        // no thread or logger field at all: the defaults are guesses, which need not be held
        BulkLoader.loadDocuments(node, index, Stream.of(doc(T0, "projectname", "p", "msg", "boom"),
                doc(T0.plusSeconds(1), "projectname", "p", "msg", "boom")));

        assertThatThrownBy(() -> read(index, Map.of("mode", mode, "field.project", "app", "field.thread", "thread")))
                .isInstanceOf(LogSourceException.class)
                .hasMessageContaining("'field.project' is 'app' and 'field.thread' is 'thread', but none of the 2 "
                        + "documents of the window " + WINDOW + " in [" + index + "] holds them")
                .hasMessageContaining("text and keyword fields their indices map: [projectname]")
                .hasMessageContaining("Set field.project to the field holding the project (application) name, "
                        + "field.thread to the field holding the thread name");
        assertThat(counts(read(index, Map.of("mode", mode)))).isEqualTo(Map.of("p|boom", 2L));
    }

    @Test
    void explicitFieldOnlyOlderDocumentsOfABucketHoldIsNotAnError() {
        String index = TestIndices.unique("thread-some");
        // one bucket whose sample, the latest document, has no 'thread': the store is asked before failing
        BulkLoader.loadDocuments(node, index, Stream.of(
                doc(T0, "projectname", "p", "msg", "boom", "thread", "worker-1"),
                doc(T0.plusSeconds(5), "projectname", "p", "msg", "boom")));

        List<LogEvent> read = read(index, Map.of("mode", "aggregate", "field.thread", "thread"));

        assertThat(read).singleElement().satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void messageOrProjectMissingInSomeDocumentsOnlyReadsUnderPlaceholders(String mode) {
        String index = TestIndices.unique("some-missing");
        BulkLoader.loadDocuments(node, index, Stream.of(
                doc(T0, "projectname", "p", "msg", "boom"),
                doc(T0, "projectname", "p"),
                doc(T0, "projectname", "p", "msg", ""),
                doc(T0, "msg", "boom")));

        assertThat(counts(read(index, Map.of("mode", mode)))).isEqualTo(Map.of(
                "p|boom", 1L, "p|" + Documents.NO_MESSAGE, 2L, LogEvent.NO_PROJECT + "|boom", 1L));
    }

    // ---- helpers

    private static Map<String, Object> doc(Instant at, Object... keysAndValues) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("@timestamp", at.toString());
        document.put("loglevel", "ERROR");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            document.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return document;
    }

    private static LogEvent event(Instant at, String project, String message) {
        return LogEvent.builder().timestamp(at).project(project).message(message).thread("worker").build();
    }

    private List<LogEvent> read(String index, Map<String, String> config) {
        return read(index, config, new ArrayList<>());
    }

    /** Reads {@link #WINDOW} as a user with a password (the node ignores it), so messages can be checked for it. */
    private List<LogEvent> read(String index, Map<String, String> config, List<LogEvent> into) {
        Map<String, String> withCredentials = new HashMap<>(config);
        withCredentials.put("username", "alice");
        withCredentials.put("password", PASSWORD);
        try (ElasticsearchLogSource source = TestIndices.source(node, index, withCredentials)) {
            source.read(WINDOW, into::add);
        }
        return into;
    }

    private static List<LogEvent> read(ElasticsearchLogSource source) {
        List<LogEvent> read = new ArrayList<>();
        source.read(WINDOW, read::add);
        return read;
    }
}
