package io.logalert.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.logalert.AlertPipeline;
import io.logalert.PipelineHealth;
import io.logalert.metrics.LogalertMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's optional HTTP port: {@code GET /metrics}, the meters of every pipeline ({@link LogalertMetrics}) in
 * Prometheus's text format, and {@code GET /health}, each pipeline's {@link AlertPipeline#health()} as JSON, 200 when
 * every pipeline is up and 503 otherwise. Served by the JDK's own HTTP server on one thread: a scrape reads counters
 * the runs keep, so it never waits for a run.
 */
final class HttpEndpoint implements AutoCloseable {

    /** The content type of Prometheus's text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;
    private final List<AlertPipeline> pipelines;

    private HttpEndpoint(HttpServer server, PrometheusMeterRegistry registry, List<AlertPipeline> pipelines) {
        this.server = server;
        this.registry = registry;
        this.pipelines = pipelines;
    }

    /**
     * Binds {@code address} and serves the meters and health of {@code pipelines}.
     *
     * @throws IOException when the address cannot be bound (the port is taken, the address is not this machine's)
     */
    static HttpEndpoint start(InetSocketAddress address, List<AlertPipeline> pipelines) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (AlertPipeline pipeline : pipelines) {
            new LogalertMetrics(pipeline).bindTo(registry);
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            registry.close();
            throw e;
        }
        HttpEndpoint endpoint = new HttpEndpoint(server, registry, List.copyOf(pipelines));
        server.createContext("/", endpoint::handle);
        server.start();
        return endpoint;
    }

    /** Where it listens, with the port the system chose when asked for port 0. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals("/metrics") && !path.equals("/health")) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path
                        + "; this port serves GET /metrics (Prometheus) and GET /health (JSON)\n");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", method + " is not allowed on " + path
                        + "; use GET\n");
                return;
            }
            if (path.equals("/metrics")) {
                send(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
            } else {
                health(exchange);
            }
        } catch (RuntimeException e) {
            // a bug here must not take the port down: the next scrape is answered again
            log.warn("cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        Map<String, Object> byPipeline = new LinkedHashMap<>();
        boolean allUp = true;
        boolean anyDown = false;
        for (AlertPipeline pipeline : pipelines) {
            PipelineHealth health = pipeline.health();
            allUp &= health.isUp();
            anyDown |= health.status() == PipelineHealth.Status.DOWN;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("status", health.status().name());
            one.put("reason", health.reason());
            one.put("lastRun", health.lastRun().map(Instant::toString).orElse(null));
            one.put("checkpoint", health.checkpoint().map(Instant::toString).orElse(null));
            one.put("lagSeconds", health.lag().map(lag -> lag.toMillis() / 1000.0).orElse(null));
            byPipeline.put(pipeline.id(), one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", allUp ? "UP" : anyDown ? "DOWN" : "UNKNOWN");
        body.put("pipelines", byPipeline);
        send(exchange, allUp ? 200 : 503, "application/json", JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(body) + "\n");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening (answers in progress get a second to finish) and closes the registry. */
    @Override
    public void close() {
        server.stop(1);
        registry.close();
    }
}
