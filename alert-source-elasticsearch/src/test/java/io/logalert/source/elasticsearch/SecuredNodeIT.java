package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SourceUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node with security on and a file-realm user: the right password reads, a wrong one is a clear error. */
class SecuredNodeIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(60));
    private static final String USER = "logalert_reader";
    private static final String PASSWORD = "right-horse-battery";

    private static ElasticsearchNode node;

    @BeforeAll
    static void startSecuredNode() {
        node = ElasticsearchNode.startSecured(USER, PASSWORD);
        TestIndices.load(node, "secured-logs", List.of(
                LogEvent.builder().timestamp(T0).project("p").message("boom").build(),
                LogEvent.builder().timestamp(T0.plusSeconds(1)).project("p").message("boom").build()));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void rightPasswordReads() {
        List<LogEvent> read = new ArrayList<>();
        try (ElasticsearchLogSource source = source(PASSWORD)) {
            source.read(WINDOW, read::add);
        }

        assertThat(read.stream().mapToLong(LogEvent::occurrences).sum()).isEqualTo(2);
    }

    @Test
    void wrongPasswordIsAnErrorNamingUserAndHostButNotThePassword() {
        String wrong = "wrong-horse-battery";
        try (ElasticsearchLogSource source = source(wrong)) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining(USER)
                    .hasMessageContaining(TestIndices.hosts(node))
                    .hasMessageContaining("401")
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void noCredentialsIsAnErrorNotAnOutage() {
        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
                "hosts", TestIndices.hosts(node), "index", "secured-logs")))) {
            assertThatThrownBy(() -> source.read(WINDOW, event -> { }))
                    .isInstanceOf(LogSourceException.class)
                    .isNotInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("401");
        }
    }

    private static ElasticsearchLogSource source(String password) {
        return ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", TestIndices.hosts(node),
                "index", "secured-logs", "username", USER, "password", password)));
    }
}
