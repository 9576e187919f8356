package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExactAggregatorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void groupsOnlyIdenticalMessagesOfOneProject() {
        Aggregation aggregation = new ExactAggregator().start();
        String a = aggregation.add(LogEvent.of(T0, "orders", "order 8812 failed"));
        String b = aggregation.add(LogEvent.of(T0, "orders", "order 8812 failed"));
        String c = aggregation.add(LogEvent.of(T0, "orders", "order 9017 failed"));
        String d = aggregation.add(LogEvent.of(T0, "billing", "order 8812 failed"));

        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
        assertThat(d).isNotEqualTo(a);
        assertThat(aggregation.groups()).hasSize(3);
    }

    @Test
    void weighsOccurrencesAndRecordsFirstAndLastSeenAndASampleThread() {
        Aggregation aggregation = new ExactAggregator().start();
        aggregation.add(LogEvent.builder().timestamp(T0.plusSeconds(10)).project("orders").message("boom")
                .thread("worker-1").build());
        String key = aggregation.add(LogEvent.builder().timestamp(T0).lastTimestamp(T0.plusSeconds(60))
                .project("orders").message("boom").thread("worker-2").occurrences(41).build());

        ErrorGroup group = aggregation.groups().get(0);
        assertThat(group.key()).isEqualTo(key);
        assertThat(group.count()).isEqualTo(42);
        assertThat(group.firstSeen()).isEqualTo(T0);
        assertThat(group.lastSeen()).isEqualTo(T0.plusSeconds(60));
        assertThat(group.sampleThread()).isEqualTo("worker-1");
        assertThat(group.sampleMessage()).isEqualTo("boom");
        assertThat(group.project()).isEqualTo("orders");
    }

    @Test
    void givesTheSameKeyInEveryWindow() {
        ExactAggregator aggregator = new ExactAggregator();
        String first = aggregator.start().add(LogEvent.of(T0, "orders", "boom"));
        String second = aggregator.start().add(LogEvent.of(T0.plusSeconds(3600), "orders", "boom"));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void startsEachWindowEmpty() {
        ExactAggregator aggregator = new ExactAggregator();
        aggregator.start().add(LogEvent.of(T0, "orders", "boom"));
        assertThat(aggregator.start().groups()).isEmpty();
    }
}
