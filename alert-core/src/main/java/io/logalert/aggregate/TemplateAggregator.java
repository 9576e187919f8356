package io.logalert.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
    static final int MAX_PATTERNS_PER_KIND = 16;

    /** The format marker and version of the text {@link #learntState()} writes and the only one it reads back. */
    public static final String STATE_FORMAT = "template/1";

    /** Duplicate fields and text after the document are damage, not something to read past. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        return kinds == null ? 0 : kinds.byKey.size();
    }

    @Override
    public String name() {
        return TYPE;
    }

    /**
     * The templates learnt, as one line of JSON, or {@code ""} when nothing has been learnt yet. Restored into an
     * aggregator with the same limits, it makes that aggregator group every later window exactly as this one would,
     * with the same keys. Projects are sorted, kinds keep the order in which they were first learnt and templates the
     * order in which they were learnt, so the same learning gives the same text. Its size is bounded by the limits:
     * at most {@code maxTemplatesPerProject} kinds per project, each with at most 16 templates (a hundred characters
     * or so a kind on the Loghub samples).
     *
     * <p>The format, {@value #STATE_FORMAT}, uses arrays rather than objects to stay small:
     * <pre>{@code
     * {"format":"template/1","projects":{"orders":{
     *   "signatures":["","java.io.IOException\na.B.c"],
     *   "kinds":[[0,"order <*> failed"],[1,"read <*> bytes"]],
     *   "patterns":[[0,"v"],[1,"v"],[1,"read <*> bytes <*>","vw"]]}}}
     * }</pre>
     * {@code signatures} are the stack signatures of the project's kinds, each once. A kind is the index of its
     * signature and the template shown for it, tokens separated by one space; its key is the project, the signature
     * and the template's words, as in a window. A pattern is a template a line is matched with in later windows: the
     * index of its kind, its tokens unless they are those of its kind's template (as they most often are), and for
     * each {@code <*>} in order whether the lines it came from held a word ({@code w}) or a value ({@code v}) there.
     */
    @Override
    public String learntState() {
        ObjectNode projects = JSON.createObjectNode();
        for (String project : new TreeSet<>(learnt.keySet())) {
            Learnt kinds = learnt.get(project);
            if (!kinds.byKey.isEmpty()) {
                projects.set(project, kinds.toJson(project));
            }
        }
        if (projects.isEmpty()) {
            return "";
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("format", STATE_FORMAT);
        state.set("projects", projects);
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the templates learnt as JSON", e);
        }
    }

    /**
     * Replaces what this aggregator has learnt by {@code state}, a text {@link #learntState()} wrote; {@code ""}
     * forgets everything learnt. Call it between aggregations, before the first one after a restart. The text is
     * checked whole before anything is replaced: on an exception the aggregator keeps what it had.
     *
     * <p>Limits: when this aggregator's {@code maxTemplatesPerProject} is smaller than the number of kinds a project
     * holds in {@code state}, the kinds learnt first are kept, up to the limit, and the others are dropped with their
     * templates; their lines are then counted in the project's overflow group ({@link #OVERFLOW_TEMPLATE}), as lines
     * of kinds beyond the limit always are, so the limit stays a bound on memory and what is dropped stays visible.
     * A larger limit keeps every kind and leaves room for more. {@code maxLinesPerWindow} plays no part.
     *
     * @param state the text {@link #learntState()} returned, or {@code ""}
     * @throws IllegalArgumentException when {@code state} is not of format {@value #STATE_FORMAT} or is damaged
     *                                  (not JSON, a field missing, unknown or of the wrong type, an index out of
     *                                  range, a template repeated or not of its kind), naming what and where
     */
    @Override
    public void restoreLearntState(String state) {
        Objects.requireNonNull(state, "state");
        Map<String, Learnt> restored = new HashMap<>();
        if (!state.isEmpty()) {
            JsonNode root;
            try {
                root = JSON.readTree(state);
            } catch (JsonProcessingException e) {
                throw invalid("is not JSON: " + firstLine(e));
            }
            if (root == null || !root.isObject()) {
                throw invalid("is not a JSON object");
            }
            JsonNode format = root.get("format");
            if (format == null || !format.isTextual()) {
                throw invalid("has no 'format' marker (this aggregator reads \"" + STATE_FORMAT
                        + "\"): is it the learnt state of another aggregator?");
            }
            if (!format.textValue().equals(STATE_FORMAT)) {
                throw invalid("is of format '" + format.textValue() + "', and this aggregator reads '"
                        + STATE_FORMAT + "' only");
            }
            onlyFields(root, "", "format", "projects");
            JsonNode projects = field(root, "", "projects");
            if (!projects.isObject()) {
                throw invalid("has 'projects' that is not an object");
            }
            projects.fields().forEachRemaining(e -> restored.put(e.getKey(), readProject(e.getKey(), e.getValue())));
        }
        learnt.clear();
        learnt.putAll(restored);
    }

    /** The kinds of {@code project} in {@code node}, the first {@code maxTemplatesPerProject} of them. */
    private Learnt readProject(String project, JsonNode node) {
        String at = "project '" + project + "'";
        if (!node.isObject()) {
            throw invalid("has " + at + " that is not an object");
        }
        onlyFields(node, at, "signatures", "kinds", "patterns");
        JsonNode signatureList = array(field(node, at, "signatures"), at + ": signatures");
        List<String> signatures = new ArrayList<>(signatureList.size());
        for (int i = 0; i < signatureList.size(); i++) {
            signatures.add(text(signatureList.get(i), at + ": signatures[" + i + "]"));
        }
        Learnt kinds = new Learnt();
        JsonNode kindList = array(field(node, at, "kinds"), at + ": kinds");
        // per kind in the text: its key, signature and template, and whether it is kept within the limit
        List<String> keys = new ArrayList<>(kindList.size());
        List<String> kindSignatures = new ArrayList<>(kindList.size());
        List<String> kindTemplates = new ArrayList<>(kindList.size());
        boolean[] kept = new boolean[kindList.size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < kindList.size(); i++) {
            String where = at + ": kinds[" + i + "]";
            JsonNode kind = tuple(kindList.get(i), 2, where, "[signature index, template]");
            String signature = signatures.get(index(kind.get(0), signatures.size(), where + "[0]"));
            String text = text(kind.get(1), where + "[1]");
            String[] template = split(text);
            String key = templateKey(project, signature, words(template));
            Integer earlier = seen.putIfAbsent(key, i);
            if (earlier != null) {
                throw invalid("has " + where + " of the same signature and words as kinds[" + earlier + "]");
            }
            keys.add(key);
            kindSignatures.add(signature);
            kindTemplates.add(text);
            if (kinds.byKey.size() < maxTemplatesPerProject) {
                kinds.byKey.put(key, new Kind(signature, render(template, signature)));
                kept[i] = true;
            }
        }
        JsonNode patternList = array(field(node, at, "patterns"), at + ": patterns");
        Set<String> templates = new HashSet<>();
        int[] perKind = new int[keys.size()];
        for (int i = 0; i < patternList.size(); i++) {
            String where = at + ": patterns[" + i + "]";
            JsonNode pattern = patternList.get(i);
            if (!pattern.isArray() || pattern.size() < 2 || pattern.size() > 3) {
                throw invalid("has " + where + " that is not an array [kind index, letters at <*>] or "
                        + "[kind index, template, letters at <*>]");
            }
            int kind = index(pattern.get(0), keys.size(), where + "[0]");
            String text = pattern.size() == 2 ? kindTemplates.get(kind) : text(pattern.get(1), where + "[1]");
            String[] template = split(text);
            String key = keys.get(kind);
            if (!templateKey(project, kindSignatures.get(kind), words(template)).equals(key)) {
                throw invalid("has " + where + "[1] '" + text + "' whose words are not those of kinds[" + kind + "]");
            }
            if (!templates.add(kind + "\u0000" + text)) {
                throw invalid("has " + where + " that repeats a template of kinds[" + kind + "]");
            }
            if (++perKind[kind] > MAX_PATTERNS_PER_KIND) {
                throw invalid("has more than " + MAX_PATTERNS_PER_KIND + " patterns of kinds[" + kind
                        + "], the most a kind keeps");
            }
            String shapeAt = where + "[" + (pattern.size() - 1) + "]";
            boolean[] letters = letters(template, text(pattern.get(pattern.size() - 1), shapeAt), shapeAt);
            if (kept[kind]) {
                kinds.add(new Pattern(key, template, letters), kindSignatures.get(kind));
            }
        }
        return kinds;
    }

    /** Which tokens of {@code template} held letters: the words; at each {@code <*>}, what {@code shape} says. */
    private static boolean[] letters(String[] template, String shape, String where) {
        boolean[] letters = new boolean[template.length];
        int n = 0;
        for (int p = 0; p < template.length; p++) {
            if (!template[p].equals(WILDCARD)) {
                letters[p] = hasLetter(template[p]);
            } else if (n < shape.length() && (shape.charAt(n) == 'w' || shape.charAt(n) == 'v')) {
                letters[p] = shape.charAt(n++) == 'w';
            } else {
                break;
            }
        }
        long wildcards = Arrays.stream(template).filter(WILDCARD::equals).count();
        if (n != wildcards || n != shape.length()) {
            throw invalid("has " + where + " '" + shape + "' that is not one letter, w or v, for each of the "
                    + wildcards + " <*> of its template");
        }
        return letters;
    }

    private static JsonNode field(JsonNode node, String at, String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw invalid("has no field '" + name + "'" + (at.isEmpty() ? "" : " in " + at));
        }
        return value;
    }

    private static void onlyFields(JsonNode node, String at, String... names) {
        Set<String> allowed = Set.of(names);
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw invalid("has an unknown field '" + name + "'" + (at.isEmpty() ? "" : " in " + at)
                        + " (known: " + String.join(", ", names) + ")");
            }
        });
    }

    private static JsonNode array(JsonNode node, String where) {
        if (!node.isArray()) {
            throw invalid("has " + where + " that is not an array");
        }
        return node;
    }

    private static JsonNode tuple(JsonNode node, int size, String where, String expected) {
        if (!node.isArray() || node.size() != size) {
            throw invalid("has " + where + " that is not an array " + expected);
        }
        return node;
    }

    private static String text(JsonNode node, String where) {
        if (!node.isTextual()) {
            throw invalid("has " + where + " that is not a string");
        }
        return node.textValue();
    }

    private static int index(JsonNode node, int size, String where) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0 || node.intValue() >= size) {
            throw invalid("has " + where + " " + node + " that is not an index from 0 to " + (size - 1));
        }
        return node.intValue();
    }

    private static IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException("the learnt state given to the " + TYPE + " aggregator " + what
                + "; give it the text its learntState() wrote, or \"\" to start learning afresh");
    }

    private static String firstLine(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        if (line.length() > 200) {
            line = line.substring(0, 200) + "…";
        }
        if (e.getLocation() != null) {
            line += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return line;
    }

    /** The key of the kind of {@code project} with stack signature {@code signature} and template {@code words}. */
    private static String templateKey(String project, String signature, String words) {
        return "T\u0000" + project + '\u0000' + signature + '\u0000' + words;
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
                            : kinds.display(line.fixedKey);
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
                        assign(groups, line.addedKey, line, known, kinds.display(known));
                    }
                }
                Map<String, List<Cluster>> byWords = new LinkedHashMap<>();
                for (Cluster cluster : mine(unknown)) {
                    byWords.computeIfAbsent(words(cluster.template), w -> new ArrayList<>()).add(cluster);
                }
                byWords.forEach((words, clusters) -> {
                    String key = templateKey(project, signature, words);
                    Cluster largest = clusters.get(0);
                    for (Cluster cluster : clusters) {
                        if (cluster.count > largest.count) {
                            largest = cluster;
                        }
                    }
                    String display;
                    if (kinds.byKey.containsKey(key) || kinds.byKey.size() < maxTemplatesPerProject) {
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

    /**
     * The kinds learnt for one project: their templates, by signature and length, for later windows. Kinds keep the
     * order in which they were first learnt and patterns the order in which they were learnt, so that learnt state
     * written out and read back matches lines to the same templates (the first of equally specific ones wins).
     */
    private static final class Learnt {
        private final Map<String, Kind> byKey = new LinkedHashMap<>();
        private final Map<String, List<Pattern>> patterns = new HashMap<>();
        private final List<Pattern> inOrder = new ArrayList<>();
        private final Map<String, Integer> patternsPerKind = new HashMap<>();
        private final Set<String> known = new HashSet<>();

        void learn(String key, String display, String signature, List<Cluster> clusters) {
            Kind kind = byKey.get(key);
            if (kind == null) {
                byKey.put(key, new Kind(signature, display));
            } else {
                kind.display = display;
            }
            for (Cluster cluster : clusters) {
                add(new Pattern(key, cluster.template, cluster.members.get(0).tokens()), signature);
            }
        }

        /** Adds {@code pattern} unless its kind holds its share of patterns or the same template already. */
        void add(Pattern pattern, String signature) {
            if (patternsPerKind.getOrDefault(pattern.key, 0) >= MAX_PATTERNS_PER_KIND
                    || !known.add(pattern.key + '\u0000' + String.join(" ", pattern.template))) {
                return;
            }
            patternsPerKind.merge(pattern.key, 1, Integer::sum);
            patterns.computeIfAbsent(signature + '\u0000' + pattern.template.length, k -> new ArrayList<>())
                    .add(pattern);
            inOrder.add(pattern);
        }

        String display(String key) {
            return byKey.get(key).display;
        }

        /** The kinds and patterns of {@code project}, in the format {@link TemplateAggregator#learntState()} tells. */
        ObjectNode toJson(String project) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode signatures = out.putArray("signatures");
            ArrayNode kinds = out.putArray("kinds");
            ArrayNode patternsOut = out.putArray("patterns");
            Map<String, Integer> signatureIndex = new HashMap<>();
            Map<String, Integer> kindIndex = new HashMap<>();
            Map<String, String> kindTemplate = new HashMap<>();
            for (Map.Entry<String, Kind> e : byKey.entrySet()) {
                Kind kind = e.getValue();
                Integer signature = signatureIndex.get(kind.signature);
                if (signature == null) {
                    signature = signatureIndex.size();
                    signatureIndex.put(kind.signature, signature);
                    signatures.add(kind.signature);
                }
                // the display is the template and then the signature: the template alone, with the key, restores it
                String suffix = render(new String[0], kind.signature);
                String template = kind.display.endsWith(suffix)
                        ? kind.display.substring(0, kind.display.length() - suffix.length()) : null;
                if (template == null
                        || !templateKey(project, kind.signature, words(split(template))).equals(e.getKey())) {
                    throw new IllegalStateException("the template shown for a kind of project '" + project
                            + "' does not restore its key: " + kind.display);
                }
                kindIndex.put(e.getKey(), kindIndex.size());
                kindTemplate.put(e.getKey(), template);
                kinds.addArray().add(signature).add(template);
            }
            for (Pattern pattern : inOrder) {
                StringBuilder shape = new StringBuilder(pattern.wildcards);
                for (int p = 0; p < pattern.template.length; p++) {
                    if (pattern.template[p].equals(WILDCARD)) {
                        shape.append(pattern.letters[p] ? 'w' : 'v');
                    }
                }
                ArrayNode entry = patternsOut.addArray().add(kindIndex.get(pattern.key));
                String template = String.join(" ", pattern.template);
                if (!template.equals(kindTemplate.get(pattern.key))) {
                    entry.add(template);
                }
                entry.add(shape.toString());
            }
            return out;
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

    /** A kind learnt: the stack signature of its key, and the template shown for it (its latest largest group's). */
    private static final class Kind {
        private final String signature;
        private String display;

        Kind(String signature, String display) {
            this.signature = signature;
            this.display = display;
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
            this(key, template, lettersOf(shapeOf));
        }

        Pattern(String key, String[] template, boolean[] letters) {
            this.key = key;
            this.template = template;
            this.letters = letters;
            int n = 0;
            for (String token : template) {
                if (token.equals(WILDCARD)) {
                    n++;
                }
            }
            this.wildcards = n;
        }

        private static boolean[] lettersOf(String[] tokens) {
            boolean[] letters = new boolean[tokens.length];
            for (int p = 0; p < tokens.length; p++) {
                letters[p] = hasLetter(tokens[p]);
            }
            return letters;
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
