package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateAggregatorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final TemplateAggregator aggregator = new TemplateAggregator();
    private final Aggregation aggregation = aggregator.start();

    private String add(String message) {
        return aggregation.add(LogEvent.of(T0, "orders", message));
    }

    private ErrorGroup group(String key) {
        return aggregation.groups().stream().filter(g -> g.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void groupsMessagesThatDifferInWordsAtVaryingPlaces() {
        String a = add("session closed for user alice");
        String b = add("session closed for user bob");
        String c = add("session closed for user carol");
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
        assertThat(group(a).template()).isEqualTo("session closed for user <*>");
        assertThat(group(a).count()).isEqualTo(3);
    }

    @Test
    void keepsTemplatesApartThatDifferInTheirLeadingWords() {
        assertThat(add("session opened for user alice")).isNotEqualTo(add("session closed for user alice"));
    }

    @Test
    void keepsTemplatesOfDifferentLengthApart() {
        assertThat(add("disk full on volume data")).isNotEqualTo(add("disk full on volume data again now"));
    }

    @Test
    void keepsMessagesApartThatShareTooFewWords() {
        assertThat(add("Failed to open the cache file quickly"))
                .isNotEqualTo(add("Failed to reach any upstream server today"));
    }

    @Test
    void groupsHostsAndIdsGluedToWords() {
        String a = add("t1.example.com:443 open through proxy HTTPS");
        String b = add("api.github.com:443 open through proxy HTTPS");
        assertThat(b).isEqualTo(a);
    }

    @Test
    void groupsMessagesMadeOnlyOfValues() {
        assertThat(add("12 34 56")).isEqualTo(add("78 90 12"));
        assertThat(aggregator.templateCount("orders")).isEqualTo(1);
    }

    @Test
    void keepsTheKeyOfAGroupAsItsTemplateGeneralises() {
        String key = add("order failed for alice at checkout");
        String later = add("order failed for bob at checkout");
        assertThat(later).isEqualTo(key);
        assertThat(aggregation.groups()).extracting(ErrorGroup::key).containsExactly(key);
        assertThat(group(key).template()).isEqualTo("order failed for <*> at checkout");
    }

    @Test
    void givesTheSameKeyInLaterWindows() {
        String first = add("order failed for alice at checkout");
        String second = aggregator.start().add(LogEvent.of(T0.plusSeconds(60), "orders",
                "order failed for bob at checkout"));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void givesTheSameGroupsForTheSameRecordsInTheSameOrder() {
        List<String> messages = List.of("a b c 1", "a b d 2", "x y z", "x y w", "session closed for user q",
                "a b c 3", "x q z");
        assertThat(keys(messages)).isEqualTo(keys(messages));
    }

    private static List<String> keys(List<String> messages) {
        Aggregation aggregation = new TemplateAggregator().start();
        List<String> keys = new ArrayList<>();
        for (String message : messages) {
            keys.add(aggregation.add(LogEvent.of(T0, "p", message)));
        }
        return keys;
    }

    @Test
    void keepsProjectsApart() {
        String a = aggregation.add(LogEvent.of(T0, "orders", "cache miss for item"));
        String b = aggregation.add(LogEvent.of(T0, "billing", "cache miss for item"));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void groupsStackTracesByExceptionTypeMaskedMessageAndTopFrames() {
        String a = add("Processing order 1 failed\njava.lang.IllegalStateException: closed\n"
                + "\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:20)");
        String sameElsewhereInMethod = add("Processing order 2 failed\njava.lang.IllegalStateException: closed\n"
                + "\tat a.B.c(B.java:12)\n\tat a.B.d(B.java:20)");
        String otherType = add("Processing order 3 failed\njava.io.IOException: closed\n"
                + "\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:20)");
        String otherFrames = add("Processing order 4 failed\njava.lang.IllegalStateException: closed\n"
                + "\tat a.X.y(X.java:10)\n\tat a.B.d(B.java:20)");
        assertThat(sameElsewhereInMethod).isEqualTo(a);
        assertThat(otherType).isNotEqualTo(a);
        assertThat(otherFrames).isNotEqualTo(a).isNotEqualTo(otherType);
        assertThat(group(a).template()).startsWith("Processing order <*> failed\njava.lang.IllegalStateException")
                .contains("\tat a.B.c");
    }

    @Test
    void countsRecordsBeyondTheTemplateLimitInOneVisibleOverflowGroup() {
        TemplateAggregator small = new TemplateAggregator(2, TemplateAggregator.DEFAULT_SIMILARITY);
        Aggregation window = small.start();
        String first = window.add(LogEvent.of(T0, "p", "alpha happened"));
        window.add(LogEvent.of(T0, "p", "beta went wrong here"));
        String third = window.add(LogEvent.of(T0, "p", "gamma is a third kind of message"));
        String fourth = window.add(LogEvent.builder().timestamp(T0).project("p").message("delta is another")
                .occurrences(5).build());
        String known = window.add(LogEvent.of(T0, "p", "alpha happened"));

        assertThat(known).isEqualTo(first);
        assertThat(fourth).isEqualTo(third);
        assertThat(small.templateCount("p")).isEqualTo(2);
        ErrorGroup overflow = window.groups().stream().filter(g -> g.key().equals(third)).findFirst()
                .orElseThrow();
        assertThat(overflow.template()).isEqualTo(TemplateAggregator.OVERFLOW_TEMPLATE);
        assertThat(overflow.count()).isEqualTo(6);
        assertThat(window.add(LogEvent.of(T0, "other", "gamma is a third kind of message"))).isNotEqualTo(third);
    }

    @Test
    void weighsOccurrencesAndRecordsFirstAndLastSeenAndASampleThread() {
        aggregation.add(LogEvent.builder().timestamp(T0.plusSeconds(5)).project("orders")
                .message("payment declined for alice").thread("worker-1").build());
        String key = aggregation.add(LogEvent.builder().timestamp(T0).lastTimestamp(T0.plusSeconds(90))
                .project("orders").message("payment declined for bob").thread("worker-2").occurrences(99).build());
        ErrorGroup group = group(key);
        assertThat(group.count()).isEqualTo(100);
        assertThat(group.firstSeen()).isEqualTo(T0);
        assertThat(group.lastSeen()).isEqualTo(T0.plusSeconds(90));
        assertThat(group.sampleThread()).isEqualTo("worker-1");
        assertThat(group.sampleMessage()).isEqualTo("payment declined for alice");
    }

    @Test
    void groupsAnEmptyMessage() {
        assertThat(add("")).isEqualTo(add("   "));
    }

    @Test
    void isCreatedByTypeWithItsSettings() {
        Aggregator created = Plugins.create(AggregatorProvider.class, "template",
                PluginConfig.of(Map.of("max-templates-per-project", "1", "similarity", "0.9")),
                getClass().getClassLoader());
        assertThat(created.name()).isEqualTo("template");
        Aggregation window = created.start();
        String a = window.add(LogEvent.of(T0, "p", "one kind"));
        String b = window.add(LogEvent.of(T0, "p", "another kind of message"));
        assertThat(window.groups()).filteredOn(g -> g.key().equals(b)).singleElement()
                .satisfies(g -> assertThat(g.template()).isEqualTo(TemplateAggregator.OVERFLOW_TEMPLATE));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void reportsEveryConfigurationProblemAtOnce() {
        AggregatorProvider provider = new BuiltInAggregators.TemplateProvider();
        assertThatThrownBy(() -> provider.create(PluginConfig.of(Map.of(
                "max-templates-per-project", "0", "similarity", "high", "simlarity", "0.5"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .hasSize(3)
                        .anySatisfy(p -> assertThat(p).contains("max-templates-per-project"))
                        .anySatisfy(p -> assertThat(p).contains("'similarity'").contains("0.5"))
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'simlarity'")));
    }

    @Test
    void isDiscoveredWithTheOtherBuiltInAggregators() {
        assertThat(Plugins.providers(AggregatorProvider.class, getClass().getClassLoader()))
                .containsKeys("exact", "fingerprint", "template");
    }
}
