package io.logalert.sink.wecom;

import io.logalert.sink.robot.RateBudgets;
import io.logalert.spi.AlertSink;
import io.logalert.testing.AlertSinkContract;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

class WeComSinkContractTest extends AlertSinkContract {

    private static final String KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

    private final WeComEmulator robot = WeComEmulator.builder().key(KEY).start();

    @AfterEach
    void stop() {
        robot.close();
    }

    @Override
    protected AlertSink createSink() {
        return WeComSink.builder().webhook(robot.url()).budgets(new RateBudgets()).build();
    }

    @Override
    protected Optional<AlertSink> createUnreachableSink() {
        // port 1 on loopback: nothing listens there
        return Optional.of(WeComSink.builder().webhook("http://127.0.0.1:1" + WeComSink.SEND_PATH + "?key=" + KEY)
                .connectTimeout(Duration.ofSeconds(2)).sleeper(d -> { }).budgets(new RateBudgets()).build());
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(KEY);
    }
}
