package io.logalert.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Writes the demo's logs into one index of a cluster, as a log shipper does: creates the index, bulk-indexes
 * documents (each bulk refreshed before it returns, so they are searchable at once) and deletes the index. Plain
 * HTTP(S) with the JDK's trust store; a credential is sent as a header and never shown.
 *
 * <p>Thread-safe.
 */
final class LogIndex {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI host;
    private final String index;
    private final Optional<String> authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param host          the cluster, e.g. {@code http://127.0.0.1:9200}
     * @param index         the index written
     * @param authorization the {@code Authorization} header's value, if the cluster wants one
     */
    LogIndex(URI host, String index, Optional<String> authorization) {
        this.host = host;
        this.index = index;
        this.authorization = authorization;
    }

    String index() {
        return index;
    }

    /** Whether the index exists. */
    boolean exists() {
        return send("HEAD", "/" + index, null).statusCode() == 200;
    }

    /** Creates the index: {@code @timestamp} a date, the rest mapped dynamically as the script's indices are. */
    void create() {
        expectOk("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"}}}}");
    }

    /** Deletes the index, if it is there. */
    void delete() {
        send("DELETE", "/" + index, null);
    }

    /**
     * Indexes {@code docs} in one bulk request and makes them searchable before returning.
     *
     * @throws IllegalStateException when the cluster rejects any of them
     */
    void bulk(List<SampleLogs.Doc> docs) {
        if (docs.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder();
        String action = "{\"index\":{\"_index\":\"" + index + "\"}}\n";
        try {
            for (SampleLogs.Doc doc : docs) {
                body.append(action).append(JSON.writeValueAsString(doc.source())).append('\n');
            }
            JsonNode answer = JSON.readTree(expectOk("POST", "/_bulk?refresh=true", body.toString()));
            if (answer.path("errors").asBoolean()) {
                for (JsonNode item : answer.path("items")) {
                    JsonNode error = item.path("index").path("error");
                    if (!error.isMissingNode()) {
                        throw new IllegalStateException("the cluster rejected a log record: " + error);
                    }
                }
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String expectOk(String method, String path, String body) {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + host.resolve(path.replaceAll("\\?.*", "")) + " failed: "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
