package io.logalert.examples;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on loopback (the JDK's {@link HttpServer}) that records every request and answers as scripted:
 * 200 by default, or the next scripted {@link Reply}, or no answer at all until it is closed.
 */
final class WebhookReceiver implements AutoCloseable {

    /** A request as received. */
    record Request(String method, String path, String query, Headers headers, String body) {

        /** The first value of header {@code name}, in any case. */
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.getFirst(name));
        }
    }

    /** An answer to give. */
    record Reply(int status, Map<String, String> headers, String body, boolean hangs) {

        static Reply status(int status) {
            return new Reply(status, Map.of(), "", false);
        }

        static Reply status(int status, String body) {
            return new Reply(status, Map.of(), body, false);
        }

        static Reply status(int status, Map<String, String> headers, String body) {
            return new Reply(status, headers, body, false);
        }

        /** Reads the request and never answers, until the receiver is closed. */
        static Reply hang() {
            return new Reply(0, Map.of(), "", true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a receiver on a free loopback port. */
    static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code pathAndQuery}. */
    String url(String pathAndQuery) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + pathAndQuery;
    }

    /** An http URL on loopback where nothing listens: a connection to it is refused. */
    static String refusingUrl(String pathAndQuery) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // the port was free a moment ago and is closed again now
            return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort() + pathAndQuery;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the next requests with {@code replies}, in order; then 200 again. */
    synchronized WebhookReceiver replyNext(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Every request so far, in order. */
    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of every request so far. */
    List<String> bodies() {
        return requests().stream().map(Request::body).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            Headers headers = new Headers();
            headers.putAll(exchange.getRequestHeaders());
            Reply reply;
            synchronized (this) {
                requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
                        body));
                reply = script.isEmpty() ? Reply.status(200, "{\"ok\":true}") : script.poll();
            }
            if (reply.hangs()) {
                // the client gives up on its own timeout; the receiver lets go when it is closed
                closing.await(30, TimeUnit.SECONDS);
                return;
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
