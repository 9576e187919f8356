package io.logalert.source.elasticsearch;

import static io.logalert.source.elasticsearch.ElasticsearchLogSourceIT.counts;
import static io.logalert.source.elasticsearch.ElasticsearchLogSourceIT.total;
import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 25,000 errors (and 5,000 records at other levels) in one window, generated like production logs: every error is
 * counted exactly, well past the 10,000 documents a plain search returns, and both modes agree group by group.
 */
class LargeWindowIT {

    private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(FROM, FROM.plusSeconds(3_600));
    private static final int ERRORS = 25_000;

    private static ElasticsearchNode node;
    private static String index;
    private static Map<String, Long> expected;

    @BeforeAll
    static void loadLogs() {
        node = ElasticsearchNode.shared();
        index = TestIndices.unique("large");
        List<LogGenerator.Log> logs = new LogGenerator(7).errorShare(ERRORS / 30_000.0).repeatingShare(0.2)
                .generate(30_000, FROM, WINDOW.to()).toList();
        expected = new TreeMap<>();
        logs.stream().filter(LogGenerator.Log::isError)
                .forEach(log -> expected.merge(log.project() + "|" + log.message(), 1L, Long::sum));
        long errors = logs.stream().filter(LogGenerator.Log::isError).count();
        assertThat(errors).isBetween(ERRORS - 600L, ERRORS + 600L);
        // exactly 25,000 errors: turn the surplus into warnings or the shortfall into errors
        List<LogGenerator.Log> adjusted = new ArrayList<>(logs.size());
        long surplus = errors - ERRORS;
        for (LogGenerator.Log log : logs) {
            if (surplus > 0 && log.isError()) {
                surplus--;
                expected.computeIfPresent(log.project() + "|" + log.message(), (k, v) -> v == 1 ? null : v - 1);
                log = new LogGenerator.Log(log.timestamp(), log.project(), "WARN", log.thread(), log.logger(),
                        log.message(), log.stackTrace());
            } else if (surplus < 0 && !log.isError()) {
                surplus++;
                expected.merge(log.project() + "|" + log.message(), 1L, Long::sum);
                log = new LogGenerator.Log(log.timestamp(), log.project(), "ERROR", log.thread(), log.logger(),
                        log.message(), log.stackTrace());
            }
            adjusted.add(log);
        }
        BulkLoader.load(node, index, adjusted.stream());
    }

    @Test
    void streamCountsEveryErrorBeyondTenThousand() {
        List<LogEvent> read = read("stream");

        assertThat(read).hasSize(ERRORS);
        assertThat(total(read)).isEqualTo(ERRORS);
        assertThat(counts(read)).isEqualTo(expected);
    }

    @Test
    void aggregateCountsEveryErrorAndAgreesWithStreamGroupByGroup() {
        List<LogEvent> read = read("aggregate");

        assertThat(total(read)).isEqualTo(ERRORS);
        assertThat(read.size()).isLessThan(ERRORS);
        assertThat(counts(read)).isEqualTo(expected);
        assertThat(read).allSatisfy(event -> assertThat(WINDOW.contains(event.timestamp())).isTrue());
    }

    @Test
    void autoCountsEveryError() {
        assertThat(counts(read("auto"))).isEqualTo(expected);
    }

    private static List<LogEvent> read(String mode) {
        List<LogEvent> read = new ArrayList<>();
        try (ElasticsearchLogSource source = TestIndices.source(node, index, Map.of("mode", mode,
                "page-size", "5000"))) {
            source.read(WINDOW, read::add);
        }
        return read;
    }
}
