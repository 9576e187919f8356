package io.logalert.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy forwards requests and answers unchanged, and tells the probe phase from the read. */
class RecordingProxyTest {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer backend;
    private RecordingProxy proxy;

    @BeforeEach
    void start() throws IOException {
        // a stand-in for the node: echoes the method, path and body, with the header the Elasticsearch client checks
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body
                    + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] answer = ("{\"echo\":" + (body.isEmpty() ? "null" : body) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
            int status = exchange.getRequestURI().getPath().contains("missing") ? 404 : 200;
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : answer.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
            exchange.close();
        });
        backend.start();
        proxy = new RecordingProxy(URI.create("http://127.0.0.1:" + backend.getAddress().getPort()),
                Optional.empty());
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.stop(0);
    }

    @Test
    void forwardsRequestsAndAnswersUnchanged() throws Exception {
        HttpResponse<String> response = send("POST", "/logs/_search?filter_path=hits", "{\"size\":0}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"echo\":{\"size\":0}}");
        assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
        assertThat(received).containsExactly("POST /logs/_search?filter_path=hits {\"size\":0} application/json");

        assertThat(send("GET", "/missing", null).statusCode()).isEqualTo(404);
        assertThat(send("HEAD", "/logs", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theProbeIsTheSearchesBeforeTheFirstThatReadsTheWindow() throws Exception {
        send("GET", "/logs/_field_caps?fields=*", null);
        send("POST", "/_pit?keep_alive=1m", null);
        send("POST", "/_search", "{\"size\":0,\"aggs\":{\"distinct\":{\"cardinality\":{\"field\":\"msg\"}}}}");
        send("POST", "/_search", "{\"size\":0,\"aggs\":{\"groups\":{\"composite\":{\"size\":10}}}}");
        send("POST", "/_search", "{\"size\":0,\"query\":{\"terms\":{\"_id\":[\"a\"]}}}");

        List<RecordingProxy.Exchange> probe = proxy.probe();
        assertThat(probe).extracting(RecordingProxy.Exchange::path).containsExactly("/_search");
        assertThat(probe.get(0).reads()).isFalse();
        assertThat(probe.get(0).cost()).isEmpty();

        // a stream read starts with a sorted search: nothing before it is a probe
        proxy.newRun();
        send("POST", "/_search", "{\"size\":1000,\"sort\":[{\"@timestamp\":\"asc\"}]}");
        send("POST", "/_search", "{\"size\":0}");
        assertThat(proxy.probe()).isEmpty();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.hosts() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
