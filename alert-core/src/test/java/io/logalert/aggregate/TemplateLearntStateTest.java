package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the template aggregator has learnt, written out and read back: after a restart, the same key. */
class TemplateLearntStateTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /** The keys of the groups of {@code messages}, added in order to one window of {@code aggregator}. */
    private static List<String> window(Aggregator aggregator, String... messages) {
        Aggregation aggregation = aggregator.start();
        List<String> added = new ArrayList<>();
        for (String message : messages) {
            added.add(aggregation.add(LogEvent.of(T0, "orders", message)));
        }
        aggregation.groups();
        return added.stream().map(aggregation::keyOf).toList();
    }

    private static TemplateAggregator restored(String state) {
        TemplateAggregator aggregator = new TemplateAggregator();
        aggregator.restoreLearntState(state);
        return aggregator;
    }

    @Test
    void aRestartBetweenTwoWindowsKeepsTheKeyOfAVariableSeenWithOneValue() {
        TemplateAggregator before = new TemplateAggregator();
        // the customer is a word: masking cannot tell it is variable, only the window that shows it varying can
        List<String> first = window(before, "order 8812 failed for alice", "order 9017 failed for bob",
                "order 7001 failed for carol", "order 6100 failed for dave");
        assertThat(first).containsOnly(first.get(0));
        String state = before.learntState();

        String continuing = window(before, "order 5555 failed for erin").get(0);
        String forgetful = window(new TemplateAggregator(), "order 5555 failed for erin").get(0);
        String restarted = window(restored(state), "order 5555 failed for erin").get(0);

        assertThat(continuing).isEqualTo(first.get(0));
        assertThat(forgetful).as("without its learnt state a restarted aggregator mines the quiet window afresh")
                .isNotEqualTo(first.get(0));
        assertThat(restarted).isEqualTo(first.get(0));
    }

    @Test
    void aRestartKeepsTheDisplayedTemplateAndTheCounts() {
        TemplateAggregator before = new TemplateAggregator();
        window(before, "session closed for user alice", "session closed for user bob",
                "session closed for user carol", "session closed for user dave");
        Aggregation after = restored(before.learntState()).start();
        after.add(LogEvent.of(T0, "orders", "session closed for user erin"));
        after.add(LogEvent.of(T0, "orders", "session closed for user erin"));

        assertThat(after.groups()).singleElement().satisfies(g -> {
            assertThat(g.template()).isEqualTo("session closed for user <*>");
            assertThat(g.count()).isEqualTo(2);
        });
    }

    @Test
    void writesNothingWhenNothingIsLearntAndForgetsEverythingWhenGivenNothing() {
        TemplateAggregator aggregator = new TemplateAggregator();
        assertThat(aggregator.learntState()).isEmpty();
        aggregator.start().groups();
        assertThat(aggregator.learntState()).isEmpty();

        window(aggregator, "cache miss for item");
        assertThat(aggregator.learntState()).isNotEmpty();
        aggregator.restoreLearntState("");
        assertThat(aggregator.templateCount("orders")).isZero();
        assertThat(aggregator.learntState()).isEmpty();
    }

    @Test
    void writesTheSameTextAgainOnceRestored() {
        TemplateAggregator aggregator = new TemplateAggregator();
        window(aggregator, "order failed for alice at checkout", "order failed for bob at checkout",
                "order failed for carol at checkout", "order failed for dave at checkout", "cache state Active",
                "cache state Inactive", "cache state Active", "disk full on volume data",
                "Processing order 1 failed\njava.io.IOException: closed\n\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:2)",
                "Processing order 2 failed\njava.io.IOException: closed\n\tat a.B.c(B.java:10)\n\tat a.B.d(B.java:2)",
                "Sitzung für Benutzer \"jörg\" geschlossen: ✓", "");
        window(aggregator, "order failed for erin at checkout at noon", "order failed for frank at checkout at noon",
                "order failed for gus at checkout at noon", "order failed for hal at checkout at noon");
        String state = aggregator.learntState();

        assertThat(state).startsWith("{\"format\":\"template/1\",\"projects\":{\"orders\":{\"signatures\":[");
        assertThat(restored(state).learntState()).isEqualTo(state);
        assertThat(restored(state).templateCount("orders")).isEqualTo(aggregator.templateCount("orders"));
    }

    @Test
    void keepsTheOrderInWhichTemplatesWereLearntForALineThatTwoEquallySpecificTemplatesCover() {
        TemplateAggregator aggregator = new TemplateAggregator();
        String learntFirst = window(aggregator, "alice retried checkout", "bob retried checkout",
                "carol retried checkout", "dave retried checkout").get(0);
        String learntSecond = window(aggregator, "worker paused checkout", "worker stopped checkout",
                "worker failed checkout", "worker resumed checkout").get(0);
        String state = aggregator.learntState();

        // "<*> retried checkout" and "worker <*> checkout" both cover it, each with one <*>: the first learnt wins
        String continuing = window(aggregator, "worker retried checkout").get(0);
        String restarted = window(restored(state), "worker retried checkout").get(0);

        assertThat(learntSecond).isNotEqualTo(learntFirst);
        assertThat(continuing).isEqualTo(learntFirst);
        assertThat(restarted).isEqualTo(continuing);
    }

    @Test
    void aSyntheticRunWithARestartBeforeEveryWindowGivesTheGroupsOfOneContinuousRun() {
        List<List<LogEvent>> windows = syntheticWindows(40, 60, new Random(7));

        Run continuous = Run.of(windows, TemplateAggregator::new, Restart.NEVER);
        Run restored = Run.of(windows, TemplateAggregator::new, Restart.WITH_STATE);
        Run forgetful = Run.of(windows, TemplateAggregator::new, Restart.WITHOUT_STATE);

        assertThat(restored.groups).isEqualTo(continuous.groups);
        assertThat(restored.keys).isEqualTo(continuous.keys);
        assertThat(restored.state).isEqualTo(continuous.state);
        long moved = forgetful.linesKeyedOtherwiseThan(continuous);
        assertThat(moved).as("the run must be one where what was learnt matters").isPositive();
        System.out.printf(Locale.ROOT, "synthetic: %d windows of %d lines, %d kinds in 2 projects, learnt state %,d"
                + " chars; restarted without it, %d lines keyed otherwise%n", windows.size(), windows.get(0).size(),
                continuous.kinds(), continuous.state.length(), moved);
    }

    @Test
    void loghubSplitIntoWindowsWithARestartBeforeEveryWindowGivesTheGroupsOfOneContinuousRun() throws IOException {
        Optional<Path> loghub = sharedLoghub();
        assumeTrue(loghub.isPresent(), "shared/data/loghub-2k is not next to the repository");
        List<Path> files;
        try (Stream<Path> listing = Files.list(loghub.get())) {
            files = listing.filter(p -> p.getFileName().toString().endsWith("_structured.csv")).sorted().toList();
        }
        assertThat(files).hasSize(8);
        int total = 0;
        long movedWithoutState = 0;
        for (Path file : files) {
            String project = file.getFileName().toString().replace("_2k.log_structured.csv", "");
            List<List<LogEvent>> windows = loghubWindows(file, project, 200);

            Run continuous = Run.of(windows, TemplateAggregator::new, Restart.NEVER);
            Run restored = Run.of(windows, TemplateAggregator::new, Restart.WITH_STATE);
            Run forgetful = Run.of(windows, TemplateAggregator::new, Restart.WITHOUT_STATE);
            long moved = forgetful.linesKeyedOtherwiseThan(continuous);
            movedWithoutState += moved;

            assertThat(restored.keys).as(project).isEqualTo(continuous.keys);
            assertThat(restored.groups).as(project).isEqualTo(continuous.groups);
            assertThat(restored.state).as(project).isEqualTo(continuous.state);
            // bounded by the kinds learnt: a few hundred characters a kind, not a copy of the lines
            assertThat((long) continuous.state.length()).as(project).isLessThan(400 * continuous.kinds() + 200);
            total += continuous.state.length();
            System.out.printf(Locale.ROOT, "loghub %-10s 2000 lines in %d windows: %3d kinds, learnt state %,6d chars;"
                    + " restarted without it, %4d lines keyed otherwise%n", project, windows.size(),
                    continuous.kinds(), continuous.state.length(), moved);
        }
        System.out.printf(Locale.ROOT, "loghub all 8: learnt state %,d chars%n", total);
        assertThat(movedWithoutState).as("lines whose key needs the learnt state").isPositive();
    }

    @Test
    void aSmallerTemplateLimitKeepsTheKindsLearntFirstAndCountsTheOthersInTheOverflowGroup() {
        TemplateAggregator large = new TemplateAggregator();
        String zeta = window(large, "zeta happened").get(0);
        String beta = window(large, "beta went wrong here").get(0);
        window(large, "alpha is a third kind of message");
        String state = large.learntState();

        TemplateAggregator small = new TemplateAggregator(2, TemplateAggregator.DEFAULT_MAX_LINES_PER_WINDOW);
        small.restoreLearntState(state);
        Aggregation window = small.start();
        String z = window.add(LogEvent.of(T0, "orders", "zeta happened"));
        String b = window.add(LogEvent.of(T0, "orders", "beta went wrong here"));
        String a = window.add(LogEvent.of(T0, "orders", "alpha is a third kind of message"));
        List<ErrorGroup> groups = window.groups();

        assertThat(small.templateCount("orders")).isEqualTo(2);
        assertThat(window.keyOf(z)).isEqualTo(zeta);
        assertThat(window.keyOf(b)).isEqualTo(beta);
        assertThat(groups).filteredOn(g -> g.key().equals(window.keyOf(a))).singleElement()
                .satisfies(g -> assertThat(g.template()).isEqualTo(TemplateAggregator.OVERFLOW_TEMPLATE));
        assertThat(small.learntState()).doesNotContain("alpha").contains("zeta", "beta");
    }

    @Test
    void refusesATextThatIsNotJsonNamingWhatIsWrong() {
        TemplateAggregator aggregator = new TemplateAggregator();
        window(aggregator, "session closed for user alice", "session closed for user bob",
                "session closed for user carol", "session closed for user dave");
        String state = aggregator.learntState();

        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState(state.substring(0, state.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState(state + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState("   "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a JSON object");
        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a JSON object");
    }

    @Test
    void refusesTheTextOfAnotherFormatNamingTheFormat() {
        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState(
                "{\"format\":\"template/2\",\"projects\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is of format 'template/2'").hasMessageContaining("'template/1' only");
        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState("{\"version\":1,\"pending\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no 'format' marker");
        assertThatThrownBy(() -> new TemplateAggregator().restoreLearntState("{\"format\":1,\"projects\":{}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no 'format' marker");
    }

    @Test
    void readsATemplateGivenInFullOrLeftToItsKind() {
        String state = "{\"format\":\"template/1\",\"projects\":{\"p\":{\"signatures\":[\"\"],"
                + "\"kinds\":[[0,\"session closed for user <*>\"]],"
                + "\"patterns\":[[0,\"w\"],[0,\"session closed for user <*> <*>\",\"wv\"]]}}}";
        TemplateAggregator aggregator = new TemplateAggregator();
        aggregator.restoreLearntState(state);

        assertThat(aggregator.learntState()).isEqualTo(state);
        Aggregation window = aggregator.start();
        String one = window.add(LogEvent.of(T0, "p", "session closed for user erin"));
        String two = window.add(LogEvent.of(T0, "p", "session closed for user erin 42"));
        window.groups();
        assertThat(window.keyOf(one)).isEqualTo("T\u0000p\u0000\u0000session closed for user");
        assertThat(window.keyOf(two)).isEqualTo(window.keyOf(one));

        // learnt from values, the template does not cover a word there: the line is mined alone, and then its name
        // joins the kind as one more value of its variable, the kind's other words being the same
        aggregator.restoreLearntState(state.replace("[[0,\"w\"]", "[[0,\"v\"]"));
        Aggregation later = aggregator.start();
        String alone = later.add(LogEvent.of(T0, "p", "session closed for user erin"));
        String other = later.add(LogEvent.of(T0, "p", "session opened for user erin"));
        later.groups();
        assertThat(later.keyOf(alone)).isEqualTo("T\u0000p\u0000\u0000session closed for user");
        assertThat(later.keyOf(other)).isEqualTo("T\u0000p\u0000\u0000session opened for user erin");
    }

    @Test
    void refusesADamagedTextNamingTheField() {
        String ok = "{\"format\":\"template/1\",\"projects\":{\"p\":{\"signatures\":[\"\"],"
                + "\"kinds\":[[0,\"session closed for user <*>\"]],\"patterns\":[[0,\"w\"]]}}}";
        TemplateAggregator aggregator = new TemplateAggregator();
        aggregator.restoreLearntState(ok);
        assertThat(aggregator.learntState()).isEqualTo(ok);

        assertRefused(ok.replace(",\"projects\":{", ",\"extra\":1,\"projects\":{"), "unknown field 'extra'");
        assertRefused("{\"format\":\"template/1\"}", "no field 'projects'");
        assertRefused("{\"format\":\"template/1\",\"projects\":[]}", "'projects' that is not an object");
        assertRefused(ok.replace("{\"p\":{", "{\"p\":{\"p2\":0,"), "unknown field 'p2' in project 'p'");
        assertRefused(ok.replace("\"signatures\":[\"\"],", ""), "no field 'signatures' in project 'p'");
        assertRefused(ok.replace("\"signatures\":[\"\"]", "\"signatures\":[null]"),
                "signatures[0] that is not a string");
        assertRefused(ok.replace("\"kinds\":[[0,", "\"kinds\":[[\"0\","), "project 'p': kinds[0][0]");
        assertRefused(ok.replace("\"kinds\":[[0,", "\"kinds\":[[1,"), "kinds[0][0] 1 that is not an index from 0 to 0");
        assertRefused(ok.replace("\"kinds\":[[0,", "\"kinds\":[[0.5,"), "kinds[0][0] 0.5 that is not an index");
        assertRefused(ok.replace("<*>\"]],", "<*>\"],[0,\"session closed for user <*>\"]],"),
                "kinds[1] of the same signature and words as kinds[0]");
        assertRefused(ok.replace("[[0,\"w\"]]", "[[3,\"w\"]]"), "patterns[0][0] 3");
        assertRefused(ok.replace("[[0,\"w\"]]", "[[0,\"wv\"]]"), "patterns[0][1] 'wv' that is not one letter");
        assertRefused(ok.replace("[[0,\"w\"]]", "[[0,\"x\"]]"), "patterns[0][1] 'x'");
        assertRefused(ok.replace("[[0,\"w\"]]", "[[0]]"), "patterns[0] that is not an array");
        assertRefused(ok.replace("[[0,\"w\"]]", "[[0,\"session opened for user <*>\",\"w\"]]"),
                "patterns[0][1] 'session opened for user <*>' whose words are not those of kinds[0]");
        assertRefused(ok.replace("[[0,\"w\"]]", "[[0,\"w\"],[0,\"session closed for user <*>\",\"v\"]]"),
                "patterns[1] that repeats a template of kinds[0]");
        assertRefused(ok.replace("\"format\":\"template/1\",", "\"format\":\"template/1\",\"format\":\"x\","),
                "is not JSON: Duplicate field 'format'");
        StringBuilder many = new StringBuilder("[[0,\"w\"]");
        for (int i = 1; i <= TemplateAggregator.MAX_PATTERNS_PER_KIND; i++) {
            many.append(",[0,\"session closed for user <*>").append(" <*>".repeat(i)).append("\",\"")
                    .append("w".repeat(i + 1)).append("\"]");
        }
        assertRefused(ok.replace("[[0,\"w\"]]", many + "]"), "more than 16 patterns of kinds[0]");
    }

    private static void assertRefused(String state, String why) {
        TemplateAggregator aggregator = new TemplateAggregator();
        window(aggregator, "disk full on volume data");
        String before = aggregator.learntState();

        assertThatThrownBy(() -> aggregator.restoreLearntState(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learnt state given to the template aggregator").hasMessageContaining(why);
        assertThat(aggregator.learntState()).as("what it had, kept").isEqualTo(before);
    }

    @Test
    void theAggregatorsThatLearnNothingWriteNothingAndRefuseTemplates() {
        TemplateAggregator template = new TemplateAggregator();
        window(template, "disk full on volume data");
        for (Aggregator learnsNothing : List.of(new ExactAggregator(), new FingerprintAggregator())) {
            window(learnsNothing, "disk full on volume data");
            assertThat(learnsNothing.learntState()).isEmpty();
            learnsNothing.restoreLearntState("");
            assertThatThrownBy(() -> learnsNothing.restoreLearntState(template.learntState()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(learnsNothing.name())
                    .hasMessageContaining("learns nothing");
        }
    }

    @Test
    void keepsNoMoreKindsThanTheLimitAllows() throws IOException {
        TemplateAggregator aggregator = new TemplateAggregator(5, TemplateAggregator.DEFAULT_MAX_LINES_PER_WINDOW);
        String[] words = "disk full on volume data again right now".split(" ");
        List<String> messages = new ArrayList<>();
        for (int n = 1; n <= words.length; n++) {
            messages.add(String.join(" ", List.of(words).subList(0, n)));
        }
        window(aggregator, messages.toArray(String[]::new));
        String state = aggregator.learntState();

        assertThat(new ObjectMapper().readTree(state).at("/projects/orders/kinds").size()).isEqualTo(5);
        assertThat(restored(state).templateCount("orders")).isEqualTo(5);
    }

    // ---------------------------------------------------------------- runs over many windows

    private enum Restart { NEVER, WITH_STATE, WITHOUT_STATE }

    /** The keys of every record and the groups of every window of one run, and the learnt state at its end. */
    private record Run(List<List<String>> keys, List<List<ErrorGroup>> groups, String state) {

        static Run of(List<List<LogEvent>> windows, Supplier<TemplateAggregator> create, Restart restart) {
            List<List<String>> keys = new ArrayList<>();
            List<List<ErrorGroup>> groups = new ArrayList<>();
            TemplateAggregator aggregator = create.get();
            String state = "";
            for (List<LogEvent> events : windows) {
                if (restart != Restart.NEVER) {
                    aggregator = create.get();
                    if (restart == Restart.WITH_STATE) {
                        aggregator.restoreLearntState(state);
                    }
                }
                Aggregation aggregation = aggregator.start();
                List<String> added = new ArrayList<>();
                for (LogEvent event : events) {
                    added.add(aggregation.add(event));
                }
                groups.add(aggregation.groups());
                keys.add(added.stream().map(aggregation::keyOf).toList());
                state = aggregator.learntState();
            }
            return new Run(keys, groups, state);
        }

        /** The records whose key differs from their key in {@code other}, a run over the same windows. */
        long linesKeyedOtherwiseThan(Run other) {
            long n = 0;
            for (int w = 0; w < keys.size(); w++) {
                for (int i = 0; i < keys.get(w).size(); i++) {
                    if (!keys.get(w).get(i).equals(other.keys.get(w).get(i))) {
                        n++;
                    }
                }
            }
            return n;
        }

        /** The kinds the run's groups had over all its windows. */
        long kinds() {
            return groups.stream().flatMap(List::stream).map(ErrorGroup::key).distinct().count();
        }
    }

    /**
     * Windows of lines of two projects from a few dozen templates whose variables are words or values, some of them
     * rare, so that many windows show a variable with one value only; a few are stack traces.
     */
    private static List<List<LogEvent>> syntheticWindows(int count, int size, Random random) {
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
            "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yves"};
        String[] hosts = {"gateway", "billing", "ledger", "search", "mailer", "indexer", "auth", "cdn"};
        String[] queues = {"emails", "invoices", "refunds", "exports", "imports", "audits"};
        String[] states = {"SUCCEEDED", "FAILED", "KILLED"};
        List<Supplier<String>> templates = List.of(
            () -> "session closed for user " + pick(users, random),
            () -> "order " + random.nextInt(100_000) + " failed for customer " + pick(users, random),
            () -> "connection to " + pick(hosts, random) + " refused after " + random.nextInt(900) + " ms",
            () -> "cache " + pick(hosts, random) + " is " + (random.nextBoolean() ? "warm" : "cold"),
            () -> "job " + random.nextInt(5000) + " finished in state " + pick(states, random),
            () -> "queue " + pick(queues, random) + " backlog reached " + random.nextInt(10_000) + " messages",
            () -> "user " + pick(users, random) + " exceeded quota on " + pick(hosts, random),
            () -> "retrying " + pick(queues, random) + " delivery to " + pick(hosts, random) + " attempt "
                    + random.nextInt(5),
            () -> "Processing order " + random.nextInt(9999) + " for " + pick(users, random) + " failed\n"
                    + "java.io.IOException: connection reset\n\tat com.shop.Orders.pay(Orders.java:"
                    + (40 + random.nextInt(3)) + ")\n\tat com.shop.Orders.run(Orders.java:12)",
            () -> "Lookup of " + pick(hosts, random) + " timed out\njava.net.SocketTimeoutException: "
                    + random.nextInt(3000) + " ms\n\tat com.shop.Dns.resolve(Dns.java:88)",
            () -> "scheduler skipped " + pick(queues, random) + " run",
            () -> "disk " + pick(new String[] {"data", "logs", "tmp"}, random) + " is " + random.nextInt(100)
                    + "% full");
        double[] weights = {8, 6, 4, 3, 3, 2, 2, 1, 2, 1, 0.5, 0.5};
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        List<List<LogEvent>> windows = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            List<LogEvent> events = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                double r = random.nextDouble() * sum;
                int t = 0;
                while (r >= weights[t]) {
                    r -= weights[t];
                    t++;
                }
                String project = random.nextInt(3) == 0 ? "billing" : "orders";
                events.add(LogEvent.of(T0.plusSeconds(60L * w + i), project, templates.get(t).get()));
            }
            windows.add(events);
        }
        return windows;
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }

    /** The {@code Content} of every line of a Loghub structured file, in windows of {@code size} lines. */
    private static List<List<LogEvent>> loghubWindows(Path file, String project, int size) throws IOException {
        List<List<String>> records;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            records = readCsv(in);
        }
        int content = records.get(0).indexOf("Content");
        assertThat(content).as(file + " has a Content column").isNotNegative();
        List<List<LogEvent>> windows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            if ((i - 1) % size == 0) {
                windows.add(new ArrayList<>());
            }
            windows.get(windows.size() - 1)
                    .add(LogEvent.of(T0.plusMillis(i), project, records.get(i).get(content)));
        }
        return windows;
    }

    /** RFC 4180 records: a field in double quotes may hold commas, line breaks and doubled quotes. */
    private static List<List<String>> readCsv(BufferedReader in) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int c;
        while ((c = in.read()) != -1) {
            char ch = (char) c;
            if (quoted) {
                if (ch != '"') {
                    field.append(ch);
                } else {
                    in.mark(1);
                    if (in.read() == '"') {
                        field.append('"');
                    } else {
                        in.reset();
                        quoted = false;
                    }
                }
            } else if (ch == '"' && field.length() == 0) {
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }

    /** {@code shared/data/loghub-2k} beside the repository, found by walking up from the working folder. */
    private static Optional<Path> sharedLoghub() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve("loghub-2k");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
