package io.logalert.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.testing.StateStoreContract;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    private static final String ORIGIN = "/var/lib/logalert/orders.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] fullStateEdited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(StateCodec.write(StateStoreContract.fullState("orders")));
        edit.accept(tree);
        return JSON.writeValueAsBytes(tree);
    }

    @Test
    void aFullStateRoundTripsEqual() {
        PipelineState state = StateStoreContract.fullState("orders");

        PipelineState read = StateCodec.read(StateCodec.write(state), ORIGIN);

        assertThat(read).usingRecursiveComparison().isEqualTo(state);
        assertThat(read).isEqualTo(state);
    }

    @Test
    void aLargeStateRoundTripsEqual() {
        PipelineState state = StateStoreContract.largeState("orders", 5_000, 200);

        assertThat(StateCodec.read(StateCodec.write(state), ORIGIN)).isEqualTo(state);
    }

    @Test
    void aStateWrittenBeforeDeferredSamplesWereKeptReadsWithoutThem() throws Exception {
        byte[] older = fullStateEdited(tree -> {
            tree.get("kinds").forEach(kind -> ((ObjectNode) kind).remove("heldSample"));
            ((ObjectNode) tree.get("backlog")).remove("samples");
        });

        PipelineState read = StateCodec.read(older, ORIGIN);

        assertThat(read.kinds()).isNotEmpty().allSatisfy(kind -> assertThat(kind.heldSample()).isEmpty());
        assertThat(read.kinds()).anySatisfy(kind -> assertThat(kind.held()).isPresent());
        assertThat(read.backlog()).hasValueSatisfying(backlog -> {
            assertThat(backlog.groups()).isNotEmpty();
            assertThat(backlog.samples()).isEmpty();
        });
    }

    @Test
    void aStateWithoutDeferredSamplesIsWrittenAsBeforeThem() throws Exception {
        PipelineState full = StateStoreContract.fullState("orders");
        PipelineState none = new PipelineState(full.pipelineId(), full.checkpoint(), full.pending(), full.expired(),
                full.kinds().stream().map(k -> new KnownKind(k.project(), k.key(), k.firstSeen(), k.lastSeen(),
                        k.lastShown(), k.realertStep(), k.held())).toList(),
                full.silences(), full.silenced(),
                full.backlog().map(b -> new Backlog(b.down(), b.groups())), full.aggregatorState(), full.recent(),
                full.lease());

        JsonNode tree = JSON.readTree(StateCodec.write(none));

        assertThat(tree.get("kinds")).isNotEmpty().allSatisfy(kind -> assertThat(kind.has("heldSample")).isFalse());
        assertThat(tree.get("backlog").has("samples")).isFalse();
        assertThat(tree.get("backlog").has("groups")).isTrue();
        assertThat(StateCodec.read(StateCodec.write(none), ORIGIN)).isEqualTo(none);
    }

    @Test
    void versionIsWrittenFirstAndInstantsAsIsoText() throws Exception {
        byte[] bytes = StateCodec.write(StateStoreContract.fullState("orders"));

        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"version\":" + StateCodec.VERSION + ",");
        JsonNode tree = JSON.readTree(bytes);
        assertThat(tree.fieldNames().next()).isEqualTo("version");
        assertThat(tree.get("checkpoint").asText()).isEqualTo("2026-03-01T10:02:00.123456789Z");
    }

    @Test
    void anotherVersionIsRefusedNamingBothVersions() throws Exception {
        byte[] future = fullStateEdited(tree -> tree.put("version", 2));

        assertThatThrownBy(() -> StateCodec.read(future, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("the state in " + ORIGIN + " has schema version 2")
                .hasMessageContaining("reads version 1 only");
    }

    @Test
    void aMissingOrNonNumericVersionIsRefused() throws Exception {
        byte[] none = fullStateEdited(tree -> tree.remove("version"));
        byte[] text = fullStateEdited(tree -> tree.put("version", "one"));

        for (byte[] json : new byte[][] {none, text}) {
            assertThatThrownBy(() -> StateCodec.read(json, ORIGIN))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("the state in " + ORIGIN + " has no schema version")
                    .hasMessageContaining("writes version 1");
        }
    }

    @Test
    void anUnknownPropertyIsRefusedNamingIt() throws Exception {
        byte[] topLevel = fullStateEdited(tree -> tree.put("colour", "blue"));
        byte[] nested = fullStateEdited(tree -> ((ObjectNode) tree.get("pending").get(0)).put("priority", 1));

        assertThatThrownBy(() -> StateCodec.read(topLevel, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("the state in " + ORIGIN + " is not a complete pipeline state")
                .hasMessageContaining("\"colour\"");
        assertThatThrownBy(() -> StateCodec.read(nested, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(ORIGIN)
                .hasMessageContaining("\"priority\"");
    }

    @Test
    void aMissingFieldIsRefusedNamingIt() throws Exception {
        byte[] noCheckpoint = fullStateEdited(tree -> tree.remove("checkpoint"));
        byte[] noWindow = fullStateEdited(
                tree -> ((ObjectNode) tree.get("pending").get(0).get("digest")).remove("window"));

        assertThatThrownBy(() -> StateCodec.read(noCheckpoint, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("the state in " + ORIGIN + " is not a complete pipeline state")
                .hasMessageContaining("'checkpoint'");
        assertThatThrownBy(() -> StateCodec.read(noWindow, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(ORIGIN)
                .hasMessageContaining("'window'");
    }

    @Test
    void aNullFieldIsRefusedNamingIt() throws Exception {
        byte[] nullId = fullStateEdited(tree -> tree.putNull("pipelineId"));

        assertThatThrownBy(() -> StateCodec.read(nullId, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("the state in " + ORIGIN + " is not a complete pipeline state")
                .hasMessageContaining("'pipelineId'");
    }

    @Test
    void aValueTheRecordsRefuseIsRefusedWithTheirReason() throws Exception {
        byte[] zeroCount = fullStateEdited(
                tree -> ((ObjectNode) tree.get("backlog").get("groups").get(0)).put("count", 0));

        assertThatThrownBy(() -> StateCodec.read(zeroCount, ORIGIN))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("the state in " + ORIGIN + " is not a complete pipeline state")
                .hasMessageContaining("count must be at least 1, was 0");
    }

    @Test
    void textThatIsNotJsonIsRefused() {
        byte[] truncated = "{\"version\":1,\"pipelineId\":\"ord".getBytes(StandardCharsets.UTF_8);
        byte[] prose = "checkpoint: yesterday".getBytes(StandardCharsets.UTF_8);

        for (byte[] json : new byte[][] {truncated, prose}) {
            assertThatThrownBy(() -> StateCodec.read(json, ORIGIN))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("the state in " + ORIGIN + " is not JSON: ")
                    .hasMessageContaining("(line 1, column ");
        }
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        for (String json : new String[] {"[]", "42", "\"state\"", ""}) {
            assertThatThrownBy(() -> StateCodec.read(json.getBytes(StandardCharsets.UTF_8), ORIGIN)).as(json)
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("the state in " + ORIGIN + " is not a JSON object");
        }
    }
}
