package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups records by the template they were printed from, mined from the whole window at once by word frequency, in
 * the manner of Brain (Yu et al., 2023): {@code order 8812 failed} and {@code order 9017 failed} become
 * {@code order <*> failed}, {@code session closed for user alice}, {@code … bob}, {@code … carol} and
 * {@code … dave} become {@code session closed for user <*>}, while {@code state Active} and {@code state Inactive},
 * two values that recur, stay two kinds.
 *
 * <p>While a window is read, each record's first line is masked ({@link MessageMasker}, keeping the words that only
 * the window can tell constant or variable) and counted by its distinct masked line and stack signature (exception
 * type and top frames, see {@link StackSignature}). {@link Aggregation#groups()} then mines the distinct lines of
 * each project and signature:
 * <ol>
 * <li>Lines are compared only with lines of the same length and the same shape (which tokens hold letters).</li>
 * <li>Within those, each (position, token) is counted over the distinct lines. A line's constant part is its
 *     tokens of the frequency that most of its tokens share (the longest common pattern), and any of higher
 *     frequency; lines with the same constant part start one group, the rest of their positions are open.</li>
 * <li>An open position where a masked value (a number, an address, a path) appears in at least
 *     {@link #MIN_VALUE_EVIDENCE} records (occurrences included, so the evidence grows with the window's volume)
 *     is a variable. Otherwise, if it holds at most
 *     {@link #MAX_CONSTANT_VALUES} distinct words, they are constants that differ and the group splits by them;
 *     more distinct words are a variable. Splitting repeats in each part.</li>
 * <li>Groups whose templates have the same words in the same order, once value-only tokens are left out and
 *     repeated tokens taken once, are one kind: optional values ({@code 1190 bytes sent} and
 *     {@code 1190 bytes (1.16 KB) sent}) and lists of values of any length.</li>
 * </ol>
 *
 * <p>Type {@code template}. A group's key is its project, signature and those words, so the same kind of error gets
 * the same key in every window and every JVM. The templates learnt belong to the aggregator: in later windows a line
 * that a learnt template covers joins it before mining, so a variable seen to vary once stays a variable in a window
 * that shows one value. The key {@code add} returns is final only after {@code groups()}: see
 * {@link Aggregation#keyOf(String)}. Memory is bounded: a window keeps at most {@code maxLinesPerProject} distinct
 * lines per project (further new lines join a learnt template they fit, or the overflow group), and a project holds
 * at most {@code maxTemplatesPerProject} kinds; lines of further kinds are counted in one overflow group per project
 * whose template is {@link #OVERFLOW_TEMPLATE}. Deterministic: the same records in the same order give the same
 * groups and keys. Serves one aggregation at a time (as every aggregator does) and is not thread-safe.
 */
public final class TemplateAggregator implements Aggregator {

    /** The type name of this aggregator. */
    public static final String TYPE = "template";

    /** The template of the group that counts records of a project that has no room for another kind. */
    public static final String OVERFLOW_TEMPLATE = "(other messages: template limit reached)";

    /** Default of {@code max-templates-per-project}. */
    public static final int DEFAULT_MAX_TEMPLATES_PER_PROJECT = 1_000;

    /** Default of {@code max-lines-per-window}. */
    public static final int DEFAULT_MAX_LINES_PER_WINDOW = 20_000;

    /**
     * The most distinct words an open position may hold and still be read as constants that differ. A statement's
     * wording seldom comes in more than a handful of variants (on/off, opened/closed/failed), while a variable slot
     * (users, hosts, names) soon shows more; three is the smallest bound that keeps three-way variants apart.
     */
    static final int MAX_CONSTANT_VALUES = 3;

    /**
     * Records with a masked value at an open position that make it a variable; one odd record is not enough
     * evidence to merge it with a group whose position is otherwise constant.
     */
    static final int MIN_VALUE_EVIDENCE = 2;

    /** Variants of one template (shapes) remembered per kind for later windows. */
    private static final int MAX_PATTERNS_PER_KIND = 16;

    private static final String WILDCARD = MessageMasker.WILDCARD;

    /** Units that, after a number, are part of its value: {@code 5.2 KB}, {@code 30 ms}. */
    private static final Set<String> UNITS = Set.of("B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB",
            "ns", "us", "µs", "ms", "s", "sec", "secs", "min", "mins");

    private final int maxTemplatesPerProject;
    private final int maxLinesPerWindow;
    private final Map<String, Learnt> learnt = new HashMap<>();

    /** A template aggregator with the default limits. */
    public TemplateAggregator() {
        this(DEFAULT_MAX_TEMPLATES_PER_PROJECT, DEFAULT_MAX_LINES_PER_WINDOW);
    }

    /**
     * A template aggregator.
     *
     * @param maxTemplatesPerProject kinds a project may hold before lines of new kinds overflow, at least 1
     * @param maxLinesPerWindow      distinct masked lines a window keeps per project, at least 1
     */
    public TemplateAggregator(int maxTemplatesPerProject, int maxLinesPerWindow) {
        if (maxTemplatesPerProject < 1) {
            throw new IllegalArgumentException("maxTemplatesPerProject must be at least 1, was "
                    + maxTemplatesPerProject);
        }
        if (maxLinesPerWindow < 1) {
            throw new IllegalArgumentException("maxLinesPerWindow must be at least 1, was " + maxLinesPerWindow);
        }
        this.maxTemplatesPerProject = maxTemplatesPerProject;
        this.maxLinesPerWindow = maxLinesPerWindow;
    }

    @Override
    public Aggregation start() {
        return new Window();
    }

    /** The number of kinds learnt for {@code project}. */
    int templateCount(String project) {
        Learnt kinds = learnt.get(project);
        return kinds == null ? 0 : kinds.displays.size();
    }

    @Override
    public String name() {
        return TYPE;
    }

    /**
     * The masked first line of {@code message}, tokens separated by one space, units folded into the values before
     * them; built in {@code scratch}.
     */
    static String maskedLine(String message, StringBuilder scratch) {
        return foldUnits(MessageMasker.maskFirstLine(message, true, scratch));
    }

    /** {@code <*> KB,} → {@code <*>,}: a unit after a masked number belongs to the value. */
    static String foldUnits(String masked) {
        int at = masked.indexOf(WILDCARD + " ");
        if (at < 0) {
            return masked;
        }
        StringBuilder out = null;
        int copied = 0;
        while (at >= 0) {
            int from = at + WILDCARD.length() + 1;
            int end = masked.indexOf(' ', from);
            if (end < 0) {
                end = masked.length();
            }
            int core = end;
            while (core > from && isClosing(masked.charAt(core - 1))) {
                core--;
            }
            if (core > from && UNITS.contains(masked.substring(from, core))) {
                if (out == null) {
                    out = new StringBuilder(masked.length());
                }
                out.append(masked, copied, at + WILDCARD.length()).append(masked, core, end);
                copied = end;
            }
            at = masked.indexOf(WILDCARD + " ", Math.max(from, copied));
        }
        if (out == null) {
            return masked;
        }
        return out.append(masked, copied, masked.length()).toString();
    }

    private static boolean isClosing(char c) {
        return c == ',' || c == ';' || c == ':' || c == '.' || c == ')' || c == ']' || c == '}';
    }

    private static String[] split(String masked) {
        if (masked.isEmpty()) {
            return new String[0];
        }
        int count = 1;
        for (int i = 0; i < masked.length(); i++) {
            if (masked.charAt(i) == ' ') {
                count++;
            }
        }
        String[] tokens = new String[count];
        int from = 0;
        int n = 0;
        for (int i = 0; i <= masked.length(); i++) {
            if (i == masked.length() || masked.charAt(i) == ' ') {
                tokens[n++] = masked.substring(from, i);
                from = i + 1;
            }
        }
        return tokens;
    }

    private static boolean hasLetter(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isLetter(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Which tokens hold letters, as a string of {@code w} and {@code v}, after the length. */
    private static String shape(String[] tokens) {
        StringBuilder shape = new StringBuilder(tokens.length + 8).append(tokens.length).append(':');
        for (String token : tokens) {
            shape.append(hasLetter(token) ? 'w' : 'v');
        }
        return shape.toString();
    }

    /** The words of a template: tokens with letters, a token repeated next to itself taken once. */
    static String words(String[] template) {
        StringBuilder words = new StringBuilder();
        String last = null;
        for (String token : template) {
            if (!hasLetter(token) || token.equals(last)) {
                continue;
            }
            if (words.length() > 0) {
                words.append(' ');
            }
            words.append(token);
            last = token;
        }
        return words.toString();
    }

    private static String render(String[] template, String signature) {
        StringBuilder out = new StringBuilder(String.join(" ", template));
        if (!signature.isEmpty()) {
            int at = signature.indexOf('\n');
            out.append('\n').append(at < 0 ? signature : signature.substring(0, at));
            if (at >= 0) {
                out.append(signature.substring(at).replace("\n", "\n\tat "));
            }
        }
        return out.toString();
    }

    private static String overflowKey(String project) {
        return "O\u0000" + project;
    }

    /** One window: its distinct lines while it is read, its groups once asked. */
    private final class Window implements Aggregation {
        /** Distinct lines by their parts: a lookup that hashes and compares them without building a key string. */
        private final Map<LookupKey, Line> lines = new LinkedHashMap<>();
        private final Map<String, Integer> linesPerProject = new HashMap<>();
        private final Map<String, String> finalKeys = new HashMap<>();
        private final StringBuilder scratch = new StringBuilder();

        @Override
        public String add(LogEvent event) {
            String project = event.project();
            String signature = StackSignature.of(event);
            String masked = maskedLine(event.message(), scratch);
            // what makes a line distinct in a window; fixed lines are counted straight into a known group
            LookupKey lineKey = new LookupKey(project, signature, masked, false);
            Line line = lines.get(lineKey);
            if (line != null) {
                line.count(event);
                return line.addedKey;
            }
            int kept = linesPerProject.getOrDefault(project, 0);
            if (kept < maxLinesPerWindow) {
                String key = "L\u0000" + project + '\u0000' + signature + '\u0000' + masked;
                lines.put(lineKey, new Line(key, project, signature, masked, event, null));
                linesPerProject.put(project, kept + 1);
                return key;
            }
            // no room for another distinct line: a learnt kind it fits, or the overflow group
            Learnt kinds = learnt.get(project);
            String groupKey = kinds == null ? null : kinds.match(signature, split(masked), true);
            if (groupKey == null) {
                groupKey = overflowKey(project);
            }
            LookupKey fixedLineKey = new LookupKey(project, "", groupKey, true);
            Line fixed = lines.get(fixedLineKey);
            if (fixed == null) {
                fixed = new Line("F\u0000" + groupKey, project, signature, masked, event, groupKey);
                lines.put(fixedLineKey, fixed);
            } else {
                fixed.count(event);
            }
            return fixed.addedKey;
        }

        @Override
        public List<ErrorGroup> groups() {
            finalKeys.clear();
            Map<String, Group> groups = new LinkedHashMap<>();
            Map<String, List<Line>> partitions = new LinkedHashMap<>();
            lines.values().forEach(line -> {
                if (line.fixedKey != null) {
                    Learnt kinds = learnt.get(line.project);
                    String display = line.fixedKey.startsWith("O\u0000") ? OVERFLOW_TEMPLATE
                            : kinds.displays.get(line.fixedKey);
                    assign(groups, line.addedKey, line, line.fixedKey, display);
                } else {
                    partitions.computeIfAbsent(line.project + '\u0000' + line.signature, k -> new ArrayList<>())
                            .add(line);
                }
            });
            for (List<Line> partition : partitions.values()) {
                String project = partition.get(0).project;
                String signature = partition.get(0).signature;
                Learnt kinds = learnt.computeIfAbsent(project, p -> new Learnt());
                List<Line> unknown = new ArrayList<>();
                for (Line line : partition) {
                    String known = kinds.match(signature, line.tokens(), false);
                    if (known == null) {
                        unknown.add(line);
                    } else {
                        assign(groups, line.addedKey, line, known, kinds.displays.get(known));
                    }
                }
                Map<String, List<Cluster>> byWords = new LinkedHashMap<>();
                for (Cluster cluster : mine(unknown)) {
                    byWords.computeIfAbsent(words(cluster.template), w -> new ArrayList<>()).add(cluster);
                }
                byWords.forEach((words, clusters) -> {
                    String key = "T\u0000" + project + '\u0000' + signature + '\u0000' + words;
                    Cluster largest = clusters.get(0);
                    for (Cluster cluster : clusters) {
                        if (cluster.count > largest.count) {
                            largest = cluster;
                        }
                    }
                    String display;
                    if (kinds.displays.containsKey(key) || kinds.displays.size() < maxTemplatesPerProject) {
                        display = render(largest.template, signature);
                        kinds.learn(key, display, signature, clusters);
                    } else {
                        key = overflowKey(project);
                        display = OVERFLOW_TEMPLATE;
                    }
                    for (Cluster cluster : clusters) {
                        for (Line line : cluster.members) {
                            assign(groups, line.addedKey, line, key, display);
                        }
                    }
                });
            }
            List<ErrorGroup> result = new ArrayList<>(groups.size());
            groups.forEach((key, g) -> result.add(g.tally.toGroup(key, g.display)));
            return result;
        }

        private void assign(Map<String, Group> groups, String lineKey, Line line, String key, String display) {
            finalKeys.put(lineKey, key);
            Group group = groups.get(key);
            if (group == null) {
                groups.put(key, new Group(line, display));
            } else {
                group.add(line);
            }
        }

        @Override
        public String keyOf(String addedKey) {
            String key = finalKeys.get(addedKey);
            return key == null ? addedKey : key;
        }
    }

    /**
     * Mines the lines of one project and signature into clusters: by length and shape, then by longest common
     * pattern, then split where an open position holds few distinct words.
     */
    static List<Cluster> mine(List<Line> lines) {
        Map<String, List<Line>> byShape = new LinkedHashMap<>();
        for (Line line : lines) {
            byShape.computeIfAbsent(shape(line.tokens()), s -> new ArrayList<>()).add(line);
        }
        List<Cluster> clusters = new ArrayList<>();
        for (List<Line> bucket : byShape.values()) {
            int length = bucket.get(0).tokens().length;
            List<Map<String, Integer>> frequencies = new ArrayList<>(length);
            for (int p = 0; p < length; p++) {
                frequencies.add(new HashMap<>());
            }
            for (Line line : bucket) {
                String[] tokens = line.tokens();
                for (int p = 0; p < length; p++) {
                    frequencies.get(p).merge(tokens[p], 1, Integer::sum);
                }
            }
            Map<String, List<Line>> initial = new LinkedHashMap<>();
            Map<String, boolean[]> open = new HashMap<>();
            for (Line line : bucket) {
                String[] tokens = line.tokens();
                int[] frequency = new int[length];
                Map<Integer, Integer> sharing = new HashMap<>();
                for (int p = 0; p < length; p++) {
                    frequency[p] = frequencies.get(p).get(tokens[p]);
                    if (!tokens[p].equals(WILDCARD)) {
                        sharing.merge(frequency[p], 1, Integer::sum);
                    }
                }
                // the frequency most tokens share (the higher one on a tie) marks the longest common pattern
                int root = Integer.MAX_VALUE;
                int most = 0;
                for (Map.Entry<Integer, Integer> e : sharing.entrySet()) {
                    if (e.getValue() > most || (e.getValue() == most && e.getKey() > root)) {
                        root = e.getKey();
                        most = e.getValue();
                    }
                }
                boolean[] variable = new boolean[length];
                StringBuilder key = new StringBuilder();
                for (int p = 0; p < length; p++) {
                    variable[p] = frequency[p] < root && !tokens[p].equals(WILDCARD);
                    key.append(variable[p] ? "\u0001" : tokens[p]).append('\u0000');
                }
                String k = key.toString();
                initial.computeIfAbsent(k, x -> new ArrayList<>()).add(line);
                open.putIfAbsent(k, variable);
            }
            initial.forEach((k, members) -> split(members, open.get(k), clusters));
        }
        return clusters;
    }

    private static void split(List<Line> start, boolean[] startOpen, List<Cluster> clusters) {
        Deque<Object[]> work = new ArrayDeque<>();
        work.push(new Object[] {start, startOpen});
        while (!work.isEmpty()) {
            Object[] task = work.pop();
            @SuppressWarnings("unchecked")
            List<Line> members = (List<Line>) task[0];
            boolean[] open = (boolean[]) task[1];
            int at = splitPosition(members, open);
            if (at < 0) {
                clusters.add(new Cluster(members));
                continue;
            }
            Map<String, List<Line>> parts = new LinkedHashMap<>();
            for (Line line : members) {
                parts.computeIfAbsent(line.tokens()[at], v -> new ArrayList<>()).add(line);
            }
            boolean[] rest = open.clone();
            rest[at] = false;
            List<List<Line>> ordered = new ArrayList<>(parts.values());
            for (int i = ordered.size() - 1; i >= 0; i--) {
                work.push(new Object[] {ordered.get(i), rest});
            }
        }
    }

    /** The first open position whose few distinct words are constants that differ, or -1. */
    private static int splitPosition(List<Line> members, boolean[] open) {
        for (int p = 0; p < open.length; p++) {
            if (!open[p]) {
                continue;
            }
            Map<String, Long> values = new LinkedHashMap<>();
            for (Line line : members) {
                values.merge(line.tokens()[p], line.tally.count(), Long::sum);
                if (values.size() > MAX_CONSTANT_VALUES) {
                    // more words than constants take: this position cannot split, whatever the rest holds
                    break;
                }
            }
            if (values.size() > 1 && values.size() <= MAX_CONSTANT_VALUES
                    && valueEvidence(values) < MIN_VALUE_EVIDENCE) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Records whose token, past the prefix and before the suffix all the values share, is a masked value: in
     * {@code rhost=<*>} and {@code rhost=gw.example.org} the part that differs is once a value.
     */
    private static long valueEvidence(Map<String, Long> values) {
        String prefix = null;
        for (String value : values.keySet()) {
            if (prefix == null) {
                prefix = value;
            } else {
                int n = 0;
                while (n < prefix.length() && n < value.length() && prefix.charAt(n) == value.charAt(n)) {
                    n++;
                }
                prefix = prefix.substring(0, n);
            }
        }
        int pre = prefix == null ? 0 : prefix.length();
        int suf = Integer.MAX_VALUE;
        String first = null;
        for (String value : values.keySet()) {
            if (first == null) {
                first = value;
                suf = value.length() - pre;
            } else {
                int n = 0;
                while (n < suf && n < value.length() - pre
                        && first.charAt(first.length() - 1 - n) == value.charAt(value.length() - 1 - n)) {
                    n++;
                }
                suf = n;
            }
        }
        long evidence = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            String value = e.getKey();
            int end = Math.max(pre, value.length() - suf);
            String differing = value.substring(pre, end);
            if (differing.contains(WILDCARD) && !hasLetter(differing)) {
                evidence += e.getValue();
            }
        }
        return evidence;
    }

    /** One distinct masked line of a window and what it counted. */
    static final class Line {
        private final String addedKey;
        private final String project;
        private final String signature;
        private final String masked;
        private final String fixedKey;
        private final Tally tally;
        private String[] tokens;

        Line(String addedKey, String project, String signature, String masked, LogEvent first, String fixedKey) {
            this.addedKey = addedKey;
            this.project = project;
            this.signature = signature;
            this.masked = masked;
            this.fixedKey = fixedKey;
            this.tally = new Tally(first);
        }

        String[] tokens() {
            if (tokens == null) {
                tokens = split(masked);
            }
            return tokens;
        }

        void count(LogEvent event) {
            tally.add(event);
        }
    }

    /** Lines mined into one template. */
    static final class Cluster {
        private final List<Line> members;
        private final String[] template;
        private final long count;

        Cluster(List<Line> members) {
            this.members = members;
            String[] first = members.get(0).tokens();
            this.template = first.clone();
            long total = 0;
            for (Line line : members) {
                String[] tokens = line.tokens();
                for (int p = 0; p < template.length; p++) {
                    if (!template[p].equals(tokens[p])) {
                        template[p] = WILDCARD;
                    }
                }
                total += line.tally.count();
            }
            this.count = total;
        }
    }

    /** The counts of one group in one window. */
    private static final class Group {
        private final String display;
        private final Tally tally;

        Group(Line first, String display) {
            this.display = display;
            this.tally = new Tally(first.tally);
        }

        void add(Line line) {
            tally.add(line.tally);
        }
    }

    /** The kinds learnt for one project: their templates, by signature and length, for later windows. */
    private static final class Learnt {
        private final Map<String, String> displays = new HashMap<>();
        private final Map<String, List<Pattern>> patterns = new HashMap<>();
        private final Map<String, Integer> patternsPerKind = new HashMap<>();
        private final Set<String> known = new HashSet<>();

        void learn(String key, String display, String signature, List<Cluster> clusters) {
            displays.put(key, display);
            for (Cluster cluster : clusters) {
                String[] template = cluster.template;
                if (patternsPerKind.getOrDefault(key, 0) >= MAX_PATTERNS_PER_KIND
                        || !known.add(key + '\u0000' + String.join(" ", template))) {
                    continue;
                }
                patternsPerKind.merge(key, 1, Integer::sum);
                patterns.computeIfAbsent(signature + '\u0000' + template.length, k -> new ArrayList<>())
                        .add(new Pattern(key, template, cluster.members.get(0).tokens()));
            }
        }

        /**
         * The key of the most specific learnt template that covers {@code tokens}, or null. Without
         * {@code exactToo}, only templates with a {@code <*>} count: a line that an earlier window saw alone must
         * still be mined with its neighbours, or a narrow first window would pin one kind per value for good.
         */
        String match(String signature, String[] tokens, boolean exactToo) {
            List<Pattern> candidates = patterns.get(signature + '\u0000' + tokens.length);
            if (candidates == null) {
                return null;
            }
            Pattern best = null;
            for (Pattern candidate : candidates) {
                if ((exactToo || candidate.wildcards > 0) && candidate.covers(tokens)
                        && (best == null || candidate.wildcards < best.wildcards)) {
                    best = candidate;
                }
            }
            return best == null ? null : best.key;
        }
    }

    /**
     * A learnt template: its tokens, {@code <*>} where its lines differed, and which tokens of its lines held letters
     * (its shape), which a line must share.
     */
    private static final class Pattern {
        private final String key;
        private final String[] template;
        private final boolean[] letters;
        private final int wildcards;

        Pattern(String key, String[] template, String[] shapeOf) {
            this.key = key;
            this.template = template;
            this.letters = new boolean[template.length];
            int n = 0;
            for (int p = 0; p < template.length; p++) {
                letters[p] = hasLetter(shapeOf[p]);
                if (template[p].equals(WILDCARD)) {
                    n++;
                }
            }
            this.wildcards = n;
        }

        boolean covers(String[] tokens) {
            for (int p = 0; p < tokens.length; p++) {
                if (template[p].equals(WILDCARD) ? letters[p] != hasLetter(tokens[p])
                        : !template[p].equals(tokens[p])) {
                    return false;
                }
            }
            return true;
        }
    }
}
