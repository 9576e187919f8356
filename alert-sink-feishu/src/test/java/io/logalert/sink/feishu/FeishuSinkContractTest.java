package io.logalert.sink.feishu;

import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.AlertSink;
import io.logalert.testing.AlertSinkContract;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

class FeishuSinkContractTest extends AlertSinkContract {

    private static final String TOKEN = "0c9f3b2a-8d7e-4f61-a5b4-c3d2e1f0a9b8";
    private static final String SECRET = "contractSecretQk7mZr2Xw9";

    private final FeishuEmulator bot = FeishuEmulator.builder().token(TOKEN).secret(SECRET).keywords("alert")
            .start();

    @AfterEach
    void stop() {
        bot.close();
    }

    @Override
    protected AlertSink createSink() {
        return FeishuSink.builder().webhook(bot.url()).secret(SECRET).keywords(List.of("alert"))
                .budgets(new RateBudgets()).build();
    }

    @Override
    protected Optional<AlertSink> createUnreachableSink() {
        // port 1 on loopback: nothing listens there
        return Optional.of(FeishuSink.builder().token(TOKEN).domain("http://127.0.0.1:1").secret(SECRET)
                .connectTimeout(Duration.ofSeconds(2)).sleeper(d -> { }).budgets(new RateBudgets()).build());
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TOKEN, SECRET);
    }
}
