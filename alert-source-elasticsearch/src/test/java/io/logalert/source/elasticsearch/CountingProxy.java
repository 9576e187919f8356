package io.logalert.source.elasticsearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A plain HTTP proxy on loopback in front of a real node that records the method and path of every request, so that a
 * test counts the requests a source sends without mocking the client.
 */
final class CountingProxy implements AutoCloseable {

    /** Headers the JDK client sets itself, or that describe the hop rather than the message. */
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "expect", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final UnaryOperator<String> bodies;

    CountingProxy(URI target) throws IOException {
        this(target, UnaryOperator.identity());
    }

    /**
     * A proxy that passes each request body through {@code bodies} on its way to the node: to have the real node
     * answer as one that lacks a feature would.
     */
    CountingProxy(URI target, UnaryOperator<String> bodies) throws IOException {
        this.target = target;
        this.bodies = bodies;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    /** The {@code hosts} setting that reads through the proxy. */
    String hosts() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far as "METHOD /path", oldest first. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** How many requests so far had a path ending in {@code suffix}. */
    long count(String suffix) {
        return requests.stream().filter(r -> r.substring(r.indexOf(' ') + 1).endsWith(suffix)).count();
    }

    void clear() {
        requests.clear();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(exchange.getRequestMethod() + " " + uri.getPath());
            byte[] body = bodies.apply(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
