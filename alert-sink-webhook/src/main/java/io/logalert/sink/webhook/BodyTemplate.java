package io.logalert.sink.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.sink.robot.Markups;
import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.MessageRenderer.Draft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A request body written as a JSON document with {@code {{placeholders}}} in its string values. The template is
 * parsed once; each message's values are put into the parsed document, never into its text, and the document is
 * then written by Jackson: so a value (log text with quotes, backslashes, braces, control characters) is always one
 * escaped JSON string or number and can neither break the JSON nor add to it.
 *
 * <p>A string value that is one placeholder and nothing else, {@code "{{digest.events}}"}, becomes the value itself
 * with its JSON type: a number, {@code true}/{@code false}, an array, an object, or {@code null}. A placeholder inside
 * longer text, {@code "{{digest.events}} errors in {{digest.project}}"}, adds its value as text. Placeholders in field
 * names are not replaced. The rendered text ({@code text.plain} or {@code text.markdown}) must appear exactly once:
 * the robot core splits a digest that is too big for one body by the size of that text, so a body without it could
 * not be split and a body with it twice would be measured wrong.
 *
 * <p>Immutable and thread-safe.
 */
final class BodyTemplate {

    /** The body sent when no template is configured. */
    static final String DEFAULT = """
            {
              "title": "{{title}}",
              "text": "{{text.plain}}",
              "project": "{{digest.project}}",
              "events": "{{digest.events}}",
              "kinds": "{{digest.kinds}}",
              "window": {"from": "{{digest.window.from}}", "to": "{{digest.window.to}}"},
              "mentions": "{{digest.mentions}}",
              "digests": "{{digests}}"
            }""";

    /** The placeholder of the message's text in plain text. */
    static final String TEXT_PLAIN = "text.plain";
    /** The placeholder of the message's text in CommonMark. */
    static final String TEXT_MARKDOWN = "text.markdown";

    /** Writes bodies as the robot core measures them: Jackson's defaults. */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads templates keeping their numbers as written, and refusing a field given twice (one would be lost). */
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    /** Placeholders whose value is a list of objects: they can only stand alone as a value. */
    private static final Set<String> WHOLE_ONLY = Set.of("digests");

    /** The placeholders, in the order the README lists them. */
    static final List<String> PLACEHOLDERS = List.of("title", TEXT_PLAIN, TEXT_MARKDOWN, "digest.id",
            "digest.pipeline", "digest.project", "digest.events", "digest.kinds", "digest.omitted-kinds",
            "digest.window.from", "digest.window.to", "digest.first-seen", "digest.last-seen", "digest.pattern",
            "digest.sample", "digest.count", "digest.thread", "digest.mentions", "digest.late", "digests");

    private final JsonNode tree;
    private final boolean markdown;
    private final int maxTextChars;

    private BodyTemplate(JsonNode tree, boolean markdown, int maxTextChars) {
        this.tree = tree;
        this.markdown = markdown;
        this.maxTextChars = maxTextChars;
    }

    /**
     * The template {@code source}, or the problems that keep it from being one, worded for the {@code template} key.
     * Problems never quote the template: it may hold a secret (a routing key of the receiver, say).
     *
     * @param maxTextChars characters of a pattern or sample message put into the digest's fields
     */
    static BodyTemplate parse(String source, int maxTextChars, List<String> problems) {
        JsonNode tree;
        try {
            tree = READER.readTree(source);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            problems.add("'template' is not JSON" + (where == null ? "" : " (line " + where.getLineNr() + ", column "
                    + where.getColumnNr() + ")") + ": " + e.getOriginalMessage().lines().findFirst().orElse("")
                    .replaceAll("'[^']*'|\"[^\"]*\"", "…") + "; write the body as a JSON object whose string values may "
                    + "hold {{placeholders}}");
            return null;
        }
        if (tree == null || !tree.isContainerNode()) {
            problems.add("'template' must be a JSON object or array, such as {\"text\": \"{{text.plain}}\"}");
            return null;
        }
        int before = problems.size();
        Scan scan = new Scan();
        scan.walk(tree, problems);
        if (!scan.unknown.isEmpty()) {
            problems.add("'template' has the unknown placeholder(s) " + scan.unknown.stream().map(p -> "{{" + p + "}}")
                    .collect(Collectors.joining(", ")) + "; known: " + PLACEHOLDERS.stream().map(p -> "{{" + p + "}}")
                    .collect(Collectors.joining(", ")));
        }
        if (scan.texts != 1) {
            problems.add("'template' must hold the message's text exactly once, as {{" + TEXT_PLAIN + "}} or {{"
                    + TEXT_MARKDOWN + "}}, held " + scan.texts + ": a digest too big for one body is split by the "
                    + "size of that text");
        }
        return problems.size() > before ? null : new BodyTemplate(tree, scan.markdown, maxTextChars);
    }

