package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FingerprintAggregatorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final Aggregation aggregation = new FingerprintAggregator().start();

    private String add(String message) {
        return aggregation.add(LogEvent.of(T0, "orders", message));
    }

    @Test
    void groupsMessagesThatDifferOnlyInNumbers() {
        assertThat(add("order 8812 failed")).isEqualTo(add("order 9017 failed"));
        assertThat(aggregation.groups()).singleElement()
                .satisfies(g -> assertThat(g.template()).isEqualTo("order <*> failed"));
    }

    @Test
    void groupsIdsGluedToWords() {
        assertThat(add("user42 locked out")).isEqualTo(add("user7 locked out"));
    }

    @Test
    void groupsNegativeNumbersWithPositiveOnes() {
        assertThat(add("offset -17 out of range")).isEqualTo(add("offset 230 out of range"));
    }

    @Test
    void groupsVersions() {
        assertThat(add("plugin 1.2.3 incompatible")).isEqualTo(add("plugin 10.0.11 incompatible"));
    }

    @Test
    void groupsIpv6AndIpv4Addresses() {
        assertThat(add("peer fe80::1ff:fe23:4567:890a unreachable"))
                .isEqualTo(add("peer 2001:db8::1 unreachable"))
                .isEqualTo(add("peer 192.168.0.7 unreachable"));
    }

    @Test
    void groupsNonAsciiMessagesByTheirWords() {
        assertThat(add("支付失败 订单 12345")).isEqualTo(add("支付失败 订单 67890"));
        assertThat(add("支付失败 订单 12345")).isNotEqualTo(add("退款失败 订单 12345"));
    }

    @Test
    void keepsDifferentWordsApart() {
        assertThat(add("session opened for user 42")).isNotEqualTo(add("session closed for user 42"));
    }

    @Test
    void groupsStackTracesByExceptionTypeAndFirstLineOnly() {
        String a = add("Processing order 1 failed\njava.lang.IllegalStateException: closed\n\tat a.B.c(B.java:10)");
        String b = add("Processing order 2 failed\njava.lang.IllegalStateException: closed\n\tat a.B.c(B.java:11)");
        String c = add("Processing order 3 failed\njava.io.IOException: reset\n\tat a.B.c(B.java:10)");
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void readsTheExceptionTypeFromTheStackTraceField() {
        String a = aggregation.add(LogEvent.builder().timestamp(T0).message("request failed")
                .stackTrace("java.net.SocketTimeoutException: read timed out\n\tat x.Y.z(Y.java:1)").build());
        String b = aggregation.add(LogEvent.builder().timestamp(T0).message("request failed")
                .stackTrace("java.net.ConnectException: refused\n\tat x.Y.z(Y.java:1)").build());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void keepsProjectsApart() {
        String a = aggregation.add(LogEvent.of(T0, "orders", "boom 1"));
        String b = aggregation.add(LogEvent.of(T0, "billing", "boom 2"));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void weighsOccurrencesAndRecordsFirstAndLastSeenAndASampleThread() {
        aggregation.add(LogEvent.builder().timestamp(T0.plusSeconds(5)).project("orders").message("order 1 failed")
                .thread("worker-1").build());
        aggregation.add(LogEvent.builder().timestamp(T0).lastTimestamp(T0.plusSeconds(90)).project("orders")
                .message("order 2 failed").thread("worker-9").occurrences(10_000).build());

        ErrorGroup group = aggregation.groups().get(0);
        assertThat(group.count()).isEqualTo(10_001);
        assertThat(group.firstSeen()).isEqualTo(T0);
        assertThat(group.lastSeen()).isEqualTo(T0.plusSeconds(90));
        assertThat(group.sampleThread()).isEqualTo("worker-1");
        assertThat(group.sampleMessage()).isEqualTo("order 1 failed");
    }

    @Test
    void givesTheSameKeyInEveryWindowAndEveryInstance() {
        String first = new FingerprintAggregator().start().add(LogEvent.of(T0, "orders", "order 1 failed"));
        String second = new FingerprintAggregator().start().add(LogEvent.of(T0, "orders", "order 2 failed"));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void namesAnExceptionThatEndsASentence() {
        assertThat(ExceptionType.find("payment failed with java.io.IOException.")).isEqualTo("java.io.IOException");
        assertThat(ExceptionType.find("see java.util.concurrent.TimeoutException...")).isEqualTo(
                "java.util.concurrent.TimeoutException");
        assertThat(ExceptionType.find("the end.")).isEmpty();
    }

    @Test
    void aKeyCutAtItsLengthLimitNeverSplitsASurrogatePair() {
        String message = "x".repeat(MessageMasker.MAX_FIRST_LINE_CHARS - 1) + "🚨 and more";
        String template = MessageMasker.maskFirstLine(message, false);

        assertThat(template).hasSize(MessageMasker.MAX_FIRST_LINE_CHARS - 1);
        assertThat(Character.isHighSurrogate(template.charAt(template.length() - 1))).isFalse();
    }
}
