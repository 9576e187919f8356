package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.source.elasticsearch.ElasticsearchLogSource.DistinctProbe;
import io.logalert.spi.PluginConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * auto's rule, fed with samples drawn here from windows of known make-up, as {@code random_sampler} draws them: each
 * document kept with the probability, independently. Whether a window should be aggregated is its true share of
 * distinct messages against {@code auto.max-distinct-percent} (50 by default), computed from the make-up alone.
 */
class DistinctProbeTest {

    private static final SourceSettings DEFAULTS = SourceSettings.parse(PluginConfig.of(Map.of(
            "hosts", "http://es:9200", "index", "logs")));
    /** What the probe samples of a window of 1,000,000 keyword messages. */
    private static final double ONE_IN_200 = 0.005;

    @Test
    void aFewHotMessagesBesideATailOfUniqueOnesStream() {
        // 980,000 messages logged once (ids) and one logged 20,000 times: 98 % distinct
        Window skewed = new Window().add(980_000, 1).add(1, 20_000);
        assertThat(skewed.distinctShare()).isGreaterThan(0.5);

        DistinctProbe probe = skewed.sample(ONE_IN_200, 1);

        // a sample shows 98 % distinct, below what a window at the limit of groups of two would show (99.75 %):
        // assuming groups of equal size took this window for a repetitive one
        assertThat((double) probe.distinct() / probe.sampled()).isBetween(0.97, 0.99);
        assertThat(probe.worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void messagesRepeatedVerbatimAggregate() {
        // the benchmark's verbatim mix: 5,000 messages logged 200 times each, 0.5 % distinct
        Window verbatim = new Window().add(5_000, 200);
        assertThat(verbatim.distinctShare()).isEqualTo(0.005);

        assertThat(verbatim.sample(ONE_IN_200, 2).worthAggregating(DEFAULTS)).isTrue();
    }

    @Test
    void theSampleFollowsTheShareOfATailOfUniqueMessagesOnEitherSideOfTheLimit() {
        // 100 hot messages logged 6,000 times each beside 400,000 unique ones (40 % distinct), or 600,000 (60 %)
        Window belowLimit = new Window().add(100, 6_000).add(400_000, 1);
        Window aboveLimit = new Window().add(100, 4_000).add(600_000, 1);
        assertThat(belowLimit.distinctShare()).isLessThan(0.41);
        assertThat(aboveLimit.distinctShare()).isGreaterThan(0.59);

        assertThat(belowLimit.sample(ONE_IN_200, 3).worthAggregating(DEFAULTS)).isTrue();
        assertThat(aboveLimit.sample(ONE_IN_200, 4).worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void messagesWithIdsStream() {
        // 1,000,000 messages, 95 % distinct: the real ids mix
        Window ids = new Window().add(900_000, 1).add(50_000, 2);

        assertThat(ids.sample(ONE_IN_200, 5).worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void aSmallSampleCannotTellMessagesRepeatedAFewTimesFromUniqueOnesAndStreamsThem() {
        // groups of five (20 % distinct) look like unique messages in a 0.5 % sample: 98 % of it is seen once.
        // Streaming them is the cautious side: aggregating a window of ids would cost a bucket per document
        Window fives = new Window().add(200_000, 5);
        assertThat(fives.distinctShare()).isEqualTo(0.2);

        assertThat(fives.sample(ONE_IN_200, 6).worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void withEveryDocumentSampledTheRuleIsTheExactShareOfDistinctMessages() {
        DistinctProbe half = new Window().add(4_000, 2).sample(1, 7);
        DistinctProbe overHalf = new Window().add(3_999, 2).add(2, 1).sample(1, 8);
        assertThat(half.sampled()).isEqualTo(8_000);
        assertThat(overHalf.distinct()).isEqualTo(4_001);

        assertThat(half.worthAggregating(DEFAULTS)).isTrue();
        assertThat(overHalf.worthAggregating(DEFAULTS)).isFalse();
    }

    @Test
    void theLimitIsConfigurable() {
        DistinctProbe probe = new Window().add(100, 6_000).add(400_000, 1).sample(ONE_IN_200, 9);

        assertThat(probe.worthAggregating(settings("auto.max-distinct-percent", "50"))).isTrue();
        assertThat(probe.worthAggregating(settings("auto.max-distinct-percent", "30"))).isFalse();
        assertThat(probe.worthAggregating(settings("auto.max-distinct-percent", "0"))).isFalse();
    }

    @Test
    void stackTracesTooFewDocumentsOrNoKeywordMessageStream() {
        DistinctProbe repetitive = new Window().add(5_000, 200).sample(ONE_IN_200, 10);
        DistinctProbe traced = new DistinctProbe(repetitive.documents(), repetitive.exactMessages(),
                Optional.of("12 documents hold a stack trace in 'stack_trace'"), repetitive.probability(),
                repetitive.sampled(), repetitive.distinct(), repetitive.seenOnce());

        assertThat(repetitive.worthAggregating(DEFAULTS)).isTrue();
        assertThat(traced.worthAggregating(DEFAULTS)).isFalse();
        assertThat(new DistinctProbe(4_999, 4_999, Optional.empty(), 1, 4_999, 1, 0).worthAggregating(DEFAULTS))
                .isFalse();
        assertThat(new DistinctProbe(9_000, 0, Optional.empty(), 1, 0, 0, 0).worthAggregating(DEFAULTS)).isFalse();
    }

    private static SourceSettings settings(String key, String value) {
        return SourceSettings.parse(PluginConfig.of(Map.of("hosts", "http://es:9200", "index", "logs", key, value)));
    }

    /** A window by its make-up: how many messages are logged how many times each. */
    private static final class Window {
        private final Map<Integer, Integer> messagesByTimes = new LinkedHashMap<>();

        Window add(int messages, int times) {
            messagesByTimes.merge(times, messages, Integer::sum);
            return this;
        }

        double distinctShare() {
            return (double) messagesByTimes.values().stream().mapToLong(Integer::longValue).sum() / documents();
        }

        long documents() {
            return messagesByTimes.entrySet().stream().mapToLong(e -> (long) e.getKey() * e.getValue()).sum();
        }

        /** The probe of a sample that keeps each document with {@code probability}. */
        DistinctProbe sample(double probability, long seed) {
            Random random = new Random(seed);
            long sampled = 0;
            long distinct = 0;
            long seenOnce = 0;
            for (Map.Entry<Integer, Integer> entry : messagesByTimes.entrySet()) {
                for (int message = 0; message < entry.getValue(); message++) {
                    int kept = 0;
                    for (int copy = 0; copy < entry.getKey(); copy++) {
                        if (probability >= 1 || random.nextDouble() < probability) {
                            kept++;
                        }
                    }
                    sampled += kept;
                    distinct += kept > 0 ? 1 : 0;
                    seenOnce += kept == 1 ? 1 : 0;
                }
            }
            return new DistinctProbe(documents(), documents(), Optional.empty(), probability, sampled, distinct,
                    seenOnce);
        }
    }
}