    /** Whether the text goes in as CommonMark rather than plain text. */
    boolean markdown() {
        return markdown;
    }

    /** The body of {@code draft}: the template with every placeholder replaced, as UTF-8 JSON. */
    byte[] render(Draft draft) {
        Values values = new Values(draft, maxTextChars);
        try {
            return JSON.writeValueAsBytes(fill(tree, values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body", e);
        }
    }

    private static JsonNode fill(JsonNode node, Values values) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                out.set(field.getKey(), fill(field.getValue(), values));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(item -> out.add(fill(item, values)));
            return out;
        }
        if (!node.isTextual()) {
            return node;
        }
        String text = node.textValue();
        Matcher matcher = PLACEHOLDER.matcher(text);
        if (matcher.matches()) {
            return values.node(matcher.group(1));
        }
        matcher.reset();
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (matcher.find()) {
            any = true;
            matcher.appendReplacement(out, Matcher.quoteReplacement(values.text(matcher.group(1))));
        }
        if (!any) {
            return node;
        }
        matcher.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    /** What a walk over the template found. */
    private static final class Scan {

        private final Set<String> unknown = new TreeSet<>();
        private int texts;
        private boolean markdown;

        void walk(JsonNode node, List<String> problems) {
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (PLACEHOLDER.matcher(field.getKey()).find()) {
                        problems.add("'template' has a placeholder in a field name; placeholders are replaced in "
                                + "string values only");
                    }
                    walk(field.getValue(), problems);
                }
            } else if (node.isArray()) {
                node.forEach(item -> walk(item, problems));
            } else if (node.isTextual()) {
                String text = node.textValue();
                boolean alone = PLACEHOLDER.matcher(text).matches();
                Matcher matcher = PLACEHOLDER.matcher(text);
                while (matcher.find()) {
                    String name = matcher.group(1);
                    if (!PLACEHOLDERS.contains(name)) {
                        unknown.add(name);
                    } else if (name.equals(TEXT_PLAIN) || name.equals(TEXT_MARKDOWN)) {
                        texts++;
                        markdown = name.equals(TEXT_MARKDOWN);
                    } else if (WHOLE_ONLY.contains(name) && !alone) {
                        problems.add("'template' puts {{" + name + "}}, a list of objects, inside other text; "
                                + "write it as a whole value: \"" + name + "\": \"{{" + name + "}}\"");
                    }
                }
            }
        }
    }

    /**
     * The values of one message. {@code digest.*} speak for the message's digest, or, when several digests are packed
     * into one message, for all of them: projects and ids joined, counts summed, the window spanning theirs, and the
     * largest group among them.
     */
    private static final class Values {

        private final Draft draft;
        private final int maxTextChars;
        private final List<Digest> digests;
        private final Optional<ErrorGroup> top;

        Values(Draft draft, int maxTextChars) {
            this.draft = draft;
            this.maxTextChars = maxTextChars;
            this.digests = draft.digests();
            this.top = largest(digests);
        }

        /** The value of {@code name} as a JSON value. */
        JsonNode node(String name) {
            return switch (name) {
                case "title" -> TextNode.valueOf(draft.title());
                case TEXT_PLAIN, TEXT_MARKDOWN -> TextNode.valueOf(draft.text());
                case "digest.id" -> TextNode.valueOf(joined(Digest::id));
                case "digest.pipeline" -> TextNode.valueOf(joined(Digest::pipelineId));
                case "digest.project" -> TextNode.valueOf(joined(d -> name(d.project())));
                case "digest.events" -> NODES.numberNode(digests.stream().mapToLong(Digest::totalEvents).sum());
                case "digest.kinds" -> NODES.numberNode(digests.stream().mapToLong(Digest::totalGroups).sum());
                case "digest.omitted-kinds" -> NODES.numberNode(digests.stream()
                        .mapToLong(Digest::omittedGroups).sum());
                case "digest.window.from" -> instant(digests.stream().map(d -> d.window().from())
                        .min(Comparator.naturalOrder()));
                case "digest.window.to" -> instant(digests.stream().map(d -> d.window().to())
                        .max(Comparator.naturalOrder()));
                case "digest.first-seen" -> instant(digests.stream().flatMap(d -> d.groups().stream())
                        .map(ErrorGroup::firstSeen).min(Comparator.naturalOrder()));
                case "digest.last-seen" -> instant(digests.stream().flatMap(d -> d.groups().stream())
                        .map(ErrorGroup::lastSeen).max(Comparator.naturalOrder()));
                case "digest.pattern" -> top.map(g -> (JsonNode) TextNode.valueOf(cut(g.template())))
                        .orElse(NODES.nullNode());
                case "digest.sample" -> top.map(g -> (JsonNode) TextNode.valueOf(cut(g.sampleMessage())))
                        .orElse(NODES.nullNode());
                case "digest.count" -> top.map(g -> (JsonNode) NODES.numberNode(g.count())).orElse(NODES.nullNode());
                case "digest.thread" -> top.map(g -> (JsonNode) TextNode.valueOf(name(g.sampleThread())))
                        .orElse(NODES.nullNode());
                case "digest.mentions" -> mentions();
                case "digest.late" -> NODES.booleanNode(digests.stream().anyMatch(Digest::late));
                case "digests" -> digestList();
                default -> throw new IllegalStateException("unknown placeholder " + name);
            };
        }

        /** The value of {@code name} as text, inside a longer string: a list joined with ", ", null as "". */
        String text(String name) {
            JsonNode node = node(name);
            if (node.isArray()) {
                List<String> items = new ArrayList<>();
                node.forEach(item -> items.add(item.asText()));
                return String.join(", ", items);
            }
            return node.isNull() ? "" : node.asText();
        }

        /** Whom the route asked to mention; only in a digest's first message, as the robots do. */
        private JsonNode mentions() {
            ArrayNode list = NODES.arrayNode();
            if (draft.first()) {
                new LinkedHashSet<>(digests.stream().flatMap(d -> d.mentions().stream()).toList())
                        .forEach(list::add);
            }
            return list;
        }

        private JsonNode digestList() {
            ArrayNode list = NODES.arrayNode();
            for (Digest digest : digests) {
                ObjectNode d = list.addObject();
                d.put("id", digest.id());
                d.put("pipeline", digest.pipelineId());
                d.put("project", name(digest.project()));
                d.putObject("window").put("from", digest.window().from().toString())
                        .put("to", digest.window().to().toString());
                d.put("events", digest.totalEvents());
                d.put("kinds", digest.totalGroups());
                d.put("omitted-kinds", digest.omittedGroups());
                d.put("late", digest.late());
                Optional<ErrorGroup> largest = largest(List.of(digest));
                if (largest.isPresent()) {
                    ErrorGroup g = largest.get();
                    d.putObject("top").put("pattern", cut(g.template())).put("sample", cut(g.sampleMessage()))
                            .put("count", g.count()).put("first-seen", g.firstSeen().toString())
                            .put("last-seen", g.lastSeen().toString());
                } else {
                    d.putNull("top");
                }
            }
            return list;
        }

        private String joined(Function<Digest, String> part) {
            return String.join(", ", new LinkedHashSet<>(digests.stream().map(part).toList()));
        }

        /** A pattern or sample, cut as the text cuts it: a stack trace of a megabyte must not fill the body. */
        private String cut(String text) {
            return Markups.truncate(text, maxTextChars);
        }

        private static String name(String text) {
            return Markups.truncate(text, MessageRenderer.MAX_NAME_CHARS);
        }

        private static JsonNode instant(Optional<Instant> instant) {
            return instant.map(i -> (JsonNode) TextNode.valueOf(i.toString())).orElse(NODES.nullNode());
        }

        private static Optional<ErrorGroup> largest(List<Digest> digests) {
            return digests.stream().flatMap(d -> d.groups().stream())
                    .max(Comparator.comparingLong(ErrorGroup::count));
        }
    }

    @Override
    public String toString() {
        // the template may hold a secret of the receiver's
        return "BodyTemplate[" + (markdown ? TEXT_MARKDOWN : TEXT_PLAIN) + "]";
    }
}
