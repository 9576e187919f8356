package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups records by the template they were printed from, learnt online in the manner of Drain: {@code order 8812
 * failed} and {@code order 9017 failed} become {@code order <*> failed}, and so do {@code session closed for user
 * alice} and {@code session closed for user bob}, which no masking of digits would join.
 *
 * <p>Each record's first line is masked ({@link MessageMasker}) and split into tokens. Records are compared only with
 * templates of their project that have as many tokens, the same {@link #PREFIX_TOKENS first tokens} (only plain
 * words tell templates apart there, see {@link #partitions(String)}) and the same stack signature (exception type
 * and top frames, see {@link StackSignature}). The record joins the most similar of those templates when at least
 * {@code similarity} of its constant tokens appear at the same places in it, and the template turns every position
 * where they differ into {@code <*>}; otherwise it starts a template of its own. One configuration serves every kind of log.
 *
 * <p>Type {@code template}. The learnt templates belong to the aggregator, so a template keeps its key in every window
 * of the aggregator's life; the key is given when a record is counted and never changes, while the template shown for
 * it may generalise. Memory is bounded: a project holds at most {@code maxTemplatesPerProject} templates, and records
 * that would need another are counted in one overflow group per project whose template is {@link #OVERFLOW_TEMPLATE}.
 * Deterministic: the same records in the same order give the same groups and keys. Serves one aggregation at a time
 * (as every aggregator does) and is not thread-safe.
 */
public final class TemplateAggregator implements Aggregator {

    /** The type name of this aggregator. */
    public static final String TYPE = "template";

    /** The template of the group that counts records of a project that has no room for another template. */
    public static final String OVERFLOW_TEMPLATE = "(other messages: template limit reached)";

    /** Default of {@code max-templates-per-project}. */
    public static final int DEFAULT_MAX_TEMPLATES_PER_PROJECT = 1_000;

    /**
     * Default of {@code similarity}. Drain's usual 0.5 counts every token, masked ones included; this share counts
     * only the record's constant tokens, a smaller base, so the same evidence asks for a higher share.
     */
    public static final double DEFAULT_SIMILARITY = 0.7;

    /** Leading tokens a record must share with a template, as in Drain's prefix tree of depth 4. */
    static final int PREFIX_TOKENS = 2;

    /** Characters of the first line that take part; the rest rarely tells errors apart. */
    static final int MAX_LINE_CHARS = 1_000;

    private static final String WILDCARD = MessageMasker.WILDCARD;

    private final int maxTemplatesPerProject;
    private final double similarity;
    private final Map<String, ProjectTemplates> projects = new HashMap<>();

    /** A template aggregator with the default limits. */
    public TemplateAggregator() {
        this(DEFAULT_MAX_TEMPLATES_PER_PROJECT, DEFAULT_SIMILARITY);
    }

    /**
     * A template aggregator.
     *
     * @param maxTemplatesPerProject templates a project may hold before its new kinds of record overflow, at least 1
     * @param similarity             share of a record's constant tokens a template must hold to take it, in (0, 1]
     */
    public TemplateAggregator(int maxTemplatesPerProject, double similarity) {
        if (maxTemplatesPerProject < 1) {
            throw new IllegalArgumentException("maxTemplatesPerProject must be at least 1, was "
                    + maxTemplatesPerProject);
        }
        if (!(similarity > 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity must be above 0 and at most 1, was " + similarity);
        }
        this.maxTemplatesPerProject = maxTemplatesPerProject;
        this.similarity = similarity;
    }

    @Override
    public Aggregation start() {
        GroupTable table = new GroupTable();
        return new Aggregation() {
            @Override
            public String add(LogEvent event) {
                ProjectTemplates templates = projects.computeIfAbsent(event.project(), ProjectTemplates::new);
                Template template = templates.match(tokens(event.message()), StackSignature.of(event));
                if (template == null) {
                    return table.add(templates.overflowKey, OVERFLOW_TEMPLATE, event);
                }
                return table.add(template.key, template.text(), event);
            }

            @Override
            public List<ErrorGroup> groups() {
                return table.groups();
            }
        };
    }

    /** The number of templates learnt for {@code project}. */
    int templateCount(String project) {
        ProjectTemplates templates = projects.get(project);
        return templates == null ? 0 : templates.count;
    }

    @Override
    public String name() {
        return TYPE;
    }

    /** The masked tokens of the first line of {@code message}. */
    static String[] tokens(String message) {
        int start = 0;
        int length = message.length();
        while (start < length && Character.isWhitespace(message.charAt(start))) {
            start++;
        }
        int end = Math.min(StackSignature.firstLineEnd(message), start + MAX_LINE_CHARS);
        String masked = MessageMasker.mask(message, start, end, true);
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

    /** The templates of one project, by the leaf of the prefix tree they sit in. */
    private final class ProjectTemplates {
        private final String project;
        private final String overflowKey;
        private final Map<String, Leaf> leaves = new HashMap<>();
        private int count;

        ProjectTemplates(String project) {
            this.project = project;
            this.overflowKey = project + "\u0000(overflow)";
        }

        /** The template that now holds {@code tokens}, or null when it needs a new one and there is no room. */
        Template match(String[] tokens, String signature) {
            String leafKey = leafKey(tokens, signature);
            Leaf leaf = leaves.get(leafKey);
            if (leaf != null) {
                Template best = null;
                double bestSimilarity = -1;
                for (Template candidate : leaf.templates) {
                    double s = candidate.similarity(tokens);
                    if (s > bestSimilarity) {
                        best = candidate;
                        bestSimilarity = s;
                    }
                }
                if (best != null && bestSimilarity >= similarity) {
                    best.absorb(tokens);
                    return best;
                }
            }
            if (count >= maxTemplatesPerProject) {
                return null;
            }
            if (leaf == null) {
                leaf = new Leaf();
                leaves.put(leafKey, leaf);
            }
            count++;
            Template template = new Template(project + "\u0000#" + count, tokens, signature);
            leaf.templates.add(template);
            return template;
        }

        private String leafKey(String[] tokens, String signature) {
            StringBuilder key = new StringBuilder(64).append(tokens.length);
            for (int i = 0; i < Math.min(PREFIX_TOKENS, tokens.length); i++) {
                key.append('\u0001').append(partitions(tokens[i]) ? tokens[i] : WILDCARD);
            }
            return key.append('\u0002').append(signature).toString();
        }
    }

    /**
     * Whether a leading token may tell templates apart: a plain word, perhaps with closing punctuation. A token that
     * holds a value, or joins parts with dots, slashes or underscores (a host, a class, a job name) is more often a
     * variable, so it does not partition.
     */
    static boolean partitions(String token) {
        if (token.contains(WILDCARD)) {
            return false;
        }
        int end = token.length();
        while (end > 0 && isClosing(token.charAt(end - 1))) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            if (!(Character.isLetter(c) || c == '-' || c == '\'')) {
                return false;
            }
        }
        return end > 0;
    }

    private static boolean isClosing(char c) {
        return c == ':' || c == ',' || c == ';' || c == '.' || c == ']' || c == ')' || c == '!' || c == '?';
    }

    private static final class Leaf {
        private final java.util.ArrayList<Template> templates = new java.util.ArrayList<>(2);
    }

    /** One learnt template: its tokens, {@code <*>} where records differed. */
    private static final class Template {
        private final String key;
        private final String[] tokens;
        private final String signature;
        private String text;

        Template(String key, String[] tokens, String signature) {
            this.key = key;
            this.tokens = tokens.clone();
            this.signature = signature;
        }

        /** The share of the record's constant tokens that this template holds at the same place. */
        double similarity(String[] record) {
            int constants = 0;
            int same = 0;
            for (int i = 0; i < record.length; i++) {
                if (record[i].equals(WILDCARD)) {
                    continue;
                }
                constants++;
                if (record[i].equals(tokens[i])) {
                    same++;
                }
            }
            if (constants == 0) {
                // a record of values only: it fits a template of values only
                for (String token : tokens) {
                    if (!token.equals(WILDCARD)) {
                        return 0;
                    }
                }
                return 1;
            }
            return (double) same / constants;
        }

        void absorb(String[] record) {
            for (int i = 0; i < record.length; i++) {
                if (!tokens[i].equals(record[i]) && !tokens[i].equals(WILDCARD)) {
                    tokens[i] = WILDCARD;
                    text = null;
                }
            }
        }

        String text() {
            if (text == null) {
                StringBuilder out = new StringBuilder();
                for (String token : tokens) {
                    if (out.length() > 0) {
                        out.append(' ');
                    }
                    out.append(token);
                }
                if (!signature.isEmpty()) {
                    int at = signature.indexOf('\n');
                    out.append('\n').append(at < 0 ? signature : signature.substring(0, at));
                    if (at >= 0) {
                        out.append(signature.substring(at).replace("\n", "\n\tat "));
                    }
                }
                text = out.toString();
            }
            return text;
        }
    }
}
