package io.logalert.sink.dingtalk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.Digest;
import io.logalert.DigestLayout;
import io.logalert.DigestLayout.Group;
import io.logalert.DigestLayout.Span;
import io.logalert.DigestLayout.Text;
import io.logalert.Labels;
import io.logalert.Mark;
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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns digests into robot messages: one digest per message, a digest split into numbered parts when it is too big
 * for one body, or several digests packed into one message when the rate budget cannot carry one message each.
 * Every body is measured as the exact JSON bytes that will be sent.
 *
 * <p>What a message says comes from {@link DigestLayout}, the layout every sink shares, in the configured labels and
 * zone; this class adds DingTalk's markup (bold labels, a red count, grey variable parts) and makes log text inert
 * with {@link Escaping}.
 */
final class DigestRenderer {

    /** Placeholders of the title template. */
    static final Set<String> TITLE_PLACEHOLDERS = Set.of("project", "events", "groups", "from", "to", "pipeline");
    /** Placeholders of the action URL template. */
    static final Set<String> URL_PLACEHOLDERS = Set.of("project", "from", "to", "from-millis", "to-millis");

    /** Characters of a sample message shown per group when digests are packed. */
    static final int COMPACT_MESSAGE_CHARS = 160;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAME_CHARS = 80;
    private static final int MIN_MESSAGE_CHARS = 16;
    // a part label is measured at its widest while parts are filled, then the real one is set
    private static final String WIDEST_LABEL = "(99/99)";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);
    private static final String COUNT_COLOR = "#d93026";
    private static final String VARIABLE_COLOR = "#8c8c8c";
    // a sample's later lines start with an ideographic space: it indents them, and a line that does not start with
    // log text cannot become a list, a quote, a rule or a code block, whatever the log line holds
    private static final String MARKDOWN_INDENT = "\u3000";

    /**
     * How much of a digest a message shows. The last two are for a robot that refused the digest's text (errcodes
     * 430101–430104): they leave out the log text it may have objected to, so that the counts still reach the group.
     */
    enum Detail {
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
        boolean withholds() {
            return this == PATTERNS || this == COUNTS;
        }
    }

    /**
     * What the renderer needs to know.
     *
     * @param type             the message type
     * @param titleTemplate    the title, with {@link #TITLE_PLACEHOLDERS}; empty for the layout's title in the labels'
     *                         words ("shop: 12 errors")
     * @param keywords         the robot's keywords; every message carries one
     * @param atMobiles        mobiles to mention
     * @param atUserIds        user ids to mention
     * @param atAll            whether to mention everyone
     * @param actionUrl        the link template, with {@link #URL_PLACEHOLDERS}
     * @param actionTitle      the text of the link or button
     * @param zone             the time zone times are shown in
     * @param maxMessageLength characters of a pattern and of a sample message shown per group
     * @param labels           the words messages are written in
     */
    record Settings(MessageType type, Optional<String> titleTemplate, List<String> keywords, List<String> atMobiles,
            List<String> atUserIds, boolean atAll, Optional<String> actionUrl, String actionTitle, ZoneId zone,
            int maxMessageLength, Labels labels) {
    }

    private final Settings settings;
    private final Labels labels;
    private final boolean markdown;
    private final String keywordPrefix;

    DigestRenderer(Settings settings) {
        this.settings = settings;
        this.labels = settings.labels();
        this.markdown = settings.type() != MessageType.TEXT;
        // the robot refuses a message without one of its keywords: make sure the heading holds one. The default
        // title's own words are those it has whatever the project and count
        List<String> titleWords = settings.titleTemplate().map(List::of).orElseGet(() -> List.of(
                labels.title(Text.words(""), 1).plain(), labels.title(Text.words(""), 2).plain()));
        boolean titleHasKeyword = settings.keywords().isEmpty() || settings.keywords().stream()
                .anyMatch(keyword -> titleWords.stream().allMatch(words -> words.contains(keyword)));
        this.keywordPrefix = titleHasKeyword ? "" : settings.keywords().get(0) + " ";
    }

    /** {@code digest} laid out in the configured labels and zone. */
    private DigestLayout layout(Digest digest) {
        return DigestLayout.of(digest, settings.zone(), labels);
    }

    /**
     * The messages of one digest on its own: one message, or numbered parts when one body would reach
     * {@code byteLimit}.
     *
     * @param index   the digest's index in the call
     * @param compact show groups in two lines each (pattern, then the sample's first line), with shorter samples
     * @throws IllegalStateException when even one group cannot fit (a byte limit far too small)
     */
    List<OutgoingMessage> split(int index, Digest digest, int byteLimit, boolean compact) {
        return split(index, digest, byteLimit, compact ? Detail.COMPACT : Detail.FULL);
    }

    /**
     * The messages of one digest on its own, showing {@code detail} of it: one message, or numbered parts when one
     * body would reach {@code byteLimit}.
     *
     * @throws IllegalStateException when even one group cannot fit (a byte limit far too small)
     */
    List<OutgoingMessage> split(int index, Digest digest, int byteLimit, Detail detail) {
        boolean compact = detail != Detail.FULL;
        int chars = compact ? Math.min(COMPACT_MESSAGE_CHARS, settings.maxMessageLength())
                : settings.maxMessageLength();
        DigestLayout layout = layout(digest);
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        if (detail.withholds()) {
            current.add(withheldNote(detail));
        }
        List<Group> groups = detail == Detail.COUNTS ? List.of() : layout.groups();
        for (Group group : groups) {
            String block = detail == Detail.PATTERNS ? patternBlock(group, chars) : groupBlock(group, compact, chars);
            if (fitsWith(index, digest, layout, current, block, parts.isEmpty(), byteLimit)) {
                current.add(block);
                continue;
            }
            if (!current.isEmpty()) {
                parts.add(current);
                current = new ArrayList<>();
            }
            int shrunk = chars;
            while (!fitsWith(index, digest, layout, current, block, parts.isEmpty(), byteLimit)) {
                shrunk /= 2;
                if (shrunk < MIN_MESSAGE_CHARS) {
                    throw new IllegalStateException("one group does not fit in " + byteLimit + " bytes");
                }
                block = detail == Detail.PATTERNS ? patternBlock(group, shrunk) : groupBlock(group, compact, shrunk);
            }
            current.add(block);
        }
        for (String tail : detail.withholds() ? withheldTailBlocks(digest, layout, detail) : tailBlocks(layout)) {
            // the notes are bounded (counts, times, a reason cut to a name's length): a fresh part always holds one
            if (!current.isEmpty() && !fitsWith(index, digest, layout, current, tail, parts.isEmpty(), byteLimit)) {
                parts.add(current);
                current = new ArrayList<>();
            }
            current.add(tail);
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
    Optional<OutgoingMessage> pack(List<Integer> indices, List<Digest> digests, int byteLimit) {
        int chars = Math.min(COMPACT_MESSAGE_CHARS, settings.maxMessageLength());
        List<String> blocks = new ArrayList<>();
        List<DigestLayout> layouts = digests.stream().map(this::layout).toList();
        for (int i = 0; i < digests.size(); i++) {
            DigestLayout layout = layouts.get(i);
            blocks.add(sectionIntro(digests.get(i), layout));
            for (Group group : layout.groups()) {
                blocks.add(groupBlock(group, true, chars));
            }
            blocks.addAll(tailBlocks(layout));
        }
        String title = title(digests, Optional.empty(), "");
        List<String> all = new ArrayList<>();
        all.add(labels.packed(digests.size()));
        all.addAll(blocks);
        OutgoingMessage message = assemble(indices, digests, title, all, true);
        return message.body().length < byteLimit ? Optional.of(message) : Optional.empty();
    }

    private boolean fitsWith(int index, Digest digest, DigestLayout layout, List<String> blocks, String block,
            boolean first, int byteLimit) {
        List<String> candidate = new ArrayList<>(blocks);
        candidate.add(block);
        return part(index, digest, layout, candidate, first, WIDEST_LABEL).body().length < byteLimit;
    }

    private OutgoingMessage part(int index, Digest digest, DigestLayout layout, List<String> groupBlocks,
            boolean first, String label) {
        List<String> blocks = new ArrayList<>();
        blocks.add(first ? intro(digest, layout) : continuedIntro(layout));
        blocks.addAll(groupBlocks);
        // "shop: 0 errors" alone would read as a false alarm in the chat list; the note says why the message exists
        return assemble(List.of(index), List.of(digest), title(List.of(digest), layout.titleNote(), label), blocks,
                first);
    }

    private OutgoingMessage assemble(List<Integer> indices, List<Digest> digests, String title, List<String> blocks,
            boolean first) {
        // the sink's own mentions, and those of the routes that sent these digests here: a number is a mobile,
        // anything else a DingTalk user id
        Set<String> atMobiles = new LinkedHashSet<>(settings.atMobiles());
        Set<String> atUserIds = new LinkedHashSet<>(settings.atUserIds());
        for (Digest digest : digests) {
            for (String person : digest.mentions()) {
                (DingTalkSink.MOBILE.matcher(person).matches() ? atMobiles : atUserIds).add(person);
            }
        }
        boolean mention = first && settings.type() != MessageType.ACTION_CARD
                && (settings.atAll() || !atMobiles.isEmpty() || !atUserIds.isEmpty());
        StringBuilder text = new StringBuilder();
        text.append(markdown ? "#### " + title : title);
        for (String block : blocks) {
            text.append("\n\n").append(block);
        }
        if (mention && (!atMobiles.isEmpty() || !atUserIds.isEmpty())) {
            // DingTalk shows a mention only when the content itself holds "@<mobile>" / "@<userId>"
            List<String> names = new ArrayList<>();
            atMobiles.forEach(m -> names.add("@" + m));
            atUserIds.forEach(u -> names.add("@" + u));
            text.append("\n\n").append(String.join(" ", names));
        }
        String content = text.toString();
        if (!settings.keywords().isEmpty() && settings.keywords().stream().noneMatch(content::contains)) {
            throw new IllegalStateException("a message without a keyword was rendered");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("msgtype", settings.type().msgtype());
        switch (settings.type()) {
            case TEXT -> body.putObject("text").put("content", content);
            case MARKDOWN -> body.putObject("markdown").put("title", title).put("text", content);
            case ACTION_CARD -> {
                ObjectNode card = body.putObject("actionCard").put("title", title).put("text", content)
                        .put("btnOrientation", "0");
                if (digests.size() == 1) {
                    card.put("singleTitle", settings.actionTitle())
                            .put("singleURL", actionUrl(digests.get(0)).orElseThrow());
                } else {
                    ArrayNode buttons = card.putArray("btns");
                    for (Digest digest : digests) {
                        buttons.addObject()
                                .put("title", labels.field(settings.actionTitle(),
                                        Escaping.truncate(digest.project(), MAX_NAME_CHARS)))
                                .put("actionURL", actionUrl(digest).orElseThrow());
                    }
                }
            }
            default -> throw new IllegalStateException("unknown type " + settings.type());
        }
        if (mention) {
            ObjectNode at = body.putObject("at");
            ArrayNode mobiles = at.putArray("atMobiles");
            atMobiles.forEach(mobiles::add);
            ArrayNode userIds = at.putArray("atUserIds");
            atUserIds.forEach(userIds::add);
            at.put("isAtAll", settings.atAll());
        }
        try {
            return new OutgoingMessage(indices, title, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a message body", e);
        }
    }

    private String intro(Digest digest, DigestLayout layout) {
        List<String> lines = new ArrayList<>();
        catchUpLine(layout).ifPresent(lines::add);
        lines.add(field(labels.window(), layout.window()));
        layout.totals().ifPresent(totals -> lines.add(field(labels.total(), totals)));
        link(digest).ifPresent(lines::add);
        return String.join(lineBreak(), lines);
    }

    private String continuedIntro(DigestLayout layout) {
        return field(labels.window(), layout.window()) + lineBreak() + labels.continued();
    }

    private String sectionIntro(Digest digest, DigestLayout layout) {
        String project = name(layout.project());
        List<String> lines = new ArrayList<>();
        lines.add(markdown ? "##### " + project : "== " + project + " ==");
        catchUpLine(layout).ifPresent(lines::add);
        lines.add(layout.window() + layout.totals().map(totals -> " · " + totals).orElse(""));
        link(digest).ifPresent(lines::add);
        return String.join(lineBreak(), lines);
    }

    /** "logalert was down …: totals" for a digest that sums up a backlog. */
    private Optional<String> catchUpLine(DigestLayout layout) {
        String lead = markdown ? "**" + labels.down() + "** " : labels.down() + " ";
        return layout.catchUp().map(line -> lead + line);
    }

    private Optional<String> link(Digest digest) {
        if (settings.type() == MessageType.ACTION_CARD) {
            return Optional.empty();
        }
        return actionUrl(digest).map(url -> markdown ? "[" + settings.actionTitle() + "](" + url + ")"
                : labels.field(settings.actionTitle(), url));
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
        String indent = markdown ? "" : "   ";
        if (compact) {
            lines.add(head + " (" + group.seen() + ")");
            if (!group.sample().isEmpty() && !group.continues()) {
                lines.add(indent + sampleLead(group.sample().get(0), chars));
            }
            return String.join(lineBreak(), lines);
        }
        lines.add(head);
        int remaining = chars;
        for (int i = 0; i < group.sample().size() && remaining > 0; i++) {
            String line = group.sample().get(i);
            lines.add(i == 0 && !group.continues() ? indent + sampleLead(line, remaining)
                    : stackIndent() + escape(line, remaining));
            remaining -= line.codePointCount(0, line.length());
        }
        if (group.moreLines() > 0) {
            lines.add(stackIndent() + labels.moreLines(group.moreLines()));
        }
        lines.add(indent + group.details().render(logged -> escape(logged, MAX_NAME_CHARS), v -> v));
        return String.join(lineBreak(), lines);
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
        String count = markdown ? "<font color=" + COUNT_COLOR + ">**" + group.countText() + "**</font>"
                : group.countText();
        StringBuilder head = new StringBuilder();
        head.append(markdown ? "**" + group.rank() + ".** " : group.rank() + ". ").append(markLabel(group.mark()))
                .append(count);
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
        return markdown ? "*" + note + "*" : note;
    }

    /**
     * The tail of a message that withholds log text: the omitted groups (counts only), and what silences held as a
     * count, without the silences' reasons (text someone typed, which the robot may be refusing).
     */
    private List<String> withheldTailBlocks(Digest digest, DigestLayout layout, Detail detail) {
        List<String> blocks = new ArrayList<>();
        if (detail == Detail.PATTERNS) {
            layout.omitted().ifPresent(omitted -> blocks.add(markdown ? "*" + omitted + "*" : omitted));
        }
        // a digest of nothing but silences already says this in its totals
        boolean saidInTotals = digest.groups().isEmpty() && digest.omittedGroups() == 0;
        if (!digest.silenced().isEmpty() && !saidInTotals) {
            long held = digest.silenced().stream().mapToLong(Silenced::events).sum();
            long silences = digest.silenced().stream().map(Silenced::silenceId).distinct().count();
            String text = labels.heldBySilences(held, silences);
            blocks.add(markdown ? "🔕 " + text : text);
        }
        return blocks;
    }

    private String sampleLead(String line, int chars) {
        return labels.sample(Text.log(line)).render(logged -> escape(logged, chars), v -> v);
    }

    private String stackIndent() {
        return markdown ? MARKDOWN_INDENT : "      ";
    }

    /**
     * A pattern with its log text escaped and cut to {@code chars} characters (a variable part counts as one), and
     * its variable parts greyed in markdown, so that the constant words stand out.
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
                    out.append(escape(span.text(), remaining));
                    remaining -= span.text().codePointCount(0, span.text().length());
                }
                case VARIABLE -> {
                    out.append(markdown ? "<font color=" + VARIABLE_COLOR + ">" + span.text() + "</font>"
                            : span.text());
                    remaining--;
                }
                case WORDS -> out.append(span.text());
                default -> throw new IllegalStateException("unknown span " + span.kind());
            }
        }
        return out.toString();
    }

    /**
     * The label shown before a group's count. Our own text, not log text: it only has to stay clear of markup, so
     * markdown gets an emoji (brackets there would start a link) and a text message plain brackets.
     */
    private String markLabel(Mark mark) {
        return switch (mark) {
            case NONE -> "";
            case NEW -> markdown ? "🆕 " + labels.mark(mark) + " " : "[" + labels.mark(mark) + "] ";
            case BACK -> markdown ? "↩ " + labels.mark(mark) + " " : "[" + labels.mark(mark) + "] ";
        };
    }

    /** The omitted groups and the silence notes, in that order, after a digest's groups. */
    private List<String> tailBlocks(DigestLayout layout) {
        List<String> blocks = new ArrayList<>();
        layout.omitted().ifPresent(omitted -> blocks.add(markdown ? "*" + omitted + "*" : omitted));
        for (Text note : layout.silenced()) {
            String text = name(note);
            blocks.add(markdown ? "🔕 " + text : text);
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
            case "pipeline" -> escape(String.join(", ",
                    new LinkedHashSet<>(digests.stream().map(Digest::pipelineId).toList())), MAX_NAME_CHARS);
            default -> "{" + placeholder + "}";
        };
    }

    private Text projects(List<Digest> digests) {
        return labels.projects(new ArrayList<>(new LinkedHashSet<>(digests.stream().map(Digest::project).toList())));
    }

    /** The action URL of {@code digest}, placeholders filled and URL-encoded. */
    Optional<String> actionUrl(Digest digest) {
        return settings.actionUrl().map(template -> {
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
                matcher.appendReplacement(url,
                        Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            }
            matcher.appendTail(url);
            return url.toString();
        });
    }

    /** The placeholders of {@code template} that are not among {@code known}. */
    static List<String> unknownPlaceholders(String template, Set<String> known) {
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
        return text.render(logged -> escape(logged, MAX_NAME_CHARS), v -> v);
    }

    private String escape(String text, int chars) {
        return markdown ? Escaping.markdown(text, chars) : Escaping.plain(text, chars);
    }

    /** A label and its value: the label in bold in markdown. */
    private String field(String label, String value) {
        return markdown ? "**" + label + "** " + value : labels.field(label, value);
    }

    private String lineBreak() {
        // DingTalk's markdown breaks a line reliably only after two spaces
        return markdown ? "  \n" : "\n";
    }
}
