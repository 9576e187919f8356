package io.logalert.sink.robot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.Digest;
import io.logalert.DigestLayout;
import io.logalert.DigestLayout.Group;
import io.logalert.DigestLayout.Span;
import io.logalert.DigestLayout.Text;
import io.logalert.Labels;
import io.logalert.Silenced;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns digests into robot messages: one digest per message, a digest split into numbered parts when it is too big
 * for one body, or several digests packed into one message when the rate budget cannot carry one message each.
 * Every body is measured as the exact bytes that will be sent, and measured incrementally: a body is rendered once
 * per part, and each block added to it costs its own JSON-escaped bytes.
 *
 * <p>What a message says comes from {@link DigestLayout}, the layout every sink shares, in the configured labels and
 * zone; the platform's {@link Markup} styles it and makes log text inert, and its {@link Body} wraps the text in the
 * request body.
 *
 * <p>Open for a subclass only so that a sink module can keep a name of its own for it (and its tests' view of the
 * messages); a subclass adds no rendering. Immutable and thread-safe.
 */
public class MessageRenderer {

    /** Placeholders of the title template. */
    public static final Set<String> TITLE_PLACEHOLDERS = Set.of("project", "events", "groups", "from", "to",
            "pipeline");
    /** Placeholders of the action URL template. */
    public static final Set<String> URL_PLACEHOLDERS = Set.of("project", "from", "to", "from-millis", "to-millis");
    /** Characters of a sample message shown per group when digests are packed. */
    public static final int COMPACT_MESSAGE_CHARS = 160;
    /** Characters of a name (a project, a thread, a silence's reason) shown. */
    public static final int MAX_NAME_CHARS = 80;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_MESSAGE_CHARS = 16;
    // a part label is measured at its widest while parts are filled, then the real one is set
    private static final String WIDEST_LABEL = "(99/99)";
    private static final String BLOCK_BREAK = "\n\n";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);

    /**
     * How much of a digest a message shows. The last two are for a robot that refused the digest's text: they leave
     * out the log text it may have objected to, so that the counts still reach the group.
     */
    public enum Detail {
        /** Every group with its sample (stack lines included), when and where it was seen, and the notes. */
        FULL,
        /** Every group in two lines: the pattern with its time, and the sample's first line, cut short. */
        COMPACT,
        /**
         * Patterns and counts only: no sample message, thread, per-group project or silence reason; the silences'
         * counts are kept. The only log text left is the patterns and the project.
         */
        PATTERNS,
        /** Counts and the project only: the title, window and totals, and no groups. */
        COUNTS;

        /** Whether this detail leaves log text out because the robot refused it. */
        public boolean withholds() {
            return this == PATTERNS || this == COUNTS;
        }
    }

    /**
     * What the renderer needs to know.
     *
     * @param titleTemplate    the title, with {@link #TITLE_PLACEHOLDERS}; empty for the layout's title in the labels'
     *                         words ("shop: 12 errors")
     * @param keywords         the robot's keywords; every message carries one (in its title)
     * @param actionUrl        the link template, with {@link #URL_PLACEHOLDERS}
     * @param actionTitle      the text of the link
     * @param linksInText      whether the link goes into the text; false when the platform shows it as a button
     * @param zone             the time zone times are shown in
     * @param maxMessageLength characters of a pattern and of a sample message shown per group
     * @param labels           the words messages are written in
     * @param markup           how the platform's format marks text up and makes log text inert
     */
    public record Settings(Optional<String> titleTemplate, List<String> keywords, Optional<String> actionUrl,
            String actionTitle, boolean linksInText, ZoneId zone, int maxMessageLength, Labels labels,
            Markup markup) {

        /** Checks and copies the parts. */
        public Settings {
            Objects.requireNonNull(titleTemplate, "titleTemplate");
            keywords = List.copyOf(keywords);
            Objects.requireNonNull(actionUrl, "actionUrl");
            Objects.requireNonNull(actionTitle, "actionTitle");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(labels, "labels");
            Objects.requireNonNull(markup, "markup");
        }
    }

    /**
     * What one message says, for the platform's {@link Body} to wrap.
     *
     * @param indices the digests' indices in the call
     * @param digests the digests the message carries (for buttons and mentions)
     * @param title   the title, plain of markup (its log text escaped), for a notification preview
     * @param text    the marked-up text: the heading, then blocks separated by blank lines
     * @param first   whether this is a digest's first message (a later part carries no mentions)
     */
    public record Draft(List<Integer> indices, List<Digest> digests, String title, String text, boolean first) {
    }

    /**
     * A platform's request body around a message's text. The renderer measures a body once per part and then adds
     * the JSON-escaped bytes of each block: so the text must appear in the body exactly once, as a JSON string, and
     * the rest of the body must not depend on it. Whatever else the platform adds to the text (mentions after it)
     * is measured with it.
     */
    @FunctionalInterface
    public interface Body {

        /** The UTF-8 request body of {@code draft}. */
        byte[] render(Draft draft);
    }

    private final Settings settings;
    private final Labels labels;
    private final Markup markup;
    private final Body body;
    private final String keywordPrefix;

    /** A renderer of {@code settings} whose messages {@code body} wraps. */
    public MessageRenderer(Settings settings, Body body) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.body = Objects.requireNonNull(body, "body");
        this.labels = settings.labels();
        this.markup = settings.markup();
        // the robot refuses a message without one of its keywords: make sure the heading holds one. The default
        // title's own words are those it has whatever the project and count
        List<String> titleWords = settings.titleTemplate().map(List::of).orElseGet(() -> List.of(
                labels.title(Text.words(""), 1).plain(), labels.title(Text.words(""), 2).plain()));
        boolean titleHasKeyword = settings.keywords().isEmpty() || settings.keywords().stream()
                .anyMatch(keyword -> titleWords.stream().allMatch(words -> words.contains(keyword)));
        this.keywordPrefix = titleHasKeyword ? "" : settings.keywords().get(0) + " ";
    }

    /** The settings this renderer was made with. */
    public Settings settings() {
        return settings;
    }

    /** {@code digest} laid out in the configured labels and zone. */
    private DigestLayout layout(Digest digest) {
        return DigestLayout.of(digest, settings.zone(), labels);
    }

    /**
     * The messages of one digest on its own, showing {@code detail} of it: one message, or numbered parts when one
     * body would reach {@code byteLimit}.
     *
     * @param index the digest's index in the call
     * @throws IllegalStateException when even one group cannot fit (a byte limit far too small)
     */
    public List<OutgoingMessage> parts(int index, Digest digest, int byteLimit, Detail detail) {
        boolean compact = detail != Detail.FULL;
        int chars = compact ? Math.min(COMPACT_MESSAGE_CHARS, settings.maxMessageLength())
                : settings.maxMessageLength();
        DigestLayout layout = layout(digest);
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        if (detail.withholds()) {
            current.add(withheldNote(detail));
        }
        int size = measure(index, digest, layout, current, true);
        List<Group> groups = detail == Detail.COUNTS ? List.of() : layout.groups();
        for (Group group : groups) {
            String block = detail == Detail.PATTERNS ? patternBlock(group, chars) : groupBlock(group, compact, chars);
            int cost = cost(block);
            if (size + cost < byteLimit) {
                current.add(block);
                size += cost;
                continue;
            }
            if (!current.isEmpty()) {
                parts.add(current);
                current = new ArrayList<>();
                size = measure(index, digest, layout, current, false);
            }
            int shrunk = chars;
            while (size + cost >= byteLimit) {
                shrunk /= 2;
                if (shrunk < MIN_MESSAGE_CHARS) {
                    throw new IllegalStateException("one group does not fit in " + byteLimit + " bytes");
                }
                block = detail == Detail.PATTERNS ? patternBlock(group, shrunk) : groupBlock(group, compact, shrunk);
                cost = cost(block);
            }
            current.add(block);
            size += cost;
        }
        for (String tail : detail.withholds() ? withheldTailBlocks(digest, layout, detail) : tailBlocks(layout)) {
            // the notes are bounded (counts, times, a reason cut to a name's length): a fresh part always holds one
            int cost = cost(tail);
            if (!current.isEmpty() && size + cost >= byteLimit) {
                parts.add(current);
                current = new ArrayList<>();
                size = measure(index, digest, layout, current, false);
            }
            current.add(tail);
            size += cost;
        }
        parts.add(current);
        int total = parts.size();
        List<OutgoingMessage> messages = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            String label = total == 1 ? "" : "(" + (i + 1) + "/" + total + ")";
            OutgoingMessage message = part(index, digest, layout, parts.get(i), i == 0, label);
            if (message.body().length >= byteLimit) {
                throw new IllegalStateException("part " + (i + 1) + " has " + message.body().length
                        + " bytes, limit " + byteLimit);
            }
            messages.add(message);
        }
        return messages;
    }

    /** Several digests in one compact message, or empty when it would reach {@code byteLimit}. */
    public Optional<OutgoingMessage> packed(List<Integer> indices, List<Digest> digests, int byteLimit) {
        Packer packer = new Packer(byteLimit);
        for (int i = 0; i < indices.size(); i++) {
            if (!packer.add(indices.get(i), digests.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(packer.message());
    }

    /**
     * A pack that starts with one digest, shown by {@code alone} (its own compact message) while no other joins.
     */
    public Packer packer(int byteLimit, int index, Digest digest, OutgoingMessage alone) {
        Packer packer = new Packer(byteLimit);
        packer.indices.add(index);
        packer.digests.add(digest);
        packer.sections.add(section(digest));
        packer.sectionBytes = jsonBytes(packer.sections.get(0));
        packer.alone = alone;
        return packer;
    }

    /**
     * Digests packed into one message, one at a time while they fit. Each digest's section is rendered once; what
     * a candidate pack weighs is its envelope (title, heading, count of projects, buttons and mentions) measured
     * afresh, plus the sections' bytes. Not thread-safe.
     */
    public final class Packer {

        private final int byteLimit;
        private final List<Integer> indices = new ArrayList<>();
        private final List<Digest> digests = new ArrayList<>();
        private final List<String> sections = new ArrayList<>();
        private int sectionBytes;
        private OutgoingMessage alone;

        private Packer(int byteLimit) {
            this.byteLimit = byteLimit;
        }

        /** The indices of the digests in the pack, in order. */
        public List<Integer> indices() {
            return List.copyOf(indices);
        }

        /** Adds {@code digest} when the pack stays below the byte limit with it; whether it did. */
        public boolean add(int index, Digest digest) {
            String section = section(digest);
            int cost = jsonBytes(section);
            List<Integer> candidateIndices = new ArrayList<>(indices);
            candidateIndices.add(index);
            List<Digest> candidate = new ArrayList<>(digests);
            candidate.add(digest);
            int size = envelope(candidateIndices, candidate).length + sectionBytes + cost;
            if (size >= byteLimit) {
                return false;
            }
            indices.add(index);
            digests.add(digest);
            sections.add(section);
            sectionBytes += cost;
            alone = null;
            return true;
        }

        /** The message of the pack: the first digest's own message while it is alone. */
        public OutgoingMessage message() {
            if (alone != null) {
                return alone;
            }
            String title = title(digests, Optional.empty(), "");
            return assemble(indices, digests, title, packIntro() + String.join("", sections), true);
        }

        private String packIntro() {
            return BLOCK_BREAK + labels.packed(digests.size());
        }

        private byte[] envelope(List<Integer> candidateIndices, List<Digest> candidate) {
            String title = title(candidate, Optional.empty(), "");
            return body.render(new Draft(candidateIndices, candidate, title, markup.heading(title) + BLOCK_BREAK
                    + labels.packed(candidate.size()), true));
        }
    }

    /** One digest's section of a pack: its intro, its groups in compact form and its notes, each after a break. */
    private String section(Digest digest) {
        int chars = Math.min(COMPACT_MESSAGE_CHARS, settings.maxMessageLength());
        DigestLayout layout = layout(digest);
        StringBuilder section = new StringBuilder(BLOCK_BREAK).append(sectionIntro(digest, layout));
        for (Group group : layout.groups()) {
            section.append(BLOCK_BREAK).append(groupBlock(group, true, chars));
        }
        for (String tail : tailBlocks(layout)) {
            section.append(BLOCK_BREAK).append(tail);
        }
        return section.toString();
    }

    /** The bytes {@code block} adds to a body after a break. */
    private static int cost(String block) {
        return jsonBytes(BLOCK_BREAK + block);
    }

    /** The bytes {@code text} adds to a JSON string in a body: JSON escaping works character by character. */
    private static int jsonBytes(String text) {
        try {
            // the quotes around a JSON string are not part of what the text adds
            return JSON.writeValueAsBytes(text).length - 2;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot measure a block", e);
        }
    }

    /** The body bytes of a part holding {@code blocks}, measured with the widest part label. */
    private int measure(int index, Digest digest, DigestLayout layout, List<String> blocks, boolean first) {
        return part(index, digest, layout, blocks, first, WIDEST_LABEL).body().length;
    }

    private OutgoingMessage part(int index, Digest digest, DigestLayout layout, List<String> groupBlocks,
            boolean first, String label) {
        StringBuilder text = new StringBuilder();
        text.append(BLOCK_BREAK).append(first ? intro(digest, layout) : continuedIntro(layout));
        for (String block : groupBlocks) {
            text.append(BLOCK_BREAK).append(block);
        }
        // "shop: 0 errors" alone would read as a false alarm in the chat list; the note says why the message exists
        return assemble(List.of(index), List.of(digest), title(List.of(digest), layout.titleNote(), label),
                text.toString(), first);
    }

    private OutgoingMessage assemble(List<Integer> indices, List<Digest> digests, String title, String blocks,
            boolean first) {
        String text = markup.heading(title) + blocks;
        if (!settings.keywords().isEmpty() && settings.keywords().stream().noneMatch(text::contains)) {
            throw new IllegalStateException("a message without a keyword was rendered");
        }
        return new OutgoingMessage(indices, title, body.render(new Draft(indices, digests, title, text, first)));
    }

    private String intro(Digest digest, DigestLayout layout) {
        List<String> lines = new ArrayList<>();
        catchUpLine(layout).ifPresent(lines::add);
        lines.add(markup.field(labels.window(), layout.window(), labels));
        layout.totals().ifPresent(totals -> lines.add(markup.field(labels.total(), totals, labels)));
        link(digest).ifPresent(lines::add);
        return String.join(markup.lineBreak(), lines);
    }

    private String continuedIntro(DigestLayout layout) {
        return markup.field(labels.window(), layout.window(), labels) + markup.lineBreak() + labels.continued();
    }

    private String sectionIntro(Digest digest, DigestLayout layout) {
        List<String> lines = new ArrayList<>();
        lines.add(markup.subheading(name(layout.project())));
        catchUpLine(layout).ifPresent(lines::add);
        lines.add(layout.window() + layout.totals().map(totals -> " · " + totals).orElse(""));
        link(digest).ifPresent(lines::add);
        return String.join(markup.lineBreak(), lines);
    }

    /** "logalert was down …: totals" for a digest that sums up a backlog. */
    private Optional<String> catchUpLine(DigestLayout layout) {
        return layout.catchUp().map(line -> markup.bold(labels.down()) + " " + line);
    }

    private Optional<String> link(Digest digest) {
        if (!settings.linksInText()) {
            return Optional.empty();
        }
        return actionUrl(digest).map(url -> markup.link(settings.actionTitle(), url, labels));
    }

    /**
     * One group: rank, mark, count, held back and the pattern on its first line; the sample beneath it, a stack
     * trace's first lines kept as lines; then when and where it was seen. Compact: the pattern line with the time,
     * and the sample's first line.
     *
     * @param chars characters of the pattern, and of the sample's lines together, that are shown
     */
    private String groupBlock(Group group, boolean compact, int chars) {
        String head = groupHead(group, chars);
        List<String> lines = new ArrayList<>();
        String indent = markup.sampleIndent();
        if (compact) {
            lines.add(head + " (" + group.seen() + ")");
            if (!group.sample().isEmpty() && !group.continues()) {
                lines.add(indent + sampleLead(group.sample().get(0), chars));
            }
            return String.join(markup.lineBreak(), lines);
        }
        lines.add(head);
        int remaining = chars;
        for (int i = 0; i < group.sample().size() && remaining > 0; i++) {
            String line = group.sample().get(i);
            lines.add(i == 0 && !group.continues() ? indent + sampleLead(line, remaining)
                    : markup.stackIndent() + markup.escape(line, remaining));
            remaining -= line.codePointCount(0, line.length());
        }
        if (group.moreLines() > 0) {
            lines.add(markup.stackIndent() + labels.moreLines(group.moreLines()));
        }
        lines.add(indent + group.details().render(logged -> markup.escape(logged, MAX_NAME_CHARS), v -> v));
        return String.join(markup.lineBreak(), lines);
    }

    /**
     * One group without any log text but its pattern: rank, mark, count, held back, the pattern and when it was seen
     * (our words and times). No sample, thread or project, which is where a refused log line would be.
     */
    private String patternBlock(Group group, int chars) {
        return groupHead(group, chars) + " (" + labels.seen(group.seen()) + ")";
    }

    /** A group's first line: rank, mark, count, held back and the pattern cut to {@code chars}. */
    private String groupHead(Group group, int chars) {
        StringBuilder head = new StringBuilder();
        head.append(markup.bold(group.rank() + ".")).append(' ').append(markup.mark(group.mark(), labels))
                .append(markup.count(group.countText()));
        group.heldBack().ifPresent(held -> head.append(' ').append(held));
        if (!group.pattern().isEmpty()) {
            head.append(' ').append(pattern(group.pattern(), chars));
        }
        return head.toString();
    }

    /** What a message that leaves log text out says about it, so that a reader knows the digest is not whole. */
    private String withheldNote(Detail detail) {
        // our own words; Labels has no phrase for it yet, so the two supported languages are written here
        boolean chinese = labels.locale().getLanguage().equals("zh");
        String note = switch (detail) {
            case PATTERNS -> chinese
                    ? "机器人拒收了此摘要的日志内容：示例消息、线程名和静默原因未显示，只列出错误模式和计数。"
                    : "The robot refused this digest's log text: sample messages, thread names and silence reasons "
                            + "are withheld; patterns and counts only.";
            case COUNTS -> chinese
                    ? "机器人拒收了此摘要的日志内容（连同错误模式）：只列出计数。"
                    : "The robot refused this digest's log text, patterns included: counts only.";
            default -> throw new IllegalArgumentException("nothing is withheld at " + detail);
        };
        return markup.italic(note);
    }

    /**
     * The tail of a message that withholds log text: the omitted groups (counts only), and what silences held as a
     * count, without the silences' reasons (text someone typed, which the robot may be refusing).
     */
    private List<String> withheldTailBlocks(Digest digest, DigestLayout layout, Detail detail) {
        List<String> blocks = new ArrayList<>();
        if (detail == Detail.PATTERNS) {
            layout.omitted().ifPresent(omitted -> blocks.add(markup.italic(omitted)));
        }
        // a digest of nothing but silences already says this in its totals
        boolean saidInTotals = digest.groups().isEmpty() && digest.omittedGroups() == 0;
        if (!digest.silenced().isEmpty() && !saidInTotals) {
            long held = digest.silenced().stream().mapToLong(Silenced::events).sum();
            long silences = digest.silenced().stream().map(Silenced::silenceId).distinct().count();
            blocks.add(markup.silenced(labels.heldBySilences(held, silences)));
        }
        return blocks;
    }

    private String sampleLead(String line, int chars) {
        return labels.sample(Text.log(line)).render(logged -> markup.escape(logged, chars), v -> v);
    }

    /**
     * A pattern with its log text escaped and cut to {@code chars} characters (a variable part counts as one), and
     * its variable parts shown the markup's way, so that the constant words stand out.
     */
    private String pattern(Text pattern, int chars) {
        StringBuilder out = new StringBuilder();
        int remaining = chars;
        for (Span span : pattern.spans()) {
            if (remaining <= 0) {
                break;
            }
            switch (span.kind()) {
                case LOG -> {
                    out.append(markup.escape(span.text(), remaining));
                    remaining -= span.text().codePointCount(0, span.text().length());
                }
                case VARIABLE -> {
                    out.append(markup.variable(span.text()));
                    remaining--;
                }
                case WORDS -> out.append(span.text());
                default -> throw new IllegalStateException("unknown span " + span.kind());
            }
        }
        return out.toString();
    }

    /** The omitted groups and the silence notes, in that order, after a digest's groups. */
    private List<String> tailBlocks(DigestLayout layout) {
        List<String> blocks = new ArrayList<>();
        layout.omitted().ifPresent(omitted -> blocks.add(markup.italic(omitted)));
        for (Text note : layout.silenced()) {
            blocks.add(markup.silenced(name(note)));
        }
        return blocks;
    }

    /**
     * The title of a message of {@code digests}: the configured template, or the layout's title in the labels' words;
     * with {@code note} (what silences held, for a digest of nothing else) and a part {@code label}.
     */
    private String title(List<Digest> digests, Optional<String> note, String label) {
        StringBuilder title = new StringBuilder(keywordPrefix);
        if (settings.titleTemplate().isPresent()) {
            Matcher matcher = PLACEHOLDER.matcher(settings.titleTemplate().get());
            while (matcher.find()) {
                matcher.appendReplacement(title, Matcher.quoteReplacement(titleValue(matcher.group(1), digests)));
            }
            matcher.appendTail(title);
        } else {
            title.append(name(labels.title(projects(digests),
                    digests.stream().mapToLong(Digest::totalEvents).sum())));
        }
        note.ifPresent(n -> title.append(labels.aside(n)));
        return label.isEmpty() ? title.toString() : title + " " + label;
    }

    private String titleValue(String placeholder, List<Digest> digests) {
        return switch (placeholder) {
            case "project" -> name(projects(digests));
            case "events" -> labels.count(digests.stream().mapToLong(Digest::totalEvents).sum());
            case "groups" -> labels.count(digests.stream().mapToLong(Digest::totalGroups).sum());
            case "from" -> dateTime(digests.stream().map(d -> d.window().from()).min(Comparator.naturalOrder())
                    .orElseThrow());
            case "to" -> dateTime(digests.stream().map(d -> d.window().to()).max(Comparator.naturalOrder())
                    .orElseThrow());
            case "pipeline" -> markup.escapeName(String.join(", ",
                    new LinkedHashSet<>(digests.stream().map(Digest::pipelineId).toList())), MAX_NAME_CHARS);
            default -> "{" + placeholder + "}";
        };
    }

    private Text projects(List<Digest> digests) {
        return labels.projects(new ArrayList<>(new LinkedHashSet<>(digests.stream().map(Digest::project).toList())));
    }

    /** The action URL of {@code digest}, placeholders filled and URL-encoded. */
    public Optional<String> actionUrl(Digest digest) {
        return settings.actionUrl().map(template -> actionUrl(template, digest));
    }

    /** {@code template} with {@link #URL_PLACEHOLDERS} filled from {@code digest}, URL-encoded. */
    public static String actionUrl(String template, Digest digest) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case "project" -> digest.project();
                case "from" -> digest.window().from().toString();
                case "to" -> digest.window().to().toString();
                case "from-millis" -> Long.toString(digest.window().from().toEpochMilli());
                case "to-millis" -> Long.toString(digest.window().to().toEpochMilli());
                default -> matcher.group();
            };
            matcher.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        matcher.appendTail(url);
        return url.toString();
    }

    /** The placeholders of {@code template} that are not among {@code known}. */
    public static List<String> unknownPlaceholders(String template, Set<String> known) {
        List<String> unknown = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!known.contains(matcher.group(1))) {
                unknown.add(matcher.group());
            }
        }
        return unknown;
    }

    private String dateTime(Instant instant) {
        ZonedDateTime time = instant.atZone(settings.zone());
        return DATE_TIME.format(time) + " " + OFFSET.format(time);
    }

    /** Names and notes: log text in them escaped and cut to a name's length. */
    private String name(Text text) {
        return text.render(logged -> markup.escapeName(logged, MAX_NAME_CHARS), v -> v);
    }
}
