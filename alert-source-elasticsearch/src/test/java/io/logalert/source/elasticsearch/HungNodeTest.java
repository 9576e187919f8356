package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.logalert.TimeWindow;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SourceUnavailableException;
import io.logalert.spi.StateStoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node that accepts connections but never answers (hung, or paused by a long GC) makes a read fail once, after about
 * one {@code request-timeout}, as unavailable, so that the pipeline keeps its checkpoint and the run ends. The times
 * are printed, not asserted: a loaded build machine stretches them.
 */
class HungNodeTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(60));
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void aNodeThatNeverAnswersFailsTheReadOnceAfterTheRequestTimeout() throws Exception {
        try (SilentNode node = new SilentNode();
                ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                        "hosts", node.url(), "index", "logs", "request-timeout", "1s")))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("Elasticsearch at " + node.url() + " did not answer within the request "
                            + "timeout of 1s ('request-timeout') to read the mappings of 'logs'");
            report("read, node silent from the start", start);

            assertThat(node.requestLines(1)).singleElement().asString().startsWith("POST /logs/_field_caps");
            assertThat(node.connections()).isEqualTo(1);
        }
    }

    @Test
    void aNodeThatStopsAnsweringDuringAReadIsNotAskedToCloseThePointInTime() throws Exception {
        try (StallingNode node = new StallingNode();
                ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                        "hosts", node.url(), "index", "logs", "request-timeout", "1s")))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("did not answer within the request timeout of 1s ('request-timeout') to "
                            + "count the documents of the window");
            report("read, node silent after opening the point in time", start);

            // closing the point in time on a node that just did not answer would wait a second timeout; it expires
            assertThat(node.requests()).containsExactly("POST /logs/_field_caps", "POST /logs/_pit", "POST /_search");
        }
    }

    @Test
    void theStateStoreGivesUpOnceToo() throws Exception {
        try (SilentNode node = new SilentNode();
                ElasticsearchStateStore store = ElasticsearchStateStore.create(PluginConfig.of(Map.of(
                        "hosts", node.url(), "request-timeout", "1s")))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.load("checkout-errors"))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageContaining("Elasticsearch at " + node.url() + " did not answer within the request "
                            + "timeout of 1s ('request-timeout')");
            report("state store load, node silent", start);

            assertThat(node.requestLines(1)).singleElement().asString().startsWith("HEAD /.logalert-state");
            assertThat(node.connections()).isEqualTo(1);
        }
    }

    private static void report(String what, long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        System.out.printf("HungNodeTest: %s failed after %d ms (request-timeout %d ms)%n", what, took.toMillis(),
                TIMEOUT.toMillis());
    }

    /** A loopback server socket that accepts connections, reads their request lines and never answers. */
    private static final class SilentNode implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Semaphore received = new Semaphore(0);
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "silent-node");
            thread.setDaemon(true);
            return thread;
        });

        SilentNode() throws IOException {
            threads.execute(this::accept);
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        int connections() {
            return sockets.size();
        }

        /** The request lines received, once at least {@code expected} arrived (they were sent before the timeout). */
        List<String> requestLines(int expected) throws InterruptedException {
            assertThat(received.tryAcquire(expected, 10, TimeUnit.SECONDS)).as("requests received").isTrue();
            return List.copyOf(lines);
        }

        private void accept() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    threads.execute(() -> readRequestLine(socket));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void readRequestLine(Socket socket) {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                if (line != null) {
                    lines.add(line);
                    received.release();
                }
                // and never answer: the connection stays open until the client gives up
            } catch (IOException e) {
                // the client closed the connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            threads.shutdownNow();
        }
    }

    /**
     * Answers the field capabilities and the opening of a point in time as Elasticsearch 8 does, then never answers
     * a search: a node that hangs in the middle of a read.
     */
    private static final class StallingNode implements AutoCloseable {
        private static final String FIELD_CAPS = """
                {"indices":["logs"],"fields":{
                 "@timestamp":{"date":{"type":"date","metadata_field":false,"searchable":true,"aggregatable":true}},
                 "loglevel":{"keyword":{"type":"keyword","metadata_field":false,"searchable":true,"aggregatable":true}},
                 "projectname":{"keyword":{"type":"keyword","metadata_field":false,"searchable":true,
                   "aggregatable":true}},
                 "msg":{"keyword":{"type":"keyword","metadata_field":false,"searchable":true,"aggregatable":true}}}}""";
        private static final String PIT = """
                {"id":"cGl0LTE=","_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""";

        private final HttpServer server;
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);

        StallingNode() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "stalling-node");
                thread.setDaemon(true);
                return thread;
            }));
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<String> requests() {
            return new ArrayList<>(requests);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            exchange.getRequestBody().readAllBytes();
            if (path.endsWith("/_field_caps")) {
                answer(exchange, FIELD_CAPS);
            } else if (path.endsWith("/_pit") && exchange.getRequestMethod().equals("POST")) {
                answer(exchange, PIT);
            } else if (path.equals("/_pit")) {
                answer(exchange, "{\"succeeded\":true,\"num_freed\":1}");
            } else {
                // hung: hold the request until the test ends
                try {
                    released.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
        }

        private static void answer(HttpExchange exchange, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // the Java client refuses an answer without it
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            try {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            released.countDown();
            server.stop(0);
        }
    }
}
