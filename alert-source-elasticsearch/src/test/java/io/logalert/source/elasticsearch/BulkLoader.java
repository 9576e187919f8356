package io.logalert.source.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads documents into an {@link ElasticsearchNode} with the bulk API, in batches, and makes them searchable before
 * it returns. Fails loudly when any document is rejected.
 */
public final class BulkLoader {

    private static final int BATCH = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BulkLoader() {
    }

    /** Loads generated logs into {@code index}. */
    public static long load(ElasticsearchNode node, String index, Stream<LogGenerator.Log> logs) {
        return loadDocuments(node, index, logs.map(LogGenerator.Log::document));
    }

    /**
     * Loads arbitrary documents into {@code index}, then refreshes it.
     *
     * @return how many documents were loaded
     * @throws IllegalStateException when the node rejects a document, naming the first failure
     */
    public static long loadDocuments(ElasticsearchNode node, String index, Stream<Map<String, Object>> documents) {
        String action = "{\"index\":{\"_index\":\"" + index + "\"}}\n";
        StringBuilder body = new StringBuilder();
        long loaded = 0;
        int inBatch = 0;
        Iterator<Map<String, Object>> it = documents.iterator();
        while (it.hasNext()) {
            body.append(action).append(json(it.next())).append('\n');
            loaded++;
            if (++inBatch == BATCH) {
                send(node, body.toString());
                body.setLength(0);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            send(node, body.toString());
        }
        node.request("POST", "/" + index + "/_refresh", null);
        return loaded;
    }

    private static void send(ElasticsearchNode node, String ndjson) {
        String answer = node.request("POST", "/_bulk", ndjson);
        try {
            JsonNode response = JSON.readTree(answer);
            if (response.path("errors").asBoolean()) {
                for (JsonNode item : response.path("items")) {
                    JsonNode error = item.path("index").path("error");
                    if (!error.isMissingNode()) {
                        throw new IllegalStateException("bulk load rejected a document: " + error);
                    }
                }
                throw new IllegalStateException("bulk load reported errors: " + answer);
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
