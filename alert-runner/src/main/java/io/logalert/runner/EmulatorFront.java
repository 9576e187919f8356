package io.logalert.runner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The stand-alone robot emulator's front: an HTTP server on the port asked for, passing every request to a
 * {@link DingTalkEmulator} (which listens on a free loopback port of its own) and printing each message the robot
 * accepts, and each request it refuses with its errcode. Requests are handled one at a time, so the printed order is
 * the order of arrival.
 */
final class EmulatorFront implements AutoCloseable {

    private final DingTalkEmulator emulator;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "robot-emulator");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintWriter out;
    private int printedAccepted;
    private int printedExchanges;

    private EmulatorFront(DingTalkEmulator emulator, InetSocketAddress address, PrintWriter out) throws IOException {
        this.emulator = emulator;
        this.out = out;
        this.server = HttpServer.create(address, 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts the front of {@code emulator} on {@code address}; closing the front closes the emulator.
     *
     * @throws IOException when the address cannot be bound
     */
    static EmulatorFront start(DingTalkEmulator emulator, InetSocketAddress address, PrintWriter out)
            throws IOException {
        try {
            return new EmulatorFront(emulator, address, out);
        } catch (IOException e) {
            emulator.close();
            throw e;
        }
    }

    /** The address to give a sink as {@code base-url}. */
    URI baseUrl() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return URI.create("http://" + HttpOptions.display(new InetSocketAddress(host, address.getPort())));
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI target = emulator.baseUrl().resolve(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?"
                            + exchange.getRequestURI().getRawQuery()));
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            response.headers().firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(answer);
                }
            }
            printNew();
        }
    }

    /** Prints what the robot accepted or refused since the last request. */
    private void printNew() {
        List<DingTalkEmulator.Exchange> exchanges = emulator.exchanges();
        List<DingTalkEmulator.Accepted> accepted = emulator.accepted();
        synchronized (out) {
            for (DingTalkEmulator.Exchange e : exchanges.subList(printedExchanges, exchanges.size())) {
                if (e.errcode().orElse(-2) != 0) {
                    out.println("[" + e.receivedAt().truncatedTo(ChronoUnit.MILLIS) + "] refused: " + e.errcode().map(c -> "errcode " + c + " "
                            + e.errmsg()).orElse("HTTP " + e.httpStatus()));
                }
            }
            printedExchanges = exchanges.size();
            for (DingTalkEmulator.Accepted message : accepted.subList(printedAccepted, accepted.size())) {
                StringBuilder head = new StringBuilder("[" + message.receivedAt().truncatedTo(ChronoUnit.MILLIS) + "] "
                        + message.msgtype());
                if (!message.title().isEmpty()) {
                    head.append(" \"").append(message.title()).append('"');
                }
                message.atMobiles().forEach(m -> head.append(" @").append(m));
                message.atUserIds().forEach(u -> head.append(" @").append(u));
                if (message.atAll()) {
                    head.append(" @all");
                }
                out.println(head);
                for (String line : message.text().split("\n", -1)) {
                    out.println("    " + line);
                }
            }
            printedAccepted = accepted.size();
            out.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        emulator.close();
    }

    @Override
    public String toString() {
        return "robot emulator on " + baseUrl();
    }
}
