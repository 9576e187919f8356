package io.logalert.aggregate;

import static io.logalert.aggregate.MessageMasker.hasLetter;

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
 *     {@link Thresholds#minValueEvidence()} records (occurrences included, so the evidence grows with the window's
 *     volume) is a variable. Otherwise, if it holds at most {@link Thresholds#maxConstantValues()} distinct words,
 *     or a few more ({@link Thresholds#maxRecurringValues()}) that each recur ({@link Thresholds#minRecurrence()}),
 *     they are constants that differ and the group splits by them; more distinct words, or a tail of rare ones, are a
 *     variable. Splitting repeats in each part.</li>
 * <li>A group that differs from a larger one only by a word where the larger holds a masked value joins it: a host
 *     name where the others hold an address.</li>
 * <li>Groups whose templates have the same words in the same order, once value-only tokens are left out, brackets
 *     and commas around a word ignored and repeated words taken once, are one kind: optional values
 *     ({@code 1190 bytes sent} and {@code 1190 bytes (1.16 KB) sent}) and lists of values of any length
 *     ({@code [blk_1]}, {@code [blk_1, blk_2]}).</li>
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
     * Default of {@code max-constant-values}: the most distinct words an open position may hold and still be read as
     * constants that differ, however rarely each recurs. A statement's wording seldom comes in more than a handful of
     * variants (on/off, opened/closed/failed), while a variable slot (users, hosts, names) soon shows more; three is
     * the smallest bound that keeps three-way variants apart.
     */
    public static final int DEFAULT_MAX_CONSTANT_VALUES = 3;

    /**
     * Default of {@code max-recurring-values}: an open position with more distinct words than
     * {@code max-constant-values}, but at most this many, is still read as constants when every one of its words
     * recurs in at least {@code min-recurrence} records. A handful of words each seen again and again is a state or a
     * component name ({@code job started}, {@code job paused}, {@code job resumed}); a variable's values (users,
     * hosts, ids) come with a long tail of words seen once or twice.
     */
    public static final int DEFAULT_MAX_RECURRING_VALUES = 5;

    /** Default of {@code min-recurrence}: records each word must hold for the rule of {@code max-recurring-values}. */
    public static final int DEFAULT_MIN_RECURRENCE = 5;

    /**
     * Default of {@code min-value-evidence}: records with a masked value at an open position that make it a variable;
     * one odd record is not enough evidence to merge it with a group whose position is otherwise constant.
     */
    public static final int DEFAULT_MIN_VALUE_EVIDENCE = 2;

    /**
     * How the miner tells a constant position from a variable one; the defaults are one setting for every log format.
     *
     * @param maxConstantValues  distinct words an open position may hold and split into constants, at least 1
     * @param maxRecurringValues distinct words a position may hold and still split when each recurs, at least 1
     * @param minRecurrence      records each word needs for the rule of {@code maxRecurringValues}, at least 1
     * @param minValueEvidence   records with a masked value at a position that make it a variable, at least 1
     */
    public record Thresholds(int maxConstantValues, int maxRecurringValues, int minRecurrence, int minValueEvidence) {

        /** The defaults, chosen with the Loghub samples held out one at a time ({@code docs/grouping.md}). */
        public static final Thresholds DEFAULTS = new Thresholds(DEFAULT_MAX_CONSTANT_VALUES,
                DEFAULT_MAX_RECURRING_VALUES, DEFAULT_MIN_RECURRENCE, DEFAULT_MIN_VALUE_EVIDENCE);

        /** Checks every bound. */
        public Thresholds {
            if (maxConstantValues < 1 || maxRecurringValues < 1 || minRecurrence < 1 || minValueEvidence < 1) {
                throw new IllegalArgumentException("every threshold must be at least 1, was " + maxConstantValues
                        + ", " + maxRecurringValues + ", " + minRecurrence + ", " + minValueEvidence);
            }
        }
    }

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
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB",
            "ns", "us", "µs", "ms", "s", "sec", "secs", "min", "mins"};

    /** The longest of {@link #UNITS}: a longer word after a value is no unit, told without reading it. */
    private static final int MAX_UNIT_LENGTH = 4;

    private final int maxTemplatesPerProject;
    private final int maxLinesPerWindow;
    private final Thresholds thresholds;
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
        this(maxTemplatesPerProject, maxLinesPerWindow, Thresholds.DEFAULTS);
    }

    /**
     * A template aggregator with its own thresholds.
     *
     * @param maxTemplatesPerProject kinds a project may hold before lines of new kinds overflow, at least 1
     * @param maxLinesPerWindow      distinct masked lines a window keeps per project, at least 1
     * @param thresholds             how the miner tells constant positions from variable ones
     */
    public TemplateAggregator(int maxTemplatesPerProject, int maxLinesPerWindow, Thresholds thresholds) {
        if (maxTemplatesPerProject < 1) {
            throw new IllegalArgumentException("maxTemplatesPerProject must be at least 1, was "
                    + maxTemplatesPerProject);
        }
        if (maxLinesPerWindow < 1) {
            throw new IllegalArgumentException("maxLinesPerWindow must be at least 1, was " + maxLinesPerWindow);
        }
        this.maxTemplatesPerProject = maxTemplatesPerProject;
        this.maxLinesPerWindow = maxLinesPerWindow;
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
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
                kinds.byKey.put(key, new Kind(signature, display(template)));
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

    /**
     * The token that separates a record's own line from its exception's message, and that from its root cause's,
     * in a masked line: the messages are mined with the line, so their ids are masked and their words tell kinds
     * apart ({@code IllegalStateException: order <*> already shipped} and {@code …: cart <*> is empty}).
     */
    static final String MESSAGE_MARK = "\u00b6";

    /** Appends {@code " ¶ top ¶ root"} to a masked line, the messages masked as lines are. */
    static void appendExceptionMessages(StackSignature.Messages messages, StringBuilder masked) {
        masked.append(' ').append(MESSAGE_MARK);
        if (messages.topFrom < messages.topTo) {
            MessageMasker.maskInto(messages.text, messages.topFrom, messages.topTo, true, masked.append(' '));
        }
        masked.append(' ').append(MESSAGE_MARK);
        if (messages.rootFrom < messages.rootTo) {
            MessageMasker.maskInto(messages.text, messages.rootFrom, messages.rootTo, true, masked.append(' '));
        }
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
            if (core > from && isUnit(masked, from, core)) {
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

    /**
     * Whether {@code text[from, to)} is one of {@link #UNITS}, compared in place: every masked value followed by a word
     * asks (an exception's message appended after a line that ends in a value, too), and a substring and a set lookup
     * each time showed in the profile.
     */
    private static boolean isUnit(String text, int from, int to) {
        int length = to - from;
        if (length > MAX_UNIT_LENGTH) {
            return false;
        }
        for (String unit : UNITS) {
            if (unit.length() == length && text.startsWith(unit, from)) {
                return true;
            }
        }
        return false;
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

    /** Which tokens hold letters, as a string of {@code w} and {@code v}, after the length. */
    private static String shape(String[] tokens) {
        StringBuilder shape = new StringBuilder(tokens.length + 8).append(tokens.length).append(':');
        for (String token : tokens) {
            shape.append(hasLetter(token) ? 'w' : 'v');
        }
        return shape.toString();
    }

    /**
     * The words of a template: tokens with letters, without the brackets and commas around them, a word repeated
     * next to itself taken once. So a list of ids is the same words at any length, in brackets or not:
     * {@code [blk_<*>]}, {@code [blk_<*>, blk_<*>]} and {@code blk_<*> blk_<*> blk_<*>} all read {@code blk_<*>}.
     */
    static String words(String[] template) {
        StringBuilder words = new StringBuilder();
        int lastStart = -1;
        for (String token : template) {
            if (!hasLetter(token)) {
                continue;
            }
            int from = 0;
            int to = token.length();
            while (from < to && isListOpening(token.charAt(from))) {
                from++;
            }
            while (to > from && isListClosing(token.charAt(to - 1))) {
                to--;
            }
            if (lastStart >= 0 && words.length() - lastStart == to - from
                    && words.indexOf(token.substring(from, to), lastStart) == lastStart) {
                continue;
            }
            if (words.length() > 0) {
                words.append(' ');
            }
            lastStart = words.length();
            words.append(token, from, to);
        }
        return words.toString();
    }

    private static boolean isListOpening(char c) {
        return c == '[' || c == '(' || c == '{';
    }

    private static boolean isListClosing(char c) {
        return c == ']' || c == ')' || c == '}' || c == ',' || c == ';';
    }

    /** Tokens separated by one space, each run of {@code <*>} tokens next to each other shown as one. */
    static String display(String[] template) {
        StringBuilder out = new StringBuilder();
        boolean lastWildcard = false;
        for (String token : template) {
            boolean wildcard = token.equals(WILDCARD);
            if (wildcard && lastWildcard) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(token);
            lastWildcard = wildcard;
        }
        return out.toString();
    }

    /**
     * What a person sees for a kind: its line's template, then, for a stack trace, the exception type with the
     * template of its message, the top frames, and the root cause with its message and frame:
     * <pre>
     * Payment <*> failed
     * java.lang.IllegalStateException: card <*> declined
     * 	at com.shop.Payments.charge
     * Caused by: java.net.SocketTimeoutException: Read timed out
     * 	at java.net.SocketInputStream.read
     * </pre>
     */
    private static String render(String[] template, String signature) {
        List<String[]> parts = new ArrayList<>(3);
        int from = 0;
        for (int p = 0; p <= template.length; p++) {
            if (p == template.length || template[p].equals(MESSAGE_MARK)) {
                parts.add(Arrays.copyOfRange(template, from, p));
                from = p + 1;
            }
        }
        StringBuilder out = new StringBuilder(display(parts.get(0)));
        if (signature.isEmpty()) {
            return out.toString();
        }
        String[] lines = signature.split("\n", -1);
        out.append('\n').append(lines[0]);
        appendMessage(out, parts, 1);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith(StackSignature.CAUSED_BY)) {
                out.append('\n').append(lines[i]);
                appendMessage(out, parts, 2);
            } else {
                out.append("\n\tat ").append(lines[i]);
            }
        }
        return out.toString();
    }

    private static void appendMessage(StringBuilder out, List<String[]> parts, int index) {
        if (index < parts.size() && parts.get(index).length > 0) {
            out.append(": ").append(display(parts.get(index)));
        }
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
        private final StackSignature.Messages messages = new StackSignature.Messages();
        private final LookupKey.Hasher hasher = new LookupKey.Hasher();

        @Override
        public String add(LogEvent event) {
            String project = event.project();
            String signature = StackSignature.of(event, messages);
            MessageMasker.maskFirstLineInto(event.message(), true, scratch);
            if (!messages.isEmpty()) {
                appendExceptionMessages(messages, scratch);
            }
            String masked = foldUnits(scratch.toString());
            // what makes a line distinct in a window; fixed lines are counted straight into a known group
            LookupKey lineKey = new LookupKey(project, signature, masked, false, hasher);
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
            LookupKey fixedLineKey = new LookupKey(project, "", groupKey, true, hasher);
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
                for (Cluster mined : mine(unknown, thresholds)) {
                    // a word where a learnt kind holds a variable joins that kind, as it would in one window
                    String[] into = kinds.absorbing(signature, mined.template);
                    Cluster cluster = into == null ? mined : mined.generalisedTo(into);
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
                        kinds.learn(key, display(largest.template), signature, clusters);
                        display = kinds.display(key);
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
    static List<Cluster> mine(List<Line> lines, Thresholds thresholds) {
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
            initial.forEach((k, members) -> split(members, open.get(k), thresholds, clusters));
        }
        return absorbWords(clusters, thresholds);
    }

    /**
     * Joins a group whose only difference from a larger one is a word where the larger holds a variable: a host
     * name where the kind's other lines hold an address ({@code from gw.example.org} beside {@code from <*>}) or
     * many other names, a symbolic port beside a number. The word is then one more value of that variable, as the
     * variety of the larger group shows; told by where it stands, not by its characters. The template of the
     * group joined keeps a {@code <*>} there, so the two have the same words and become one kind; the lines it
     * joins keep the word's shape, so a later window matches them the same way.
     */
    private static List<Cluster> absorbWords(List<Cluster> clusters, Thresholds thresholds) {
        Map<Integer, List<Cluster>> byLength = new HashMap<>();
        boolean any = false;
        for (Cluster cluster : clusters) {
            if (cluster.count >= thresholds.minValueEvidence() && cluster.hasVariable()) {
                byLength.computeIfAbsent(cluster.template.length, n -> new ArrayList<>()).add(cluster);
                any = true;
            }
        }
        if (!any) {
            return clusters;
        }
        List<Cluster> out = new ArrayList<>(clusters.size());
        for (Cluster cluster : clusters) {
            Cluster into = null;
            for (Cluster candidate : byLength.getOrDefault(cluster.template.length, List.of())) {
                if (candidate != cluster && (into == null || candidate.count > into.count)
                        && candidate.count >= cluster.count && candidate.absorbs(cluster.template)) {
                    into = candidate;
                }
            }
            out.add(into == null ? cluster : cluster.generalisedTo(into.template));
        }
        return out;
    }

    private static void split(List<Line> start, boolean[] startOpen, Thresholds thresholds, List<Cluster> clusters) {
        Deque<Object[]> work = new ArrayDeque<>();
        work.push(new Object[] {start, startOpen});
        while (!work.isEmpty()) {
            Object[] task = work.pop();
            @SuppressWarnings("unchecked")
            List<Line> members = (List<Line>) task[0];
            boolean[] open = (boolean[]) task[1];
            int at = splitPosition(members, open, thresholds);
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

    /**
     * The first open position whose words are constants that differ, or -1: at most
     * {@link Thresholds#maxConstantValues()} distinct words, or at most {@link Thresholds#maxRecurringValues()} of
     * which each recurs in {@link Thresholds#minRecurrence()} records, and fewer than
     * {@link Thresholds#minValueEvidence()} records holding a masked value there.
     */
    private static int splitPosition(List<Line> members, boolean[] open, Thresholds thresholds) {
        int bound = Math.max(thresholds.maxConstantValues(), thresholds.maxRecurringValues());
        for (int p = 0; p < open.length; p++) {
            if (!open[p]) {
                continue;
            }
            Map<String, Long> values = new LinkedHashMap<>();
            for (Line line : members) {
                values.merge(line.tokens()[p], line.tally.count(), Long::sum);
                if (values.size() > bound) {
                    // more words than constants take: this position cannot split, whatever the rest holds
                    break;
                }
            }
            int distinct = values.size();
            if (distinct < 2 || distinct > bound) {
                continue;
            }
            boolean constants = distinct <= thresholds.maxConstantValues();
            if (!constants && distinct <= thresholds.maxRecurringValues()) {
                long rarest = Long.MAX_VALUE;
                for (long count : values.values()) {
                    rarest = Math.min(rarest, count);
                }
                constants = rarest >= thresholds.minRecurrence();
            }
            if (constants && valueEvidence(values) < thresholds.minValueEvidence()
                    && !movesBetweenPositions(members, open, p, values.keySet())) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Whether the words of position {@code p} move between places: one of them also stands at another open position
     * {@code q} of the group, and the two positions hold at least three words together ({@code NEW},
     * {@code SCHEDULED}, {@code RUNNING}, {@code SUCCEEDED} in {@code from NEW to SCHEDULED},
     * {@code from SCHEDULED to RUNNING}, {@code from RUNNING to SUCCEEDED}). Words that move are values of one domain
     * (states, names) filled into the template, not its wording, which has its place. Two words that swap
     * ({@code from AUTO to SUSPENDED}, {@code from SUSPENDED to AUTO}) are a toggle, two statements, and stay apart.
     */
    private static boolean movesBetweenPositions(List<Line> members, boolean[] open, int p, Set<String> words) {
        for (int q = 0; q < open.length; q++) {
            if (q == p || !open[q]) {
                continue;
            }
            Set<String> domain = new HashSet<>(words);
            boolean shared = false;
            for (Line line : members) {
                String token = line.tokens()[q];
                if (hasLetter(token)) {
                    shared |= words.contains(token);
                    domain.add(token);
                }
            }
            if (shared && domain.size() >= 3) {
                return true;
            }
        }
        return false;
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
            boolean[] varies = new boolean[template.length];
            long total = 0;
            for (Line line : members) {
                String[] tokens = line.tokens();
                for (int p = 0; p < template.length; p++) {
                    varies[p] |= !first[p].equals(tokens[p]);
                }
                total += line.tally.count();
            }
            for (int p = 0; p < template.length; p++) {
                if (varies[p]) {
                    template[p] = variable(p);
                }
            }
            this.count = total;
        }

        /**
         * The template token of a position whose tokens differ: {@code <*>}, with the key before it and the closing
         * punctuation after it that all its tokens share ({@code account=<*>}, {@code [<*>]}). The key tells an
         * optional {@code account=…} field from the absence of one, so the two shapes stay apart.
         */
        private String variable(int p) {
            String first = members.get(0).tokens()[p];
            int prefix = first.length();
            int suffix = first.length();
            for (Line line : members) {
                String token = line.tokens()[p];
                int n = 0;
                while (n < prefix && n < token.length() && first.charAt(n) == token.charAt(n)) {
                    n++;
                }
                prefix = n;
                int m = 0;
                while (m < suffix && m < token.length()
                        && first.charAt(first.length() - 1 - m) == token.charAt(token.length() - 1 - m)) {
                    m++;
                }
                suffix = m;
            }
            // the key ends at its separator; a shared start of two words ("St" of Started and Stopped) is no key
            while (prefix > 0 && "=:[({".indexOf(first.charAt(prefix - 1)) < 0) {
                prefix--;
            }
            int shortest = Integer.MAX_VALUE;
            for (Line line : members) {
                shortest = Math.min(shortest, line.tokens()[p].length());
            }
            suffix = Math.min(suffix, shortest - prefix);
            int from = first.length() - suffix;
            while (from < first.length() && "])},;:.".indexOf(first.charAt(from)) < 0) {
                from++;
            }
            String key = first.substring(0, prefix);
            String closing = first.substring(from);
            if (key.indexOf('<') >= 0 || key.indexOf('>') >= 0 || closing.indexOf('<') >= 0
                    || closing.indexOf('>') >= 0) {
                return WILDCARD;
            }
            // closing punctuation: only a run of it, not what happens to follow inside a word
            for (int i = 0; i < closing.length(); i++) {
                if ("])},;:.".indexOf(closing.charAt(i)) < 0) {
                    return key + WILDCARD;
                }
            }
            return key + WILDCARD + closing;
        }

        private Cluster(List<Line> members, String[] template, long count) {
            this.members = members;
            this.template = template;
            this.count = count;
        }

        /** Whether the template has a variable, the only place where a word may be absorbed. */
        boolean hasVariable() {
            for (String token : template) {
                if (token.contains(WILDCARD)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether {@code other} equals this template but where this one holds a variable and {@code other} a word
         * in its place ({@code rhost=gw.example.org} for {@code rhost=<*>}, {@code mail.example.net} where this one's
         * lines held many host names), with at least twice as many words the same as words in a variable's place.
         */
        boolean absorbs(String[] other) {
            return TemplateAggregator.absorbs(template, other);
        }

        /** This cluster's lines under {@code into}'s template: same words, so one kind. */
        Cluster generalisedTo(String[] into) {
            String[] generalised = template.clone();
            for (int p = 0; p < generalised.length; p++) {
                if (!generalised[p].equals(into[p])) {
                    generalised[p] = into[p];
                }
            }
            return new Cluster(members, generalised, count);
        }
    }

    /** {@link Cluster#absorbs(String[])} for any template, a learnt one too. */
    static boolean absorbs(String[] template, String[] other) {
        int differs = 0;
        int sharedWords = 0;
        for (int p = 0; p < template.length; p++) {
            if (template[p].equals(other[p])) {
                sharedWords += hasLetter(other[p]) ? 1 : 0;
                continue;
            }
            if (!fills(template[p], other[p])) {
                return false;
            }
            differs++;
        }
        // the words both share must outweigh those one of them holds in a variable's place: a line of four words
        // is not one more value of a template of four values
        return differs > 0 && sharedWords >= 2 * differs;
    }

    /**
     * Whether {@code token} is {@code pattern}, a token with one {@code <*>} and more ({@code account=<*>}), with its
     * {@code <*>} filled by any text: the values a learnt key takes.
     */
    static boolean fillsAny(String pattern, String token) {
        int at = pattern.indexOf(WILDCARD);
        if (at < 0 || pattern.length() == WILDCARD.length() || pattern.indexOf(WILDCARD, at + 1) >= 0) {
            return false;
        }
        int suffix = pattern.length() - at - WILDCARD.length();
        return token.length() > at + suffix && token.startsWith(pattern.substring(0, at))
                && token.endsWith(pattern.substring(at + WILDCARD.length()));
    }

    /**
     * Whether {@code token} is {@code pattern} with its one {@code <*>} filled by a run of text that holds a letter:
     * {@code gw.example.org} fills {@code <*>}, {@code rhost=gw} fills {@code rhost=<*>}, {@code rhost=} does not.
     */
    static boolean fills(String pattern, String token) {
        int at = pattern.indexOf(WILDCARD);
        if (at < 0 || pattern.indexOf(WILDCARD, at + 1) >= 0) {
            return false;
        }
        int suffix = pattern.length() - at - WILDCARD.length();
        if (token.length() <= at + suffix || !token.startsWith(pattern.substring(0, at))
                || !token.endsWith(pattern.substring(at + WILDCARD.length()))) {
            return false;
        }
        String filler = token.substring(at, token.length() - suffix);
        return hasLetter(filler) && !filler.contains(WILDCARD);
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

        void learn(String key, String template, String signature, List<Cluster> clusters) {
            Kind kind = byKey.get(key);
            if (kind == null) {
                // the display stays what it first was: a person who saw a kind once recognises it in every digest
                byKey.put(key, new Kind(signature, template));
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
                // the template alone, with the signature, restores the key
                String template = kind.template;
                if (!templateKey(project, kind.signature, words(split(template))).equals(e.getKey())) {
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
         * The template of the first learnt kind whose variables {@code template}'s words fill, the rest being the
         * same ({@link TemplateAggregator#absorbs(String[], String[])}), or null.
         */
        String[] absorbing(String signature, String[] template) {
            List<Pattern> candidates = patterns.get(signature + '\u0000' + template.length);
            if (candidates != null) {
                for (Pattern candidate : candidates) {
                    if (candidate.wildcards > 0 && absorbs(candidate.template, template)) {
                        return candidate.template;
                    }
                }
            }
            return null;
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
     * A kind learnt: the stack signature of its key, and the template shown for it: that of its largest group in the
     * window that first saw it, kept in every later window.
     */
    private static final class Kind {
        private final String signature;
        private final String template;
        private final String display;

        Kind(String signature, String template) {
            this.signature = signature;
            this.template = template;
            this.display = render(split(template), signature);
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
                if (token.contains(WILDCARD)) {
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
                        : !template[p].equals(tokens[p]) && !fillsAny(template[p], tokens[p])) {
                    return false;
                }
            }
            return true;
        }
    }
}
