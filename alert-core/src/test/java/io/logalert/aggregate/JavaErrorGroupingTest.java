package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.ErrorGroup;
import io.logalert.aggregate.JavaErrors.Kind;
import io.logalert.aggregate.JavaErrors.Labelled;
import io.logalert.spi.Aggregation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Java application errors, the logs this library is for: each kind of {@link JavaErrors} must come out as exactly one
 * group holding exactly its records, on records of a window after the one it learnt from, with ids, names and
 * generated class names it never saw.
 */
class JavaErrorGroupingTest {

    private static final List<Kind> KINDS = JavaErrors.kinds();

    /** What one window gave: the group key of each label, and the groups. */
    private record Window(Map<String, Set<String>> keysByLabel, Map<String, Long> countByLabel,
            Map<String, ErrorGroup> groups) {
    }

    private static Window window(TemplateAggregator aggregator, List<Labelled> records) {
        Aggregation aggregation = aggregator.start();
        List<String> added = new ArrayList<>(records.size());
        for (Labelled record : records) {
            added.add(aggregation.add(record.event()));
        }
        Map<String, ErrorGroup> groups = new HashMap<>();
        for (ErrorGroup group : aggregation.groups()) {
            groups.put(group.key(), group);
        }
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String label = records.get(i).label();
            keys.computeIfAbsent(label, l -> new HashSet<>()).add(aggregation.keyOf(added.get(i)));
            counts.merge(label, 1L, Long::sum);
        }
        return new Window(keys, counts, groups);
    }

    /** Every kind {@code perKind} times (or a count drawn from 1 to 40), shuffled. */
    private static List<Labelled> records(Random random, int perKind) {
        List<Labelled> records = new ArrayList<>();
        for (Kind kind : KINDS) {
            records.addAll(JavaErrors.records(kind, perKind > 0 ? perKind : 1 + random.nextInt(40), random));
        }
        Collections.shuffle(records, random);
        return records;
    }

    @Test
    void theGeneratorHasTheKindsTheIssueAsksFor() {
        assertThat(KINDS).hasSizeGreaterThanOrEqualTo(60);
        assertThat(KINDS.stream().map(Kind::label).distinct().count()).isEqualTo(KINDS.size());
        Random random = new Random(1);
        // several kinds of one exception type that differ by its message, several of one line and top exception
        // that differ by the root cause
        assertThat(JavaErrors.VALIDATION).hasSizeGreaterThanOrEqualTo(3);
        assertThat(JavaErrors.ROOT_CAUSES).hasSizeGreaterThanOrEqualTo(3);
        Set<String> types = new HashSet<>();
        Set<String> lines = new HashSet<>();
        for (Kind kind : KINDS) {
            if (JavaErrors.VALIDATION.contains(kind.label())) {
                types.add(ExceptionType.of(kind.make().apply(random)));
            }
            if (JavaErrors.ROOT_CAUSES.contains(kind.label())) {
                String message = kind.make().apply(random).message();
                lines.add(message.replaceAll("[0-9]+", "N"));
            }
        }
        assertThat(types).containsExactly("java.lang.IllegalArgumentException");
        assertThat(lines).containsExactly("Stock check failed for order N");
    }

    @Test
    void groupsEachKindOfErrorAsOneGroupWithItsExactCountInAWindowAfterLearning() {
        TemplateAggregator aggregator = new TemplateAggregator();
        Window learnt = window(aggregator, records(new Random(11), 30));
        Window later = window(aggregator, records(new Random(12), 0));

        Map<String, String> keyOfLabel = new HashMap<>();
        Map<String, String> labelOfKey = new HashMap<>();
        List<String> problems = new ArrayList<>();
        later.keysByLabel().forEach((label, keys) -> {
            if (keys.size() != 1) {
                problems.add(label + " came out as " + keys.size() + " groups: " + templates(later, keys));
                return;
            }
            String key = keys.iterator().next();
            keyOfLabel.put(label, key);
            String other = labelOfKey.putIfAbsent(key, label);
            if (other != null) {
                problems.add(label + " and " + other + " came out as one group: " + templates(later, keys));
            } else if (later.groups().get(key).count() != later.countByLabel().get(label)) {
                problems.add(label + " counted " + later.groups().get(key).count() + ", not "
                        + later.countByLabel().get(label));
            }
        });
        assertThat(problems).isEmpty();
        assertThat(keyOfLabel).hasSize(KINDS.size());
        // the same kinds as in the window that learnt them, shown the same way
        learnt.keysByLabel().forEach((label, keys) -> assertThat(keys).as(label).containsExactly(
                keyOfLabel.get(label)));
        keyOfLabel.forEach((label, key) -> assertThat(later.groups().get(key).template()).as(label)
                .isEqualTo(learnt.groups().get(key).template()));
    }

    @Test
    void groupsEachKindOfErrorAsOneGroupInAFirstWindowThatShowsItsVariety() {
        Window first = window(new TemplateAggregator(), records(new Random(21), 30));
        Set<String> seen = new HashSet<>();
        first.keysByLabel().forEach((label, keys) -> {
            assertThat(keys).as(label + ": " + templates(first, keys)).hasSize(1);
            assertThat(seen.add(keys.iterator().next())).as(label + " shares its group").isTrue();
        });
    }

    private static List<String> templates(Window window, Set<String> keys) {
        List<String> templates = new ArrayList<>();
        for (String key : keys) {
            ErrorGroup group = window.groups().get(key);
            templates.add(group == null ? key : group.count() + " × " + group.template());
        }
        return templates;
    }
}
