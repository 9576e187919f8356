package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.AlertSink;
import io.logalert.testing.AlertSinkContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

class DingTalkSinkContractTest extends AlertSinkContract {

    private static final String TOKEN = "contract-token-5f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static final String SECRET = "SECcontract-secret-0a1b2c3d4e5f6a7b8c9d";

    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(TOKEN).secret(SECRET)
            .keywords("alert").start();

    @AfterEach
    void stop() {
        robot.close();
    }

    @Override
    protected AlertSink createSink() {
        return DingTalkSink.builder().webhook(robot.url()).secret(SECRET).keywords(List.of("alert"))
                .budgets(new RateBudgets()).build();
    }

    @Override
    protected Optional<AlertSink> createUnreachableSink() {
        return Optional.of(DingTalkSink.builder().baseUrl(URI.create("http://127.0.0.1:" + closedPort()))
                .accessToken(TOKEN).secret(SECRET).keywords(List.of("alert")).connectTimeout(Duration.ofSeconds(2))
                .sleeper(d -> { }).budgets(new RateBudgets()).build());
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
