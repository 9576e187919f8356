package io.logalert.sink.webhook;

import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.AlertSink;
import io.logalert.testing.AlertSinkContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

class WebhookSinkContractTest extends AlertSinkContract {

    private static final String TOKEN = "contract-token-7c1d9e0f2a3b4c5d6e7f8091a2b3c4d5";
    private static final String SECRET = "contract-signing-secret-0a1b2c3d4e5f";
    private static final String PATH = "/hooks/" + TOKEN;

    private final WebhookEmulator receiver = WebhookEmulator.builder().path(PATH).secret(SECRET)
            .requireHeader("Authorization", "Bearer " + TOKEN).start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Override
    protected AlertSink createSink() {
        return WebhookSink.builder().webhook(receiver.url()).header("Authorization", "Bearer " + TOKEN)
                .signatureSecret(SECRET).budgets(new RateBudgets()).build();
    }

    @Override
    protected Optional<AlertSink> createUnreachableSink() {
        return Optional.of(WebhookSink.builder().webhook("http://127.0.0.1:" + closedPort() + PATH)
                .header("Authorization", "Bearer " + TOKEN).signatureSecret(SECRET)
                .connectTimeout(Duration.ofSeconds(2)).sleeper(d -> { }).budgets(new RateBudgets()).build());
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TOKEN, SECRET);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
