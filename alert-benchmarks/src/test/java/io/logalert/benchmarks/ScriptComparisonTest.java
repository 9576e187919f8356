package io.logalert.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.LogGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptComparisonTest {

    private static final Instant FROM = Instant.parse("2025-01-06T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(FROM, FROM.plus(Duration.ofHours(1)));

    private final MixGenerator generator = new MixGenerator(1, MixGenerator.Mix.VERBATIM, 20_000, 0, WINDOW);
    private final Truth truth = Truth.of(generator, WINDOW.to());
    private final List<LogGenerator.Log> docs = generator.errorDocs().toList();

    @Test
    void countingEveryRecordIsExact() {
        ScriptComparison comparison = ScriptComparison.of(count(docs), truth);
        assertThat(comparison.exact()).isTrue();
        assertThat(comparison.missedEvents()).isZero();
        assertThat(comparison.exactGroups()).isEqualTo(truth.groups());
    }

    @Test
    void theLatestTenThousandMissTheRest() {
        Map<Long, Long> latest = count(docs.subList(docs.size() - 10_000, docs.size()));
        ScriptComparison comparison = ScriptComparison.of(latest, truth);
        assertThat(comparison.exact()).isFalse();
        assertThat(comparison.countedEvents()).isEqualTo(10_000);
        assertThat(comparison.missedEvents()).isEqualTo(10_000);
        assertThat(comparison.missedPercent()).isEqualTo(50.0);
        assertThat(comparison.seenGroups()).isEqualTo(latest.size());
        assertThat(comparison.missedGroups()).isEqualTo(truth.groups() - latest.size());
        assertThat(comparison.undercountGroups()).isPositive();
        assertThat(comparison.undercountGroups() + comparison.exactGroups()).isEqualTo(comparison.seenGroups());
    }

    private static Map<Long, Long> count(List<LogGenerator.Log> docs) {
        Map<Long, Long> counts = new HashMap<>();
        for (LogGenerator.Log doc : docs) {
            counts.merge(Truth.Multiset.key(doc.project(), doc.message()), 1L, Long::sum);
        }
        return counts;
    }
}
