package io.logalert.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of the Elasticsearch node that records the requests a source sends, so that one
 * part of a read (auto mode's probe) can be timed and costed on its own, whatever requests the source's current
 * version makes. Every request is forwarded as it came; the node's answer goes back as it was.
 *
 * <p>Searches of the <em>probe phase</em> (from {@link #newRun()} until the first search that reads the window:
 * one holding {@code composite} or {@code sort}) are measured one by one with {@link NodeCost} snapshots taken
 * before and after them, outside their timed span, when a meter is given.
 */
final class RecordingProxy implements AutoCloseable {

    /** Headers the JDK client sets itself, or that belong to one connection. */
    private static final Set<String> HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive");

    /** One request through the proxy; {@code cost} only for the measured searches of a probe phase. */
    record Exchange(String method, String path, boolean reads, double seconds, Optional<NodeCost.Cost> cost) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI target;
    private final Optional<NodeCost> cost;
    private final List<Exchange> exchanges = new ArrayList<>();
    private boolean reading;

    RecordingProxy(URI target, Optional<NodeCost> cost) {
        this.target = target;
        this.cost = cost;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    /** The proxy's address, to give a source as {@code hosts}. */
    String hosts() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forgets what was recorded: the next searches are a new run's probe phase. */
    synchronized void newRun() {
        exchanges.clear();
        reading = false;
    }

    /** The requests of the probe phase since {@link #newRun()}: searches before the first that read the window. */
    synchronized List<Exchange> probe() {
        List<Exchange> probe = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            if (exchange.reads()) {
                break;
            }
            if (exchange.path().contains("_search")) {
                probe.add(exchange);
            }
        }
        return probe;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            String text = new String(body, StandardCharsets.UTF_8);
            boolean search = path.contains("_search");
            boolean reads = search && (text.contains("\"composite\"") || text.contains("\"sort\""));
            boolean measure;
            synchronized (this) {
                reading |= reads;
                measure = search && !reading && cost.isPresent();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofMinutes(5))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    header.getValue().forEach(value -> request.header(header.getKey(), value));
                }
            }
            Optional<NodeCost.Snapshot> before = measure ? Optional.of(cost.get().snapshot(false)) : Optional.empty();
            long started = System.nanoTime();
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Optional<NodeCost.Cost> spent = before.map(b -> NodeCost.Cost.between(b, cost.get().snapshot(true), 0));
            synchronized (this) {
                exchanges.add(new Exchange(exchange.getRequestMethod(), path, reads, seconds, spent));
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            boolean noBody = exchange.getRequestMethod().equals("HEAD") || answer.length == 0;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
