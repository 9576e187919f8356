package io.logalert.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link PipelineState} as one JSON document and reads it back, for stores that keep state as text (a file,
 * an Elasticsearch document). The document carries a schema {@code version}; a document of another version, or one
 * that is not a complete state, is refused with a message that says what is wrong, never read as a fresh start.
 * Instants are ISO-8601 strings in UTC. Fields added to version 1 since it was first written
 * ({@link Backlog#samples()}, {@link KnownKind#heldSample()}) are left out while empty and read as empty when
 * absent: a state written before them reads, and a state that needs none of them reads in a logalert that predates
 * them. Thread-safe.
 */
public final class StateCodec {

    /** The schema version this code writes and reads. */
    public static final int VERSION = 1;

    /** Added to version 1 later: see the class description. */
    private static final String HELD_SAMPLE = "heldSample";
    private static final String SAMPLES = "samples";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .build();

    private StateCodec() {
    }

    /** {@code state} as a JSON object, {@code version} first. */
    public static ObjectNode toTree(PipelineState state) {
        ObjectNode tree = MAPPER.createObjectNode();
        tree.put("version", VERSION);
        tree.setAll((ObjectNode) MAPPER.valueToTree(state));
        for (JsonNode kind : tree.path("kinds")) {
            if (kind.path(HELD_SAMPLE).isNull()) {
                ((ObjectNode) kind).remove(HELD_SAMPLE);
            }
        }
        JsonNode backlog = tree.path("backlog");
        if (backlog.isObject() && backlog.path(SAMPLES).isEmpty()) {
            ((ObjectNode) backlog).remove(SAMPLES);
        }
        return tree;
    }

    /** {@code state} as JSON text, UTF-8. */
    public static byte[] write(PipelineState state) {
        try {
            return MAPPER.writeValueAsBytes(toTree(state));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state of pipeline '" + state.pipelineId() + "'", e);
        }
    }

    /**
     * The state in {@code json}.
     *
     * @param origin where the text comes from, for the error message: a file name, an index and document id
     * @throws StateStoreException naming {@code origin} when the text is not a state of this schema version
     */
    public static PipelineState read(byte[] json, String origin) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new StateStoreException("the state in " + origin + " is not JSON: " + firstLine(e)
                    + "; fix or restore it, or reset the pipeline to start over", e);
        }
        return fromTree(tree, origin);
    }

    /**
     * The state in {@code tree}.
     *
     * @param origin where the tree comes from, for the error message
     * @throws StateStoreException naming {@code origin} when the tree is not a state of this schema version
     */
    public static PipelineState fromTree(JsonNode tree, String origin) {
        if (tree == null || !tree.isObject()) {
            throw new StateStoreException("the state in " + origin + " is not a JSON object"
                    + "; fix or restore it, or reset the pipeline to start over");
        }
        JsonNode version = tree.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw new StateStoreException("the state in " + origin + " has no schema version (a 'version' number; "
                    + "this logalert writes version " + VERSION + "); fix or restore it, or reset the pipeline");
        }
        if (version.intValue() != VERSION) {
            throw new StateStoreException("the state in " + origin + " has schema version " + version.intValue()
                    + ", and this logalert reads version " + VERSION + " only; run the logalert that wrote it, "
                    + "or reset the pipeline to start over");
        }
        ObjectNode fields = ((ObjectNode) tree).deepCopy();
        fields.remove("version");
        for (JsonNode kind : fields.path("kinds")) {
            if (kind.isObject() && !kind.has(HELD_SAMPLE)) {
                ((ObjectNode) kind).putNull(HELD_SAMPLE);
            }
        }
        if (fields.path("backlog").isObject() && !fields.get("backlog").has(SAMPLES)) {
            ((ObjectNode) fields.get("backlog")).putArray(SAMPLES);
        }
        try {
            return MAPPER.treeToValue(fields, PipelineState.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StateStoreException("the state in " + origin + " is not a complete pipeline state: "
                    + firstLine(e) + "; fix or restore it, or reset the pipeline to start over", e);
        }
    }

    /** Where in the state a mapping error is, as {@code pending[0].digest.window}. */
    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "the top level" : path.toString();
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        // Jackson names the feature that refused the value; the user needs the field, not the feature
        for (String noise : new String[] {"; `DeserializationFeature", " (`DeserializationFeature", " (index "}) {
            int at = line.indexOf(noise);
            if (at >= 0) {
                line = line.substring(0, at);
            }
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            line += " at " + path(m);
        }
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            line += " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        return line.getBytes(StandardCharsets.UTF_8).length > 400 ? line.substring(0, 200) + "…" : line;
    }
}
