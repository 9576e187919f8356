package io.logalert.sink.dingtalk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.HeldBack;
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
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE_HOUR_MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final String COUNT_COLOR = "#d93026";

    /**
     * What the renderer needs to know.
     *
     * @param type             the message type
     * @param titleTemplate    the title, with {@link #TITLE_PLACEHOLDERS}
     * @param keywords         the robot's keywords; every message carries one
     * @param atMobiles        mobiles to mention
     * @param atUserIds        user ids to mention
     * @param atAll            whether to mention everyone
     * @param actionUrl        the link template, with {@link #URL_PLACEHOLDERS}
     * @param actionTitle      the text of the link or button
     * @param zone             the time zone times are shown in
     * @param maxMessageLength characters of a sample message shown per group
     */
    record Settings(MessageType type, String titleTemplate, List<String> keywords, List<String> atMobiles,
            List<String> atUserIds, boolean atAll, Optional<String> actionUrl, String actionTitle, ZoneId zone,
            int maxMessageLength) {
    }

    private final Settings settings;
    private final boolean markdown;
    private final String keywordPrefix;

    DigestRenderer(Settings settings) {
        this.settings = settings;
        this.markdown = settings.type() != MessageType.TEXT;
        // the robot refuses a message without one of its keywords: make sure the heading holds one
        boolean titleHasKeyword = settings.keywords().isEmpty()
                || settings.keywords().stream().anyMatch(settings.titleTemplate()::contains);
        this.keywordPrefix = titleHasKeyword ? "" : settings.keywords().get(0) + " ";
    }

    /**
     * The messages of one digest on its own: one message, or numbered parts when one body would reach
     * {@code byteLimit}.
     *
     * @param index   the digest's index in the call
     * @param compact show groups on one line each, with shorter samples
     * @throws IllegalStateException when even one group cannot fit (a byte limit far too small)
     */
    List<OutgoingMessage> split(int index, Digest digest, int byteLimit, boolean compact) {
        int chars = compact ? Math.min(COMPACT_MESSAGE_CHARS, settings.maxMessageLength())
                : settings.maxMessageLength();
        List<List<String>> parts = new ArrayList<>();
        List<String> current = new ArrayList<>();
        List<ErrorGroup> groups = digest.groups();
        for (int rank = 1; rank <= groups.size(); rank++) {
            ErrorGroup group = groups.get(rank - 1);
            String block = groupBlock(digest, group, rank, compact, chars);
            if (fitsWith(index, digest, current, block, parts.isEmpty(), byteLimit)) {
                current.add(block);
                continue;
            }
            if (!current.isEmpty()) {
                parts.add(current);
                current = new ArrayList<>();
            }
            int shrunk = chars;
            while (!fitsWith(index, digest, current, block, parts.isEmpty(), byteLimit)) {
                shrunk /= 2;
                if (shrunk < MIN_MESSAGE_CHARS) {
                    throw new IllegalStateException("one group does not fit in " + byteLimit + " bytes");
                }
                block = groupBlock(digest, group, rank, compact, shrunk);
            }
            current.add(block);
        }
        for (String tail : tailBlocks(digest)) {
            // the notes are bounded (counts, times, a reason cut to a name's length): a fresh part always holds one
            if (!current.isEmpty() && !fitsWith(index, digest, current, tail, parts.isEmpty(), byteLimit)) {
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
            OutgoingMessage message = part(index, digest, parts.get(i), i == 0, label);
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
        for (Digest digest : digests) {
            blocks.add(sectionIntro(digest));
            List<ErrorGroup> groups = digest.groups();
            for (int rank = 1; rank <= groups.size(); rank++) {
                blocks.add(groupBlock(digest, groups.get(rank - 1), rank, true, chars));
            }
            blocks.addAll(tailBlocks(digest));
        }
        String title = title(digests, "");
        List<String> all = new ArrayList<>();
        all.add(packIntro(digests));
        all.addAll(blocks);
        OutgoingMessage message = assemble(indices, digests, title, all, true);
        return message.body().length < byteLimit ? Optional.of(message) : Optional.empty();
    }

    private boolean fitsWith(int index, Digest digest, List<String> blocks, String block, boolean first,
            int byteLimit) {
        List<String> candidate = new ArrayList<>(blocks);
        candidate.add(block);
        return part(index, digest, candidate, first, WIDEST_LABEL).body().length < byteLimit;
    }

    private OutgoingMessage part(int index, Digest digest, List<String> groupBlocks, boolean first, String label) {
        List<String> blocks = new ArrayList<>();
        blocks.add(first ? intro(digest) : continuedIntro(digest));
        blocks.addAll(groupBlocks);
        // "shop: 0 errors" alone would read as a false alarm in the chat list; the note says why the message exists
        String labels = label;
        if (onlySilenced(digest)) {
            labels = ("(" + heldBySilences(digest) + ") " + label).strip();
        }
        return assemble(List.of(index), List.of(digest), title(List.of(digest), labels), blocks, first);
    }

    private OutgoingMessage assemble(List<Integer> indices, List<Digest> digests, String title, List<String> blocks,
            boolean first) {
        boolean mention = first && settings.type() != MessageType.ACTION_CARD
                && (settings.atAll() || !settings.atMobiles().isEmpty() || !settings.atUserIds().isEmpty());
        StringBuilder text = new StringBuilder();
        text.append(markdown ? "#### " + title : title);
        for (String block : blocks) {
            text.append("\n\n").append(block);
        }
        if (mention && (!settings.atMobiles().isEmpty() || !settings.atUserIds().isEmpty())) {
            // DingTalk shows a mention only when the content itself holds "@<mobile>" / "@<userId>"
            List<String> names = new ArrayList<>();
            settings.atMobiles().forEach(m -> names.add("@" + m));
            settings.atUserIds().forEach(u -> names.add("@" + u));
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
                                .put("title", settings.actionTitle() + ": "
                                        + Escaping.truncate(digest.project(), MAX_NAME_CHARS))
                                .put("actionURL", actionUrl(digest).orElseThrow());
                    }
                }
            }
            default -> throw new IllegalStateException("unknown type " + settings.type());
        }
        if (mention) {
            ObjectNode at = body.putObject("at");
            ArrayNode mobiles = at.putArray("atMobiles");
            settings.atMobiles().forEach(mobiles::add);
            ArrayNode userIds = at.putArray("atUserIds");
            settings.atUserIds().forEach(userIds::add);
            at.put("isAtAll", settings.atAll());
        }
        try {
            return new OutgoingMessage(indices, title, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a message body", e);
        }
    }

    private String intro(Digest digest) {
        List<String> lines = new ArrayList<>();
        // a catch-up digest's totals belong to the downtime: said in its line, not again as "Total"
        catchUpLine(digest).ifPresent(lines::add);
        lines.add(label("Window") + range(digest.window().from(), digest.window().to()));
        if (digest.catchUp().isEmpty()) {
            lines.add(label("Total") + totals(digest));
        }
        link(digest).ifPresent(lines::add);
        return String.join(lineBreak(), lines);
    }

    private String continuedIntro(Digest digest) {
        return label("Window") + range(digest.window().from(), digest.window().to()) + lineBreak() + "(continued)";
    }

    private String packIntro(List<Digest> digests) {
        return digests.size() + " digests packed into one message to stay within the robot's rate limit";
    }

    private String sectionIntro(Digest digest) {
        String project = name(digest.project());
        List<String> lines = new ArrayList<>();
        lines.add(markdown ? "##### " + project : "== " + project + " ==");
        catchUpLine(digest).ifPresent(lines::add);
        lines.add(range(digest.window().from(), digest.window().to())
                + (digest.catchUp().isPresent() ? "" : " · " + totals(digest)));
        link(digest).ifPresent(lines::add);
        return String.join(lineBreak(), lines);
    }

    private String totals(Digest digest) {
        if (onlySilenced(digest)) {
            return "no errors to show; " + heldBySilences(digest);
        }
        return count(digest.totalEvents()) + " errors in " + count(digest.totalGroups())
                + (digest.totalGroups() == 1 ? " group" : " groups");
    }

    /** "logalert was down …: totals" for a digest that sums up a backlog. */
    private Optional<String> catchUpLine(Digest digest) {
        String lead = markdown ? "**logalert was down** " : "logalert was down ";
        return digest.catchUp().map(gap -> lead + range(gap.from(), gap.to()) + ": " + totals(digest));
    }

    /** A digest that exists only to say what silences held: no group, nothing omitted. */
    private static boolean onlySilenced(Digest digest) {
        return digest.groups().isEmpty() && digest.omittedGroups() == 0 && !digest.silenced().isEmpty();
    }

    private static String heldBySilences(Digest digest) {
        long held = digest.silenced().stream().mapToLong(Silenced::events).sum();
        int silences = (int) digest.silenced().stream().map(Silenced::silenceId).distinct().count();
        return count(held) + " held by " + (silences == 1 ? "a silence" : count(silences) + " silences");
    }

    private Optional<String> link(Digest digest) {
        if (settings.type() == MessageType.ACTION_CARD) {
            return Optional.empty();
        }
        return actionUrl(digest).map(url -> markdown ? "[" + settings.actionTitle() + "](" + url + ")"
                : settings.actionTitle() + ": " + url);
    }

    private String groupBlock(Digest digest, ErrorGroup group, int rank, boolean compact, int chars) {
        String message = escape(group.sampleMessage(), chars);
        String count = count(group.count()) + "×";
        String held = group.heldBack().map(h -> " " + heldBack(h, digest)).orElse("");
        String head = markdown
                ? "**" + rank + ".** " + markLabel(group.mark()) + "<font color=" + COUNT_COLOR + ">**" + count
                        + "**</font>" + held + " " + message
                : rank + ". " + markLabel(group.mark()) + count + held + " " + message;
        String seen = seen(group);
        if (compact) {
            return head + " (" + seen + ")";
        }
        String details = "seen " + seen + (group.sampleThread().isBlank() ? ""
                : " · thread " + escape(group.sampleThread(), MAX_NAME_CHARS));
        return head + lineBreak() + (markdown ? details : "   " + details);
    }

    /**
     * The label shown before a group's count. Our own text, not log text: it only has to stay clear of markup, so
     * markdown gets an emoji (brackets there would start a link) and a text message plain brackets.
     */
    private String markLabel(Mark mark) {
        return switch (mark) {
            case NONE -> "";
            case NEW -> markdown ? "🆕 new " : "[new] ";
            case BACK -> markdown ? "↩ back " : "[back] ";
        };
    }

    private String heldBack(HeldBack held, Digest digest) {
        return "(+" + count(held.count()) + " since " + shortTime(held.since(), digest) + ")";
    }

    /** A group's first and last seen, or the one time when they are the same. */
    private String seen(ErrorGroup group) {
        if (group.count() == 1 || group.firstSeen().equals(group.lastSeen())) {
            ZonedDateTime at = group.firstSeen().atZone(settings.zone());
            return DATE_TIME.format(at) + " (" + OFFSET.format(at) + ")";
        }
        return range(group.firstSeen(), group.lastSeen());
    }

    /** The omitted groups and the silence notes, in that order, after a digest's groups. */
    private List<String> tailBlocks(Digest digest) {
        List<String> blocks = new ArrayList<>();
        if (digest.omittedGroups() > 0) {
            blocks.add(omittedBlock(digest));
        }
        for (Silenced silenced : digest.silenced()) {
            blocks.add(silencedBlock(silenced, digest));
        }
        return blocks;
    }

    private String silencedBlock(Silenced silenced, Digest digest) {
        // an end without a date after a start with one would read as the start's day
        ZonedDateTime end = silenced.until().atZone(settings.zone());
        String until = sameDay(silenced.until(), silenced.from()) ? HOUR_MINUTE.format(end)
                : DATE_HOUR_MINUTE.format(end);
        // one digest for every project holds the notes of several: say whose
        String whose = Digest.ALL_PROJECTS.equals(digest.project()) ? " of " + name(silenced.project()) : "";
        String text = count(silenced.events()) + " errors" + whose + " held by a silence "
                + shortTime(silenced.from(), digest) + "–" + until + " (reason: "
                + escape(silenced.reason(), MAX_NAME_CHARS) + ")";
        return markdown ? "🔕 " + text : text;
    }

    /** {@code HH:mm} in the configured zone, with the date when it is not the day the digest's window starts. */
    private String shortTime(Instant instant, Digest digest) {
        ZonedDateTime time = instant.atZone(settings.zone());
        return sameDay(instant, digest.window().from()) ? HOUR_MINUTE.format(time) : DATE_HOUR_MINUTE.format(time);
    }

    private boolean sameDay(Instant a, Instant b) {
        return a.atZone(settings.zone()).toLocalDate().equals(b.atZone(settings.zone()).toLocalDate());
    }

    private String omittedBlock(Digest digest) {
        String text = "+" + count(digest.omittedGroups()) + " more "
                + (digest.omittedGroups() == 1 ? "group" : "groups") + " (" + count(digest.omittedEvents())
                + " errors)";
        return markdown ? "*" + text + "*" : text;
    }

    private String title(List<Digest> digests, String label) {
        Matcher matcher = PLACEHOLDER.matcher(settings.titleTemplate());
        StringBuilder title = new StringBuilder(keywordPrefix);
        while (matcher.find()) {
            matcher.appendReplacement(title, Matcher.quoteReplacement(titleValue(matcher.group(1), digests)));
        }
        matcher.appendTail(title);
        return label.isEmpty() ? title.toString() : title + " " + label;
    }

    private String titleValue(String placeholder, List<Digest> digests) {
        return switch (placeholder) {
            case "project" -> projects(digests);
            case "events" -> count(digests.stream().mapToLong(Digest::totalEvents).sum());
            case "groups" -> count(digests.stream().mapToLong(Digest::totalGroups).sum());
            case "from" -> dateTime(digests.stream().map(d -> d.window().from()).min(Comparator.naturalOrder())
                    .orElseThrow());
            case "to" -> dateTime(digests.stream().map(d -> d.window().to()).max(Comparator.naturalOrder())
                    .orElseThrow());
            case "pipeline" -> name(String.join(", ",
                    new LinkedHashSet<>(digests.stream().map(Digest::pipelineId).toList())));
            default -> "{" + placeholder + "}";
        };
    }

    private String projects(List<Digest> digests) {
        List<String> names = new ArrayList<>(new LinkedHashSet<>(digests.stream().map(Digest::project).toList()));
        if (names.size() <= 3) {
            return name(String.join(", ", names));
        }
        return name(String.join(", ", names.subList(0, 3))) + " +" + (names.size() - 3) + " more";
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

    /** {@code from – to} in the configured zone, the date and offset said once when they are shared. */
    String range(Instant from, Instant to) {
        ZonedDateTime a = from.atZone(settings.zone());
        ZonedDateTime b = to.atZone(settings.zone());
        if (!a.getOffset().equals(b.getOffset())) {
            return dateTime(from) + " – " + dateTime(to);
        }
        String end = a.toLocalDate().equals(b.toLocalDate()) ? TIME.format(b) : DATE_TIME.format(b);
        return DATE_TIME.format(a) + " – " + end + " (" + OFFSET.format(a) + ")";
    }

    private String dateTime(Instant instant) {
        ZonedDateTime time = instant.atZone(settings.zone());
        return DATE_TIME.format(time) + " " + OFFSET.format(time);
    }

    private String name(String text) {
        return escape(text, MAX_NAME_CHARS);
    }

    private String escape(String text, int chars) {
        return markdown ? Escaping.markdown(text, chars) : Escaping.plain(text, chars);
    }

    private String label(String name) {
        return markdown ? "**" + name + "** " : name + ": ";
    }

    private String lineBreak() {
        // DingTalk's markdown breaks a line reliably only after two spaces
        return markdown ? "  \n" : "\n";
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
