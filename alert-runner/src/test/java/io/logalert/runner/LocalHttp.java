package io.logalert.runner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Requests to the runner's HTTP port on loopback, as a scraper or a health check makes them. */
final class LocalHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalHttp() {
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code GET http://127.0.0.1:port/path}. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The answer of {@code path} once it contains {@code text}, asking again while the port is not open yet.
     *
     * @throws AssertionError after {@code timeout}, with the last answer and {@code state}
     */
    static HttpResponse<String> await(int port, String path, String text, Duration timeout, Supplier<String> state) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Poll.until(() -> {
            try {
                last.set(get(port, path));
                return last.get().body().contains(text);
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }, timeout, path + " to say " + text, () -> (last.get() == null ? "no answer" : last.get().body())
                + state.get());
        return last.get();
    }
}
