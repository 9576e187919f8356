package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateCodec;
import io.logalert.spi.StateConflictException;
import io.logalert.spi.StateStoreException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Elasticsearch state store against the real node: the index it creates, conditional writes between two writers,
 * reset, unreadable documents and failures.
 */
class ElasticsearchStateStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String PIPELINE = "checkout-errors";

    private final ElasticsearchNode node = ElasticsearchNode.shared();
    private final String index = TestIndices.unique(".logalert-state-it");
    private final List<ElasticsearchStateStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(ElasticsearchStateStore::close);
    }

    @Test
    void indexIsCreatedOnFirstUseWithAStrictMappingThatStoresTheStateWithoutIndexingIt() throws IOException {
        assertThat(node.send("HEAD", "/" + index, null).statusCode()).isEqualTo(404);
        Instant savedAt = Instant.parse("2026-03-02T08:30:00Z");
        ElasticsearchStateStore store = track(ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                "hosts", TestIndices.hosts(node), "index", index)), Clock.fixed(savedAt, ZoneOffset.UTC)));

        assertThat(store.load(PIPELINE)).isEmpty();

        JsonNode mapping = json(node.request("GET", "/" + index + "/_mapping", null)).path(index).path("mappings");
        assertThat(mapping.path("dynamic").asText()).isEqualTo("strict");
        JsonNode properties = mapping.path("properties");
        assertThat(properties.path("pipeline").path("type").asText()).isEqualTo("keyword");
        assertThat(properties.path("version").path("type").asText()).isEqualTo("integer");
        assertThat(properties.path("saved_at").path("type").asText()).isEqualTo("date");
        assertThat(properties.path("state").path("type").asText()).isEqualTo("object");
        assertThat(properties.path("state").path("enabled").asBoolean(true)).isFalse();
        JsonNode settings = json(node.request("GET", "/" + index + "/_settings", null)).path(index)
                .path("settings").path("index");
        assertThat(settings.path("auto_expand_replicas").asText()).isEqualTo("0-1");
        assertThat(settings.path("hidden").asText()).isEqualTo("true");

        store.save(state(T0));
        JsonNode document = json(node.request("GET", "/" + index + "/_doc/" + PIPELINE, null)).path("_source");
        assertThat(document.path("pipeline").asText()).isEqualTo(PIPELINE);
        assertThat(document.path("version").asInt()).isEqualTo(1);
        assertThat(document.path("saved_at").asText()).isEqualTo(savedAt.toString());
        assertThat(document.path("state").path("checkpoint").asText()).isEqualTo(T0.toString());
        // the mapping did not grow: the state's fields are not indexed
        JsonNode after = json(node.request("GET", "/" + index + "/_mapping", null)).path(index).path("mappings");
        assertThat(after).isEqualTo(mapping);
    }

    @Test
    void creatingTheIndexAnotherWriterCreatedMeanwhileIsFine() throws IOException {
        ElasticsearchStateStore first = store();
        ElasticsearchStateStore second = store();
        first.save(state(T0));

        second.createIndex();

        assertThat(second.load(PIPELINE)).contains(state(T0));
    }

    @Test
    void aSaveAfterAnotherWritersSaveIsAConflictAndLeavesTheOtherStateIntact() {
        ElasticsearchStateStore a = store();
        ElasticsearchStateStore b = store();
        a.save(state(T0));
        assertThat(a.load(PIPELINE)).contains(state(T0));
        assertThat(b.load(PIPELINE)).contains(state(T0));

        a.save(state(T0.plusSeconds(60)));

        assertThatThrownBy(() -> b.save(state(T0.plusSeconds(120))))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("another writer saved the state of pipeline '" + PIPELINE + "'")
                .hasMessageContaining(index);
        assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(60)));
        // once it has loaded the newer state, the second writer may save
        assertThat(b.load(PIPELINE)).contains(state(T0.plusSeconds(60)));
        b.save(state(T0.plusSeconds(120)));
        assertThat(a.load(PIPELINE)).contains(state(T0.plusSeconds(120)));
    }

    @Test
    void twoWritersThatBothFoundNoStateCannotBothCreateIt() {
        ElasticsearchStateStore a = store();
        ElasticsearchStateStore b = store();
        assertThat(a.load(PIPELINE)).isEmpty();
        assertThat(b.load(PIPELINE)).isEmpty();

        a.save(state(T0));

        assertThatThrownBy(() -> b.save(state(T0.plusSeconds(1)))).isInstanceOf(StateConflictException.class);
        assertThat(b.load(PIPELINE)).contains(state(T0));
    }

    @Test
    void aStoreThatNeverLoadedAnExistingStateCannotOverwriteIt() {
        store().save(state(T0));
        ElasticsearchStateStore late = store();

        assertThatThrownBy(() -> late.save(state(T0.plusSeconds(60))))
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining(PIPELINE);
        assertThat(late.load(PIPELINE)).contains(state(T0));
    }

    @Test
    void aStoreSavesAgainAndAgainWithoutLoading() {
        ElasticsearchStateStore store = store();
        for (int minute = 0; minute < 5; minute++) {
            store.save(state(T0.plusSeconds(60L * minute)));
        }

        assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(240)));
    }

    @Test
    void ofWritersRacingFromTheSameLoadExactlyOneWins() throws Exception {
        store().save(state(T0));
        int writers = 6;
        List<ElasticsearchStateStore> racing = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            ElasticsearchStateStore store = store();
            assertThat(store.load(PIPELINE)).contains(state(T0));
            racing.add(store);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> saved = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                ElasticsearchStateStore store = racing.get(i);
                PipelineState mine = state(T0.plusSeconds(i + 1));
                saved.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.save(mine);
                        return true;
                    } catch (StateConflictException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                if (saved.get(i).get(30, TimeUnit.SECONDS)) {
                    winners.add(i);
                }
            }

            assertThat(winners).hasSize(1);
            assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(winners.get(0) + 1)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resetForgetsTheStateAndASaveAfterItCreatesAnew() {
        ElasticsearchStateStore store = store();
        store.save(state(T0));

        store.reset(PIPELINE);

        assertThat(store.load(PIPELINE)).isEmpty();
        assertThat(store().load(PIPELINE)).isEmpty();
        store.save(state(T0.plusSeconds(60)));
        assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(60)));
    }

    @Test
    void resetWithoutLoadingThenSaveWorks() {
        store().save(state(T0));
        ElasticsearchStateStore other = store();

        other.reset(PIPELINE);
        other.reset(PIPELINE);
        other.save(state(T0.plusSeconds(60)));

        assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(60)));
    }

    @Test
    void resetOfAStateAnotherWriterSavedSinceIsAConflictAndKeepsIt() {
        ElasticsearchStateStore a = store();
        ElasticsearchStateStore b = store();
        a.save(state(T0));
        assertThat(b.load(PIPELINE)).isPresent();
        a.save(state(T0.plusSeconds(60)));

        assertThatThrownBy(() -> b.reset(PIPELINE)).isInstanceOf(StateConflictException.class)
                .hasMessageContaining(PIPELINE);
        assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(60)));
    }

    @Test
    void aDocumentWhoseStateCannotBeReadIsAnErrorNamingIndexAndIdAndResetRemovesIt() {
        ElasticsearchStateStore store = store();
        store.save(state(T0));
        node.request("PUT", "/" + index + "/_doc/" + PIPELINE, """
                {"pipeline":"checkout-errors","version":1,"saved_at":"2026-03-01T10:00:00Z",
                 "state":{"version":1,"pipelineId":"checkout-errors","checkpoint":"yesterday"}}""");
        node.request("PUT", "/" + index + "/_doc/no-state", """
                {"pipeline":"no-state","version":1,"saved_at":"2026-03-01T10:00:00Z"}""");
        node.request("PUT", "/" + index + "/_doc/other-pipeline", "{\"state\":"
                + new String(StateCodec.write(state(T0)), StandardCharsets.UTF_8)
                + "}");

        assertThatThrownBy(() -> store.load(PIPELINE))
                .isInstanceOf(StateStoreException.class)
                .isNotInstanceOf(StateConflictException.class)
                .hasMessageContaining(index + "/" + PIPELINE)
                .hasMessageContaining("reset");
        assertThatThrownBy(() -> store.load("no-state"))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(index + "/no-state");
        assertThatThrownBy(() -> store.load("other-pipeline"))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(index + "/other-pipeline")
                .hasMessageContaining("'" + PIPELINE + "'");
        // reset is the way out, although the unreadable document replaced the one this store saved
        store.reset(PIPELINE);
        assertThat(store.load(PIPELINE)).isEmpty();
        store.save(state(T0.plusSeconds(60)));
        assertThat(store().load(PIPELINE)).contains(state(T0.plusSeconds(60)));
    }

    @Test
    void anUnreachableNodeIsAnErrorNamingTheHostsButNoSecret() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ElasticsearchStateStore store = track(ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                "hosts", "http://127.0.0.1:" + closedPort, "index", index, "username", "alice",
                "password", "s3cret-pw", "request-timeout", "2s"))));

        assertThatThrownBy(() -> store.load(PIPELINE))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("elasticsearch[http://127.0.0.1:" + closedPort + "/" + index + "]")
                .hasMessageContaining("cannot reach")
                .hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> store.save(state(T0)))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void aSecuredNodeRefusingThePasswordIsAClearErrorWithoutThePassword() {
        String user = "logalert_state";
        String password = "right-horse-battery";
        String wrong = "wrong-horse-battery";
        try (ElasticsearchNode secured = ElasticsearchNode.startSecured(user, password)) {
            Map<String, String> config = new HashMap<>(Map.of("hosts", TestIndices.hosts(secured), "index", index,
                    "username", user, "password", wrong));
            ElasticsearchStateStore refused = track(ElasticsearchStateStore.create(PluginConfig.of(config)));

            assertThatThrownBy(() -> refused.load(PIPELINE))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("401")
                    .hasMessageContaining("user '" + user + "'")
                    .hasMessageContaining(TestIndices.hosts(secured))
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining(password);

            config.put("password", password);
            ElasticsearchStateStore accepted = track(ElasticsearchStateStore.create(PluginConfig.of(config)));
            accepted.save(state(T0));
            assertThat(accepted.load(PIPELINE)).contains(state(T0));
        }
    }

    private ElasticsearchStateStore store() {
        return track(ElasticsearchStateStore.create(PluginConfig.of(Map.of("hosts", TestIndices.hosts(node),
                "index", index))));
    }

    private ElasticsearchStateStore track(ElasticsearchStateStore store) {
        stores.add(store);
        return store;
    }

    private static PipelineState state(Instant checkpoint) {
        return PipelineState.initial(PIPELINE, checkpoint);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
