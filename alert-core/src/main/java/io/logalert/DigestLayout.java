package io.logalert;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a digest says, laid out once for every sink: the parts in the order a reader meets them, with our words in
 * the chosen {@link Labels}, numbers with grouping separators and times in the chosen zone. A sink only adds its
 * markup: it styles labels, escapes the log text that {@link Text} marks as such, and shows the variable parts of a
 * pattern its own way.
 *
 * <p>The parts, in order: {@link #title()} (with {@link #titleNote()} when the digest only says what silences held),
 * {@link #catchUp()} after downtime, {@link #window()}, {@link #totals()}, one {@link Group} per error group, then
 * {@link #omitted()} ("+K more groups (M errors)") and the {@link #silenced()} notes. A group shows its kind as a
 * {@link Group#pattern() pattern} whose variable parts are marked, so that "13,604×" reads as a count of a kind and
 * not of one order; one real {@link Group#sample() sample} beneath it, a stack trace's first lines kept as lines;
 * then when and where it was seen.
 *
 * <p>Times are shown in the zone with the date only when it is not the day the window starts; the window and the
 * catch-up stretch are shown with their date and offset. A time that is one instant (a group of one event, or of
 * several at the same millisecond) is shown once, never as "03:08:00 – 03:08:00".
 *
 * <pre>{@code
 * DigestLayout layout = DigestLayout.of(digest, ZoneId.of("Asia/Shanghai"), Locale.SIMPLIFIED_CHINESE);
 * out.println(layout.title().plain());              // checkout：13,604 个错误
 * for (DigestLayout.Group group : layout.groups()) {
 *     out.println(group.countText() + " " + group.pattern().render(this::escape, variable -> "<i>…</i>"));
 * }
 * }</pre>
 *
 * @param labels    the words the layout is written in
 * @param zone      the zone its times are shown in
 * @param project   the digest's project as shown ("(all projects)" in the labels' words for a digest of every project)
 * @param title     "checkout: 13,604 errors"
 * @param titleNote for a digest that only says what silences held, "412 held by 2 silences", shown beside the title
 *                  so that "0 errors" does not read as a false alarm; otherwise empty
 * @param catchUp   for a digest that sums up a backlog, "2026-03-01 06:02:00 – 06:45:00 (+08:00): 1,999 errors in 2
 *                  groups", shown after {@link Labels#down()}; it says the totals, so {@code totals} is then empty
 * @param window    the window, "2026-03-01 10:00:00 – 10:02:00 (+08:00)"
 * @param totals    "1,999 errors in 2 groups", or "no errors to show; 412 held by a silence"; empty for a catch-up
 * @param groups    the groups, largest first as the digest has them
 * @param omitted   "+3 more groups (17 errors)" when the digest left groups out
 * @param silenced  one note per silence that held records of the project: "412 errors held by a silence 08:00–09:30
 *                  (reason: deploy)"
 */
public record DigestLayout(
        Labels labels,
        ZoneId zone,
        Text project,
        Text title,
        Optional<String> titleNote,
        Optional<String> catchUp,
        String window,
        Optional<String> totals,
        List<Group> groups,
        Optional<String> omitted,
        List<Text> silenced) {

    /** How a pattern shows a variable part ({@code <*>} in a template) to sinks without markup of their own. */
    public static final String VARIABLE = "‹…›";
    /** Lines of a multi-line sample message shown (a stack trace's message and first frames). */
    public static final int SAMPLE_LINES = 3;
    /** How a template marks a variable part. */
    static final String WILDCARD = "<*>";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE_HOUR_MINUTE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);
    private static final String DETAIL_SEPARATOR = " · ";

    /** Validates the layout and copies its lists. */
    public DigestLayout {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(titleNote, "titleNote");
        Objects.requireNonNull(catchUp, "catchUp");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(totals, "totals");
        groups = List.copyOf(groups);
        Objects.requireNonNull(omitted, "omitted");
        silenced = List.copyOf(silenced);
    }

    /** {@code digest} laid out in English, with times in this machine's zone ({@link ZoneId#systemDefault()}). */
    public static DigestLayout of(Digest digest) {
        return of(digest, ZoneId.systemDefault(), Labels.ENGLISH);
    }

    /**
     * {@code digest} laid out in the labels of {@code locale}, with times in {@code zone}.
     *
     * @throws IllegalArgumentException when there are no labels for {@code locale}; see {@link Labels#of(Locale)}
     */
    public static DigestLayout of(Digest digest, ZoneId zone, Locale locale) {
        return of(digest, zone, Labels.of(locale));
    }

    /** {@code digest} laid out in {@code labels}, with times in {@code zone}. */
    public static DigestLayout of(Digest digest, ZoneId zone, Labels labels) {
        Objects.requireNonNull(digest, "digest");
        return new Builder(digest, zone, labels).layout();
    }

    /**
     * One error group as shown.
     *
     * @param rank      its place in the digest, from 1
     * @param mark      new, back or neither; {@link Labels#mark(Mark)} says it
     * @param count     how many records it holds
     * @param countText the count with separators and "×": "13,604×"
     * @param heldBack  "(+312 since 17:05)" when realert held occurrences back before this window
     * @param pattern   the kind: the first line of the group's template, its variable parts as {@link Kind#VARIABLE}
     *                  spans and the rest as log text
     * @param sample    lines of one real message of the group, log text, without line breaks and surrounding blanks:
     *                  at most {@link #SAMPLE_LINES} of them; its first line is left out when it is the pattern's
     *                  (a pattern without variables), so nothing is said twice; may be empty
     * @param continues whether {@code sample} continues the pattern: its first line was the pattern, so the lines
     *                  shown are the message's later lines (a stack trace's frames), not a sample to introduce
     * @param moreLines lines of the sample beyond the first {@link #SAMPLE_LINES}, which no part shows
     * @param seen      when: one time for a single instant, "10:00:00 – 10:00:30" otherwise
     * @param thread    the sample's thread, when known; log text
     * @param project   the group's project, in a digest of every project; log text
     * @param details   "seen … · thread … · project …", in the labels' words
     */
    public record Group(int rank, Mark mark, long count, String countText, Optional<String> heldBack, Text pattern,
            List<String> sample, boolean continues, int moreLines, String seen, Optional<String> thread, Optional<String> project,
            Text details) {

        /** Validates the group and copies its sample. */
        public Group {
            Objects.requireNonNull(mark, "mark");
            Objects.requireNonNull(countText, "countText");
            Objects.requireNonNull(heldBack, "heldBack");
            Objects.requireNonNull(pattern, "pattern");
            sample = List.copyOf(sample);
            Objects.requireNonNull(seen, "seen");
            Objects.requireNonNull(thread, "thread");
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(details, "details");
        }
    }

    /** What a span of a {@link Text} holds, which tells a sink how to treat it. */
    public enum Kind {
        /** Our words, numbers and times: shown as they are. */
        WORDS,
        /** Text from the logs (a message, a project, a thread, a reason): escaped by a sink that has markup. */
        LOG,
        /** A variable part of a pattern; its text is {@link #VARIABLE}, which a sink may show its own way. */
        VARIABLE
    }

    /**
     * A piece of a {@link Text}.
     *
     * @param kind what it holds
     * @param text its characters, never empty
     */
    public record Span(Kind kind, String text) {

        /** Validates the span. */
        public Span {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(text, "text");
            if (text.isEmpty()) {
                throw new IllegalArgumentException("a span cannot be empty");
            }
        }
    }

    /**
     * A line of text in spans that say which parts are ours and which came from the logs, so that a sink can escape
     * exactly the log text and style the rest.
     *
     * @param spans the spans in reading order; adjacent spans differ in kind
     */
    public record Text(List<Span> spans) {

        /** Copies the spans. */
        public Text {
            spans = List.copyOf(spans);
        }

        /** Our own {@code words}. */
        public static Text words(String words) {
            return of(Kind.WORDS, words);
        }

        /** Text {@code logged} by an application. */
        public static Text log(String logged) {
            return of(Kind.LOG, logged);
        }

        /** One variable part of a pattern. */
        public static Text variable() {
            return of(Kind.VARIABLE, VARIABLE);
        }

        private static Text of(Kind kind, String text) {
            Objects.requireNonNull(text, "text");
            return new Text(text.isEmpty() ? List.of() : List.of(new Span(kind, text)));
        }

        /** {@code parts} one after the other, adjacent words or log text joined into one span. */
        public static Text concat(List<Text> parts) {
            List<Span> spans = new ArrayList<>();
            for (Text part : parts) {
                for (Span span : part.spans) {
                    Span last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
                    if (last != null && last.kind() == span.kind() && span.kind() != Kind.VARIABLE) {
                        spans.set(spans.size() - 1, new Span(span.kind(), last.text() + span.text()));
                    } else {
                        spans.add(span);
                    }
                }
            }
            return new Text(spans);
        }

        /** Whether the text has no characters. */
        public boolean isEmpty() {
            return spans.isEmpty();
        }

        /** The text as it reads, without markup: words and log text as they are, variables as {@link #VARIABLE}. */
        public String plain() {
            return render(UnaryOperator.identity(), UnaryOperator.identity());
        }

        /**
         * The text with {@code log} applied to each log span (to escape it) and {@code variable} to each variable
         * part (whose text is {@link #VARIABLE}); words as they are.
         */
        public String render(UnaryOperator<String> log, UnaryOperator<String> variable) {
            StringBuilder out = new StringBuilder();
            for (Span span : spans) {
                out.append(switch (span.kind()) {
                    case WORDS -> span.text();
                    case LOG -> log.apply(span.text());
                    case VARIABLE -> variable.apply(span.text());
                });
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return plain();
        }
    }

    /** Lays out one digest; lives for one call of {@link #of(Digest, ZoneId, Labels)}. */
    private static final class Builder {

        private final Digest digest;
        private final ZoneId zone;
        private final Labels labels;
        private final ZonedDateTime windowStart;

        Builder(Digest digest, ZoneId zone, Labels labels) {
            this.digest = digest;
            this.zone = Objects.requireNonNull(zone, "zone");
            this.labels = Objects.requireNonNull(labels, "labels");
            this.windowStart = digest.window().from().atZone(zone);
        }

        DigestLayout layout() {
            boolean onlySilenced = digest.groups().isEmpty() && digest.omittedGroups() == 0
                    && !digest.silenced().isEmpty();
            String held = heldBySilences();
            // "0 errors in 0 groups" would read as a run that found nothing; the digest exists for its notes
            String totals = onlySilenced ? labels.nothingToShow(held)
                    : digest.late() ? labels.lateTotals(digest.totalEvents(), digest.totalGroups())
                    : labels.totals(digest.totalEvents(), digest.totalGroups());
            Text project = labels.project(digest.project());
            List<Group> groups = new ArrayList<>();
            for (int i = 0; i < digest.groups().size(); i++) {
                groups.add(group(i + 1, digest.groups().get(i)));
            }
            List<Text> silenced = new ArrayList<>();
            boolean everyProject = Digest.ALL_PROJECTS.equals(digest.project());
            for (Silenced s : digest.silenced()) {
                // an end without a date after a start with one would read as the start's day
                silenced.add(labels.silenced(s.events(), everyProject ? Optional.of(s.project()) : Optional.empty(),
                        clock(s.from(), windowStart, false), clock(s.until(), s.from().atZone(zone), false),
                        s.reason()));
            }
            Text title = digest.late() ? labels.lateTitle(project, digest.totalEvents())
                    : labels.title(project, digest.totalEvents());
            return new DigestLayout(labels, zone, project, title,
                    onlySilenced ? Optional.of(held) : Optional.empty(),
                    // a catch-up digest's totals belong to the downtime: said in its line, not again
                    digest.catchUp().map(gap -> labels.catchUp(fullSpan(gap.from(), gap.to()), totals)),
                    fullSpan(digest.window().from(), digest.window().to()),
                    digest.catchUp().isPresent() ? Optional.empty() : Optional.of(totals), groups,
                    digest.omittedGroups() > 0
                            ? Optional.of(labels.moreGroups(digest.omittedGroups(), digest.omittedEvents()))
                            : Optional.empty(),
                    silenced);
        }

        private String heldBySilences() {
            long held = digest.silenced().stream().mapToLong(Silenced::events).sum();
            long silences = digest.silenced().stream().map(Silenced::silenceId).distinct().count();
            return labels.heldBySilences(held, silences);
        }

        private Group group(int rank, ErrorGroup group) {
            String patternLine = firstLine(group.template());
            List<String> lines = group.sampleMessage().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .toList();
            List<String> sample = new ArrayList<>(lines.subList(0, Math.min(SAMPLE_LINES, lines.size())));
            // a pattern without variables is its sample's first line: shown once
            boolean continues = !sample.isEmpty() && sample.get(0).equals(patternLine);
            if (continues) {
                sample.remove(0);
            }
            String seen = group.count() == 1 || group.firstSeen().equals(group.lastSeen())
                    ? clock(group.firstSeen(), windowStart, true)
                    : clock(group.firstSeen(), windowStart, true) + " – "
                            + clock(group.lastSeen(), group.firstSeen().atZone(zone), true);
            Optional<String> thread = group.sampleThread().isBlank() ? Optional.empty()
                    : Optional.of(group.sampleThread());
            Optional<String> project = Digest.ALL_PROJECTS.equals(digest.project()) ? Optional.of(group.project())
                    : Optional.empty();
            List<Text> details = new ArrayList<>(List.of(Text.words(labels.seen(seen))));
            thread.ifPresent(t -> details.addAll(List.of(Text.words(DETAIL_SEPARATOR), labels.thread(t))));
            project.ifPresent(p -> details.addAll(List.of(Text.words(DETAIL_SEPARATOR), labels.projectOf(p))));
            return new Group(rank, group.mark(), group.count(), labels.count(group.count()) + "×",
                    group.heldBack().map(h -> labels.heldBack(h.count(), clock(h.since(), windowStart, false))),
                    pattern(patternLine), sample, continues, Math.max(0, lines.size() - SAMPLE_LINES), seen, thread, project,
                    Text.concat(details));
        }

        /** {@code line} with each run of {@code <*>} as one variable part and the rest as log text. */
        private static Text pattern(String line) {
            List<Text> parts = new ArrayList<>();
            int at = 0;
            boolean variableLast = false;
            while (true) {
                int next = line.indexOf(WILDCARD, at);
                String constant = next < 0 ? line.substring(at) : line.substring(at, next);
                if (!constant.isEmpty()) {
                    parts.add(Text.log(constant));
                    variableLast = false;
                }
                if (next < 0) {
                    break;
                }
                // "<*><*>" is one value to a reader; two markers side by side would read as a typo
                if (!variableLast) {
                    parts.add(Text.variable());
                    variableLast = true;
                }
                at = next + WILDCARD.length();
            }
            return Text.concat(parts);
        }

        private static String firstLine(String text) {
            return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        }

        /** {@code from – to} with the date and offset, each said once when both share it; one time when equal. */
        private String fullSpan(Instant from, Instant to) {
            ZonedDateTime a = from.atZone(zone);
            ZonedDateTime b = to.atZone(zone);
            if (from.equals(to)) {
                return DATE_TIME.format(a) + " (" + OFFSET.format(a) + ")";
            }
            if (!a.getOffset().equals(b.getOffset())) {
                return DATE_TIME.format(a) + " " + OFFSET.format(a) + " – " + DATE_TIME.format(b) + " "
                        + OFFSET.format(b);
            }
            String end = a.toLocalDate().equals(b.toLocalDate()) ? TIME.format(b) : DATE_TIME.format(b);
            return DATE_TIME.format(a) + " – " + end + " (" + OFFSET.format(a) + ")";
        }

        /**
         * {@code instant} as a time of day, with its date when it is not {@code reference}'s day and its offset when
         * it is not the window's (a change of daylight saving time within the digest).
         */
        private String clock(Instant instant, ZonedDateTime reference, boolean seconds) {
            ZonedDateTime time = instant.atZone(zone);
            boolean sameDay = time.toLocalDate().equals(reference.toLocalDate());
            String text = (sameDay ? (seconds ? TIME : HOUR_MINUTE) : (seconds ? DATE_TIME : DATE_HOUR_MINUTE))
                    .format(time);
            ZoneOffset offset = time.getOffset();
            return offset.equals(windowStart.getOffset()) ? text : text + " " + OFFSET.format(time);
        }
    }
}
