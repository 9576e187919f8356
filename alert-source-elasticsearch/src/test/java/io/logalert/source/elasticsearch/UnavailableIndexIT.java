package io.logalert.source.elasticsearch;

import static io.logalert.source.elasticsearch.ElasticsearchLogSourceIT.counts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.SourceUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An index of the window that is red (a primary shard without an active copy) or partly unavailable fails the read
 * in every mode, as unavailable, so that the pipeline keeps its checkpoint; once the index is healthy again, the same
 * window counts its documents. The red index holds documents: it is a clone of an index that holds them, made on the
 * one node with an allocation filter that no node passes, so its primaries stay unassigned until the filter goes.
 */
class UnavailableIndexIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(60));
    private static final TimeWindow NEXT_DAY = new TimeWindow(T0.plusSeconds(86_400), T0.plusSeconds(86_460));

    private final ElasticsearchNode node = ElasticsearchNode.shared();

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void aRedIndexBesideAHealthyOneFailsTheReadUntilItIsHealthyAgain(String mode) {
        String run = TestIndices.unique("red");
        String pattern = run + "-logs-*";
        String healthy = run + "-logs-ok";
        String red = run + "-logs-trouble";
        String staging = run + "-staging";
        try {
            TestIndices.load(node, healthy, events("app-ok", 100));
            TestIndices.load(node, staging, events("app-in-trouble", 100));
            node.cloneUnassigned(staging, red, "\"index.routing.allocation.require._name\": \"no-such-node\"");
            assertThat(node.request("GET", "/_cluster/health/" + red, null)).contains("\"status\":\"red\"");

            // before, the healthy index's 100 errors were counted and the window passed: the other 100 were lost
            assertThatThrownBy(() -> read(pattern, mode, WINDOW))
                    .isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("could not read the mappings of '" + pattern + "': it cannot read [" + red
                            + "] now (no_shard_available_action_exception")
                    .hasMessageContaining("An index that is red (a primary shard without an active copy) or partly "
                            + "unavailable may hold documents of the window, so the window is not counted without it")
                    .hasMessageContaining("exclude it from 'index' (-" + red + ")");
            // a window the healthy index does not hold is no different: the red one may hold it (with no other index
            // left to answer, Elasticsearch refuses the field capabilities with a 503 instead)
            assertThatThrownBy(() -> read(pattern, mode, NEXT_DAY))
                    .isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("could not read the mappings of '" + pattern + "' now (HTTP 503): "
                            + "no_shard_available_action_exception: index [" + red + "] has no active shard copy")
                    .hasMessageContaining("An index that is red")
                    .hasMessageContaining("exclude it from 'index' (-" + red + ")");
            // the way out the message names, for an index lost for good
            assertThat(counts(read(pattern + ",-" + red, mode, WINDOW))).isEqualTo(Map.of("app-ok|boom", 100L));

            node.request("PUT", "/" + red + "/_settings", "{\"index.routing.allocation.require._name\": null}");
            node.request("GET", "/_cluster/health/" + red + "?wait_for_status=green&timeout=60s", null);

            assertThat(counts(read(pattern, mode, WINDOW)))
                    .isEqualTo(Map.of("app-ok|boom", 100L, "app-in-trouble|boom", 100L));
        } finally {
            // a red index left behind would keep the shared node red, and its restarts waiting for yellow
            node.send("DELETE", "/" + red + "," + healthy + "," + staging, null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "aggregate", "auto"})
    void anIndexWithOneOfItsShardsUnavailableFailsTheReadNamingTheShard(String mode) {
        String run = TestIndices.unique("partly-red");
        String pattern = run + "-logs-*";
        String partly = run + "-logs-half";
        String staging = run + "-staging";
        try {
            node.request("PUT", "/" + staging, "{\"settings\": {\"number_of_shards\": 2, \"number_of_replicas\": 0}}");
            TestIndices.load(node, staging, events("app-in-trouble", 40));
            // one shard per node, and there is one node: the second primary stays unassigned
            node.cloneUnassigned(staging, partly, "\"index.routing.allocation.total_shards_per_node\": 1");
            node.request("GET", "/_cluster/health/" + partly + "?wait_for_active_shards=1&timeout=60s", null);
            assertThat(node.request("GET", "/_cat/shards/" + partly + "?h=state", null))
                    .contains("STARTED").contains("UNASSIGNED");

            // the field capabilities of a partly red index read its one active shard; the point in time refuses it
            assertThatThrownBy(() -> read(pattern, mode, WINDOW))
                    .isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("could not open a point in time on [" + partly + "] now (HTTP 503)")
                    .hasMessageContaining("missing shards [[" + partly + "][")
                    .hasMessageContaining("exclude it from 'index' (-" + partly + ")");
        } finally {
            node.send("DELETE", "/" + partly + "," + staging, null);
        }
    }

    private static List<LogEvent> events(String project, int count) {
        return IntStream.range(0, count).mapToObj(i -> LogEvent.builder().timestamp(T0.plusMillis(i * 100L))
                .project(project).message("boom").thread("worker").build()).toList();
    }

    private List<LogEvent> read(String index, String mode, TimeWindow window) {
        List<LogEvent> read = new ArrayList<>();
        try (ElasticsearchLogSource source = TestIndices.source(node, index, Map.of("mode", mode))) {
            source.read(window, read::add);
        }
        return read;
    }
}
