package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.source.elasticsearch.ElasticsearchLogSource.DistinctProbe;
import io.logalert.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistinctProbeTest {

    private static final SourceSettings DEFAULTS = SourceSettings.parse(PluginConfig.of(Map.of(
            "hosts", "http://es:9200", "index", "logs")));

    @Test
    void withEveryDocumentSampledTheRuleIsTheShareOfDistinctMessages() {
        assertThat(new DistinctProbe(8_000, 8_000, 1, 8_000, 4_000).worthAggregating(DEFAULTS)).isTrue();
        assertThat(new DistinctProbe(8_000, 8_000, 1, 8_000, 4_001).worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void tooFewDocumentsOrNoKeywordMessageStream() {
        assertThat(new DistinctProbe(4_999, 4_999, 1, 4_999, 1).worthAggregating(DEFAULTS)).isFalse();
        assertThat(new DistinctProbe(9_000, 0, 1, 0, 0).worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void aSampleOfMessagesWithIdsStreams() {
        // 1,000,000 messages, 95 % distinct (the ids mix): a 0.5 % sample of 5,020 shows all but one distinct
        assertThat(new DistinctProbe(1_000_000, 1_000_000, 0.005, 5_020, 5_019).worthAggregating(DEFAULTS))
                .isFalse();
    }

    @Test
    void aSampleOfRepeatingMessagesAggregatesThoughMostSampledMessagesAreSeenOnce() {
        // 1,000,000 messages in groups of 5 (20 % distinct): a 0.5 % sample sees 1 - 0.995^5 of the groups,
        // 4,950 distinct among 5,000 sampled, which alone would look like 99 % distinct
        double p = 0.005;
        long sampled = 5_000;
        long distinct = Math.round(200_000 * (1 - Math.pow(1 - p, 5)));
        assertThat(distinct).isBetween(4_900L, 4_990L);
        assertThat(new DistinctProbe(1_000_000, 1_000_000, p, sampled, distinct).worthAggregating(DEFAULTS))
                .isTrue();
        // the same sample from groups of 1.5 (67 % distinct) streams, as the full count would
        long mostlyDistinct = Math.round(666_667 * (1 - Math.pow(1 - p, 1.5)));
        assertThat(new DistinctProbe(1_000_000, 1_000_000, p, sampled, mostlyDistinct).worthAggregating(DEFAULTS))
                .isFalse();
    }
}
