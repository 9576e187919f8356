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
    private Aggregation aggregation = aggregator.start();

    /** Adds every message to the window, then returns the key of the group of each, as the window decided it. */
    private List<String> keys(String... messages) {
        List<String> added = new ArrayList<>();
        for (String message : messages) {
            added.add(aggregation.add(LogEvent.of(T0, "orders", message)));
        }
        aggregation.groups();
        List<String> keys = new ArrayList<>();
        for (String key : added) {
            keys.add(aggregation.keyOf(key));
        }
        return keys;
    }

    private ErrorGroup group(String key) {
        return aggregation.groups().stream().filter(g -> g.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void groupsMessagesThatDifferInAWordTakingManyValues() {
        List<String> keys = keys("session closed for user alice", "session closed for user bob",
                "session closed for user carol", "session closed for user dave");
        assertThat(keys).containsOnly(keys.get(0));
        assertThat(group(keys.get(0)).template()).isEqualTo("session closed for user <*>");
        assertThat(group(keys.get(0)).count()).isEqualTo(4);
    }

    @Test
    void keepsApartMessagesThatDifferInAWordTakingFewValuesThatRecur() {
        List<String> keys = keys("Location icon should now be in state Active",
                "Location icon should now be in state Inactive", "Location icon should now be in state Active",
                "Location icon should now be in state Inactive");
        assertThat(keys.get(0)).isNotEqualTo(keys.get(1));
        assertThat(keys.get(2)).isEqualTo(keys.get(0));
        assertThat(keys.get(3)).isEqualTo(keys.get(1));
        assertThat(group(keys.get(0)).template()).isEqualTo("Location icon should now be in state Active");
    }

    @Test
    void keepsARareVariantApartFromACommonOne() {
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            messages.add("Session: " + (1000 + i) + " initialized by client UpdateAgent.");
        }
        messages.add("Session: 77 initialized by client Licensing.");
        List<String> keys = keys(messages.toArray(String[]::new));
        assertThat(keys.subList(0, 50)).containsOnly(keys.get(0));
        assertThat(keys.get(50)).isNotEqualTo(keys.get(0));
    }

    @Test
    void treatsAPositionThatHoldsMaskedValuesAsVariableEvenWithFewWords() {
        List<String> keys = keys("connection from 10.0.0.1 (gw1.example.org) at noon",
                "connection from 10.0.0.2 (10.0.0.2) at noon", "connection from 10.0.0.3 () at noon",
                "connection from 10.0.0.4 (10.0.0.4) at noon");
        assertThat(keys).containsOnly(keys.get(0));
    }

    @Test
    void groupsAnEventWithOptionalValuesAndUnits() {
        List<String> keys = keys("proxy:80 close, 1190 bytes sent, 1671 bytes received, lifetime 00:02",
                "proxy:80 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02",
                "proxy:80 close, 403 bytes sent, 10547 bytes (10.2 MB) received, lifetime <1 sec",
                "proxy:80 close, 0 bytes sent, 0 bytes received, lifetime 00:01");
        assertThat(keys).containsOnly(keys.get(0));
    }

    @Test
    void groupsListsOfValuesOfAnyLength() {
        List<String> keys = keys("ask 10.0.0.1:50010 to delete blk_-1", "ask 10.0.0.2:50010 to delete blk_-2 blk_3",
                "ask 10.0.0.3:50010 to delete blk_4 blk_5 blk_6");
        assertThat(keys).containsOnly(keys.get(0));
    }

    @Test
    void keepsTemplatesApartThatDifferInTheirWords() {
        List<String> keys = keys("disk full on volume data", "disk full on volume data again now",
                "Failed to open the cache file quickly", "Failed to reach any upstream server today");
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void groupsHostsAndIdsGluedToWords() {
        List<String> keys = keys("t1.example.com:443 open through proxy HTTPS",
                "api.github.com:443 open through proxy HTTPS");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
    }

    @Test
    void groupsMessagesMadeOnlyOfValues() {
        List<String> keys = keys("12 34 56", "78 90 12");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(aggregator.templateCount("orders")).isEqualTo(1);
    }

    @Test
    void givesTheSameKeyInLaterWindowsAndKeepsAVariableLearntEarlier() {
        String first = keys("order failed for alice at checkout", "order failed for bob at checkout",
                "order failed for carol at checkout", "order failed for dave at checkout").get(0);
        aggregation = aggregator.start();
        List<String> later = keys("order failed for erin at checkout", "order failed for frank at checkout");
        assertThat(later).containsOnly(first);
    }

    @Test
    void givesTheSameGroupsForTheSameRecordsInTheSameOrder() {
        String[] messages = {"a b c 1", "a b d 2", "x y z", "x y w", "session closed for user q", "a b c 3", "x q z"};
        List<String> once = keys(messages);
        aggregation = new TemplateAggregator().start();
        assertThat(keys(messages)).isEqualTo(once);
    }

    @Test
    void keepsProjectsApart() {
        String a = aggregation.add(LogEvent.of(T0, "orders", "cache miss for item"));
        String b = aggregation.add(LogEvent.of(T0, "billing", "cache miss for item"));
        aggregation.groups();
        assertThat(aggregation.keyOf(a)).isNotEqualTo(aggregation.keyOf(b));
    }

    @Test
    void groupsStackTracesByExceptionTypeMaskedMessageAndTopFrames() {
        List<String> keys = keys("Processing order 1 failed\njava.lang.IllegalStateException: closed\n"
                        + "\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:20)",
                "Processing order 2 failed\njava.lang.IllegalStateException: closed\n"
                        + "\tat a.B.c(B.java:12)\n\tat a.B.d(B.java:20)",
                "Processing order 3 failed\njava.io.IOException: closed\n"
                        + "\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:20)",
                "Processing order 4 failed\njava.lang.IllegalStateException: closed\n"
                        + "\tat a.X.y(X.java:10)\n\tat a.B.d(B.java:20)");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(keys.get(2)).isNotEqualTo(keys.get(0));
        assertThat(keys.get(3)).isNotEqualTo(keys.get(0)).isNotEqualTo(keys.get(2));
        assertThat(group(keys.get(0)).template())
                .startsWith("Processing order <*> failed\njava.lang.IllegalStateException").contains("\tat a.B.c");
    }

    @Test
    void countsKindsBeyondTheTemplateLimitInOneVisibleOverflowGroup() {
        TemplateAggregator small = new TemplateAggregator(2, TemplateAggregator.DEFAULT_MAX_LINES_PER_WINDOW);
        Aggregation window = small.start();
        String first = window.add(LogEvent.of(T0, "p", "alpha happened"));
        window.add(LogEvent.of(T0, "p", "beta went wrong here"));
        String third = window.add(LogEvent.of(T0, "p", "gamma is a third kind of message"));
        String fourth = window.add(LogEvent.builder().timestamp(T0).project("p").message("delta is another")
                .occurrences(5).build());
        String other = window.add(LogEvent.of(T0, "other", "gamma is a third kind of message"));
        List<ErrorGroup> groups = window.groups();

        assertThat(small.templateCount("p")).isEqualTo(2);
        assertThat(window.keyOf(first)).isNotEqualTo(window.keyOf(third));
        assertThat(window.keyOf(fourth)).isEqualTo(window.keyOf(third));
        ErrorGroup overflow = groups.stream().filter(g -> g.key().equals(window.keyOf(third))).findFirst()
                .orElseThrow();
        assertThat(overflow.template()).isEqualTo(TemplateAggregator.OVERFLOW_TEMPLATE);
        assertThat(overflow.count()).isEqualTo(6);
        assertThat(window.keyOf(other)).isNotEqualTo(window.keyOf(third));
    }

    @Test
    void countsNewLinesBeyondTheLineLimitInALearntKindOrTheOverflowGroup() {
        TemplateAggregator small = new TemplateAggregator(10, 4);
        Aggregation learning = small.start();
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            learning.add(LogEvent.of(T0, "p", "session closed for user " + user));
        }
        learning.groups();
        Aggregation window = small.start();
        for (String message : List.of("disk full", "disk quota exceeded", "cache warm")) {
            window.add(LogEvent.of(T0, "p", message));
        }
        String kept = window.add(LogEvent.of(T0, "p", "session closed for user erin"));
        String known = window.add(LogEvent.of(T0, "p", "session closed for user frank"));
        String unknown = window.add(LogEvent.of(T0, "p", "cache cold"));
        List<ErrorGroup> groups = window.groups();

        assertThat(window.keyOf(known)).isEqualTo(window.keyOf(kept));
        assertThat(groups).filteredOn(g -> g.key().equals(window.keyOf(unknown))).singleElement()
                .satisfies(g -> assertThat(g.template()).isEqualTo(TemplateAggregator.OVERFLOW_TEMPLATE));
        assertThat(groups.stream().mapToLong(ErrorGroup::count).sum()).isEqualTo(6);
    }

    @Test
    void weighsOccurrencesAndRecordsFirstAndLastSeenAndASampleThread() {
        aggregation.add(LogEvent.builder().timestamp(T0.plusSeconds(5)).project("orders")
                .message("payment declined for 17").thread("worker-1").build());
        String key = aggregation.add(LogEvent.builder().timestamp(T0).lastTimestamp(T0.plusSeconds(90))
                .project("orders").message("payment declined for 42").thread("worker-2").occurrences(99).build());
        aggregation.groups();
        ErrorGroup group = group(aggregation.keyOf(key));
        assertThat(group.count()).isEqualTo(100);
        assertThat(group.firstSeen()).isEqualTo(T0);
        assertThat(group.lastSeen()).isEqualTo(T0.plusSeconds(90));
        assertThat(group.sampleThread()).isEqualTo("worker-1");
        assertThat(group.sampleMessage()).isEqualTo("payment declined for 17");
    }

    @Test
    void groupsAnEmptyMessage() {
        List<String> keys = keys("", "   ");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
    }

    @Test
    void foldsAUnitIntoTheNumberBeforeIt() {
        assertThat(TemplateAggregator.foldUnits("size <*> KB, free <*> B)")).isEqualTo("size <*>, free <*>)");
        assertThat(TemplateAggregator.foldUnits("took <*> ms")).isEqualTo("took <*>");
        assertThat(TemplateAggregator.foldUnits("stored as <*> bytes in <*> MBps")).isEqualTo(
                "stored as <*> bytes in <*> MBps");
    }

    @Test
    void isCreatedByTypeWithItsSettings() {
        Aggregator created = Plugins.create(AggregatorProvider.class, "template",
                PluginConfig.of(Map.of("max-templates-per-project", "1", "max-lines-per-window", "100")),
                getClass().getClassLoader());
        assertThat(created.name()).isEqualTo("template");
        Aggregation window = created.start();
        String a = window.add(LogEvent.of(T0, "p", "one kind"));
        String b = window.add(LogEvent.of(T0, "p", "another kind of message"));
        List<ErrorGroup> groups = window.groups();
        assertThat(groups).filteredOn(g -> g.key().equals(window.keyOf(b))).singleElement()
                .satisfies(g -> assertThat(g.template()).isEqualTo(TemplateAggregator.OVERFLOW_TEMPLATE));
        assertThat(window.keyOf(a)).isNotEqualTo(window.keyOf(b));
    }

    @Test
    void reportsEveryConfigurationProblemAtOnce() {
        AggregatorProvider provider = new BuiltInAggregators.TemplateProvider();
        assertThatThrownBy(() -> provider.create(PluginConfig.of(Map.of(
                "max-templates-per-project", "0", "max-lines-per-window", "many", "similarity", "0.5"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .hasSize(3)
                        .anySatisfy(p -> assertThat(p).contains("max-templates-per-project"))
                        .anySatisfy(p -> assertThat(p).contains("max-lines-per-window"))
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'similarity'")));
    }

    @Test
    void isDiscoveredWithTheOtherBuiltInAggregators() {
        assertThat(Plugins.providers(AggregatorProvider.class, getClass().getClassLoader()))
                .containsKeys("exact", "fingerprint", "template");
    }

    @Test
    void aLineBreakAtTheEndOfAMessageDoesNotMakeAnotherKind() {
        List<String> keys = keys("java.io.IOException: boom 1", "java.io.IOException: boom 2\n",
                "java.io.IOException: boom 3\r\n");

        assertThat(keys.stream().distinct()).hasSize(1);
        assertThat(aggregation.groups()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(3));
    }

    @Test
    void aNarrowFirstWindowDoesNotPinOneKindPerValueInLaterWindows() {
        keys("session closed for user alice");

        aggregation = aggregator.start();
        List<String> later = keys("session closed for user alice", "session closed for user bob",
                "session closed for user carol", "session closed for user dave");

        assertThat(later.stream().distinct()).hasSize(1);
        assertThat(group(later.get(0)).template()).isEqualTo("session closed for user <*>");
        assertThat(group(later.get(0)).count()).isEqualTo(4);
    }

    @Test
    void keepsTheConstantWordsOfAQuotedValue() {
        List<String> keys = keys("10.0.0.1 \"GET /v2/a1/servers/detail HTTP/1.1\" status: 200 len: 1893",
                "10.0.0.2 \"GET /v2/b2/servers/detail HTTP/1.1\" status: 200 len: 1911",
                "10.0.0.1 \"DELETE /v2/c3/servers/9 HTTP/1.1\" status: 204 len: 203",
                "10.0.0.3 \"DELETE /v2/d4/servers/7 HTTP/1.1\" status: 204 len: 203");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(keys.get(3)).isEqualTo(keys.get(2)).isNotEqualTo(keys.get(0));
        assertThat(group(keys.get(0)).template()).isEqualTo("<*> \"GET <*> <*>\" status: <*> len: <*>");
    }

    @Test
    void keepsApartAFewStatesThatEachRecurAndJoinsStatesThatMoveBetweenPlaces() {
        List<String> messages = new ArrayList<>();
        for (String state : List.of("Started", "Stopped", "Paused", "Resumed")) {
            for (int i = 0; i < 6; i++) {
                messages.add("[instance: " + (1000 + i) + "] VM " + state + " (Lifecycle Event)");
            }
        }
        for (String[] move : List.of(new String[] {"NEW", "SCHEDULED"}, new String[] {"SCHEDULED", "RUNNING"},
                new String[] {"RUNNING", "SUCCEEDED"})) {
            messages.add("task_" + move[0].length() + " Task Transitioned from " + move[0] + " to " + move[1]);
        }
        List<String> keys = keys(messages.toArray(String[]::new));
        assertThat(List.of(keys.get(0), keys.get(6), keys.get(12), keys.get(18))).doesNotHaveDuplicates();
        assertThat(keys.subList(24, 27)).containsOnly(keys.get(24));
        assertThat(group(keys.get(24)).template()).isEqualTo("task_<*> Task Transitioned from <*> to <*>");
    }

    @Test
    void keepsAnOptionalTrailingFieldApartWhenItIsNotAValue() {
        List<String> messages = new ArrayList<>();
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
            messages.add("authentication failure; rhost=10.0.0." + user.length() + " user=" + user);
            messages.add("authentication failure; rhost=10.0.1." + user.length());
        }
        List<String> keys = keys(messages.toArray(String[]::new));
        assertThat(keys.get(0)).isNotEqualTo(keys.get(1));
        assertThat(group(keys.get(0)).template()).isEqualTo("authentication failure; rhost=<*> user=<*>");
        assertThat(group(keys.get(0)).count()).isEqualTo(6);
    }

    @Test
    void takesAWordWhereTheKindHoldsAValueOrManyNamesAsOneMoreValue() {
        List<String> keys = keys("reverse mapping for 10.0.0.1 failed - POSSIBLE BREAK-IN ATTEMPT!",
                "reverse mapping for 10.0.0.2 failed - POSSIBLE BREAK-IN ATTEMPT!",
                "reverse mapping for gw.example.org failed - POSSIBLE BREAK-IN ATTEMPT!");
        assertThat(keys).containsOnly(keys.get(0));
    }

    @Test
    void groupsListsOfIdsInBracketsOfAnyLength() {
        List<String> keys = keys("delete failed for [blk_1]", "delete failed for [blk_2, blk_3]",
                "delete failed for [blk_4, blk_5, blk_6]");
        assertThat(keys).containsOnly(keys.get(0));
    }

    @Test
    void keysAMessageWhoseFirstLineHoldsNoWordOnItsFirstInformativeLines() {
        List<String> keys = keys("{\n  \"error\": \"payment_failed\",\n  \"order\": 17\n}",
                "{\n  \"error\": \"payment_failed\",\n  \"order\": 18\n}",
                "{\n  \"error\": \"shipping_unavailable\",\n  \"order\": 19\n}",
                "-----\nMigration V12 failed\n-----", "-----\nMigration V13 failed\n-----");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(keys.get(2)).isNotEqualTo(keys.get(0));
        assertThat(keys.get(4)).isEqualTo(keys.get(3)).isNotEqualTo(keys.get(0));
        assertThat(group(keys.get(0)).template()).isEqualTo("\"error\": \"payment_failed\", \"order\": <*>");
        assertThat(group(keys.get(3)).template()).isEqualTo("Migration V<*> failed");
    }

    @Test
    void showsAdjacentVariablesAsOneAndKeepsTheTemplateShownOnceAcrossWindows() {
        List<String> keys = keys("job 1 2 3 failed", "job 4 5 6 failed");
        assertThat(group(keys.get(0)).template()).isEqualTo("job <*> failed");
        String shown = group(keys.get(0)).template();
        aggregation = aggregator.start();
        List<String> later = keys("job 7 8 9 failed (again)", "job 1 2 failed (again)", "job 1 2 3 failed");
        assertThat(later.get(2)).isEqualTo(keys.get(0));
        assertThat(group(later.get(2)).template()).isEqualTo(shown);
    }

    @Test
    void tellsExceptionsOfOneTypeApartByTheirMessageAndByTheirRootCause() {
        String frames = "\n\tat a.Validator.check(Validator.java:10)\n\tat a.Api.post(Api.java:20)";
        List<String> keys = keys(
                "Request 1 rejected\njava.lang.IllegalArgumentException: amount must be positive, was -5" + frames,
                "Request 2 rejected\njava.lang.IllegalArgumentException: amount must be positive, was -7" + frames,
                "Request 3 rejected\njava.lang.IllegalArgumentException: unknown currency code 991" + frames,
                "Request 4 rejected\njava.lang.IllegalArgumentException: unknown currency code 992" + frames,
                "Request 5 rejected\njava.lang.IllegalArgumentException: bad" + frames
                        + "\nCaused by: java.net.SocketTimeoutException: Read timed out\n\tat b.C.d(C.java:1)",
                "Request 6 rejected\njava.lang.IllegalArgumentException: bad" + frames
                        + "\nCaused by: java.net.ConnectException: Connection refused\n\tat b.C.e(C.java:1)");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(keys.get(3)).isEqualTo(keys.get(2));
        assertThat(List.of(keys.get(0), keys.get(2), keys.get(4), keys.get(5))).doesNotHaveDuplicates();
        assertThat(group(keys.get(0)).template()).isEqualTo("Request <*> rejected\n"
                + "java.lang.IllegalArgumentException: amount must be positive, was <*>\n"
                + "\tat a.Validator.check\n\tat a.Api.post");
        assertThat(group(keys.get(4)).template()).endsWith(
                "Caused by: java.net.SocketTimeoutException: Read timed out\n\tat b.C.d");
    }
}
