package io.logalert.sink.dingtalk;

import static io.logalert.sink.robot.MessageRenderer.Detail.COMPACT;
import static io.logalert.sink.robot.MessageRenderer.Detail.FULL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.HeldBack;
import io.logalert.Labels;
import io.logalert.Mark;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.OutgoingMessage;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static DigestRenderer renderer(MessageType type, ZoneId zone, int maxMessageLength) {
        return renderer(type, zone, maxMessageLength, Labels.ENGLISH);
    }

    /** A renderer with the default title, which is the shared layout's, in {@code labels}. */
    private static DigestRenderer renderer(MessageType type, ZoneId zone, int maxMessageLength, Labels labels) {
        return renderer(new Settings(type, Optional.empty(), List.of("alert"),
                List.of("13800138000"), List.of("ops01"), false,
                Optional.of("https://kibana.example/app/discover#/?from={from}&to={to}&q={project}"),
                labels.openLogs(), zone, maxMessageLength, labels));
    }

    /** A renderer with DingTalk's settings, as the sink's builder hands them over. */
    private static DigestRenderer renderer(Settings s) {
        return new DigestRenderer(new MessageRenderer.Settings(s.titleTemplate(), s.keywords(), s.actionUrl(),
                s.actionTitle(), s.type() != MessageType.ACTION_CARD, s.zone(), s.maxMessageLength(), s.labels(),
                DigestRenderer.markup(s.type())), s.type(), s.atMobiles(), s.atUserIds(), s.atAll());
    }

    /** What the renderer needs to know; an empty {@code titleTemplate} is the layout's title in the labels' words. */
    private record Settings(MessageType type, Optional<String> titleTemplate, List<String> keywords,
            List<String> atMobiles, List<String> atUserIds, boolean atAll, Optional<String> actionUrl,
            String actionTitle, ZoneId zone, int maxMessageLength, Labels labels) {
    }

    private static String text(OutgoingMessage message) throws IOException {
        JsonNode body = JSON.readTree(message.body());
        String type = body.path("msgtype").asText();
        return type.equals("text") ? body.path("text").path("content").asText() : body.path(type).path("text").asText();
    }

    @Test
    void hostileLogTextCannotMakeLinksImagesHeadingsHtmlOrMentions() throws IOException {
        String hostile = "[x](http://evil) ![](http://x/p.png)\n# title <b>bold</b> @all @13800138000 `code`";
        Digest digest = Digests.withMessage("shop", hostile);

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL)
                .get(0));

        // the group: its pattern line (the message's first line) and the message's second line beneath it
        String entry = markdown.substring(markdown.indexOf("**1.**"), markdown.indexOf("seen "));
        // only what would start a link, an image, a tag or a mention changes: one character each, and the slashes
        // of a bare URL; the rest can be copied as it was logged
        assertThat(entry).doesNotContain("](", "http://", "<b>", "@all")
                .contains("[x］(http:∕∕evil)", "![］(http:∕∕x/p.png)", "＜b>bold＜/b>", "＠all", "`code`");
        assertThat(markdown.lines()).filteredOn(l -> l.contains("title")).singleElement().asString()
                .startsWith("\u3000# title");
        // the only '@' left are the configured mentions, in the footer
        assertThat(markdown.split("@", -1)).hasSize(3);
        assertThat(markdown).endsWith("@13800138000 @ops01");

        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL).get(0));
        assertThat(plain).doesNotContain("@all", "http://").contains("＠all");
    }

    @Test
    void timesAreShownInTheConfiguredZoneWithTheirOffset() throws IOException {
        Digest digest = Digests.of("shop", 1);

        String shanghai = text(renderer(MessageType.MARKDOWN, ZoneId.of("Asia/Shanghai"), 400)
                .parts(0, digest, 20_000, FULL).get(0));
        String utc = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL).get(0));

        assertThat(shanghai).contains("2026-03-01 18:00:00 – 18:02:00 (+08:00)");
        assertThat(utc).contains("2026-03-01 10:00:00 – 10:02:00 (+00:00)");
    }

    @Test
    void markdownShowsCountsFirstLastSeenThreadAndLink() throws IOException {
        OutgoingMessage message = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .parts(0, Digests.of("shop", 2), 20_000, FULL).get(0);
        JsonNode body = JSON.readTree(message.body());

        assertThat(body.path("markdown").path("title").asText()).isEqualTo("alert shop: 1,999 errors");
        assertThat(text(message)).startsWith("#### alert shop: 1,999 errors")
                .contains("**Total** 1,999 errors in 2 groups", "**1,000×**", "thread worker-0",
                        "seen 10:00:00 – 10:00:30 · thread worker-0",
                        "(https://kibana.example/app/discover#/?from=2026-03-01T10%3A00%3A00Z"
                                + "&to=2026-03-01T10%3A02%3A00Z&q=shop)");
        assertThat(body.path("at").path("atMobiles").get(0).asText()).isEqualTo("13800138000");
        assertThat(body.path("at").path("atUserIds").get(0).asText()).isEqualTo("ops01");
    }

    @Test
    void sampleMessagesAreTruncatedAtTheConfiguredLength() throws IOException {
        Digest digest = Digests.withMessage("shop", "y".repeat(500));

        String text = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 50).parts(0, digest, 20_000, FULL).get(0));

        assertThat(text).contains("y".repeat(49) + "…").doesNotContain("y".repeat(50));
    }

    @Test
    void aLongDigestIsSplitIntoNumberedPartsThatLoseNoGroup() throws IOException {
        Digest digest = Digests.of("shop", 60, 400);
        List<OutgoingMessage> parts = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .parts(0, digest, 8_000, FULL);

        assertThat(parts).hasSizeGreaterThan(2);
        for (int i = 0; i < parts.size(); i++) {
            OutgoingMessage part = parts.get(i);
            assertThat(part.body().length).isLessThan(8_000);
            assertThat(part.title()).endsWith("(" + (i + 1) + "/" + parts.size() + ")");
            assertThat(text(part)).contains("alert");
            assertThat(JSON.readTree(part.body()).has("at")).isEqualTo(i == 0);
        }
        String all = String.join("\n", parts.stream().map(p -> {
            try {
                return text(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
        for (ErrorGroup group : digest.groups()) {
            assertThat(all).contains("failure " + group.key() + " ");
        }
    }

    @Test
    void aGroupTooBigForOneBodyIsCutNotLost() {
        Digest digest = Digests.withMessage("shop", "支付失败".repeat(5_000));

        List<OutgoingMessage> parts = renderer(MessageType.TEXT, ZoneOffset.UTC, 10_000).parts(0, digest, 4_000, FULL);

        assertThat(parts).singleElement().satisfies(p -> assertThat(p.body().length).isLessThan(4_000));
    }

    @Test
    void packedDigestsEachKeepTheirProjectAndGroups() throws IOException {
        List<Digest> digests = List.of(Digests.of("shop", 3), Digests.of("billing", 2), Digests.of("search", 1));

        OutgoingMessage packed = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .packed(List.of(0, 1, 2), digests, 20_000).orElseThrow();

        assertThat(packed.digests()).containsExactly(0, 1, 2);
        assertThat(packed.title()).isEqualTo("alert shop, billing, search: 5,996 errors");
        assertThat(text(packed)).contains("##### shop", "##### billing", "##### search", "failure shop/g2",
                "failure billing/g1", "failure search/g0");
    }

    @Test
    void actionCardHasAButtonToTheWindow() throws IOException {
        DigestRenderer cards = renderer(new Settings(MessageType.ACTION_CARD,
                Optional.of("alert {project}"), List.of("alert"), List.of(), List.of(), false,
                Optional.of("https://kibana.example/?p={project}&from={from-millis}"), "Discover", ZoneOffset.UTC,
                400, Labels.ENGLISH));

        JsonNode card = JSON.readTree(cards.parts(0, Digests.of("a b", 1), 20_000, FULL).get(0).body())
                .path("actionCard");

        assertThat(card.path("singleTitle").asText()).isEqualTo("Discover");
        assertThat(card.path("singleURL").asText()).isEqualTo("https://kibana.example/?p=a+b&from=1772359200000");
    }

    /** The first line of {@code text} that starts with {@code start}: a group's first line starts with its rank. */
    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    private static Digest markedNewBackAndPlain() {
        Digest plain = Digests.of("shop", 3);
        List<ErrorGroup> groups = plain.groups();
        return Digests.with(plain, List.of(groups.get(0).withMark(Mark.NEW), groups.get(1).withMark(Mark.BACK),
                groups.get(2)), List.of(), Optional.empty());
    }

    private static Silenced silenced(String id, String reason, long events, String from, String until) {
        return new Silenced(id, reason, "shop", events, Instant.parse(from), Instant.parse(until));
    }

    @Test
    void newAndBackKindsAreLabelledBeforeTheirCount() throws IOException {
        Digest digest = markedNewBackAndPlain();

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL)
                .get(0));
        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL).get(0));

        assertThat(line(markdown, "**1.**")).startsWith("**1.** 🆕 new <font color=#d93026>**1,000×**</font> failure");
        assertThat(line(markdown, "**2.**")).startsWith("**2.** ↩ back <font color=#d93026>**999×**</font> failure");
        assertThat(line(markdown, "**3.**")).startsWith("**3.** <font color=#d93026>**998×**</font> failure");
        assertThat(line(plain, "1. ")).startsWith("1. [new] 1,000× failure ‹…›");
        assertThat(line(plain, "2. ")).startsWith("2. [back] 999× failure ‹…›");
        assertThat(line(plain, "3. ")).startsWith("3. 998× failure ‹…›");
        // the markdown labels must not open a link or other markup the way "[new]" would
        assertThat(markdown).doesNotContain("[new]", "[back]");
    }

    @Test
    void heldBackIsShownAfterTheCountInTheSinksZoneWithTheDateWhenNotTheWindowsDay() throws IOException {
        Digest plain = Digests.of("shop", 2);
        Digest digest = Digests.with(plain, List.of(
                plain.groups().get(0).withHeldBack(Optional.of(new HeldBack(312,
                        Instant.parse("2026-03-01T09:05:00Z")))),
                plain.groups().get(1).withHeldBack(Optional.of(new HeldBack(4_500,
                        Instant.parse("2026-02-28T15:30:00Z"))))), List.of(), Optional.empty());

        String shanghai = text(renderer(MessageType.MARKDOWN, ZoneId.of("Asia/Shanghai"), 400)
                .parts(0, digest, 20_000, FULL).get(0));
        String utc = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL).get(0));

        assertThat(line(shanghai, "**1.**")).contains("**1,000×**</font> (+312 since 17:05) failure");
        // 15:30 UTC on the 28th is 23:30 there, not the day of the window (the 1st, 18:00 there)
        assertThat(line(shanghai, "**2.**")).contains("**999×**</font> (+4,500 since 2026-02-28 23:30) failure");
        assertThat(line(utc, "1. ")).startsWith("1. 1,000× (+312 since 09:05) failure");
        assertThat(line(utc, "2. ")).startsWith("2. 999× (+4,500 since 2026-02-28 15:30) failure");
    }

    @Test
    void aDigestOfSilenceNotesOnlyIsOneMessageThatSaysWhatWasHeld() throws IOException {
        Digest digest = Digests.onlySilenced("shop",
                silenced("deploy-42", "deploy [v2](http://evil)", 400, "2026-03-01T06:00:00Z",
                        "2026-03-01T08:00:00Z"),
                silenced("night", "batch", 12, "2026-02-28T22:00:00Z", "2026-03-01T07:00:00Z"));

        List<OutgoingMessage> messages = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .parts(0, digest, 20_000, FULL);

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).title()).isEqualTo("alert shop: 0 errors (412 held by 2 silences)");
        String markdown = text(messages.get(0));
        assertThat(markdown).contains("**Total** no errors to show; 412 held by 2 silences",
                        "🔕 400 errors held by a silence 06:00–08:00 (reason: deploy [v2］(http:∕∕evil))",
                        "🔕 12 errors held by a silence 2026-02-28 22:00–2026-03-01 07:00 (reason: batch)")
                .doesNotContain("0 groups", "[v2](");

        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL).get(0));
        assertThat(plain).contains("Total: no errors to show; 412 held by 2 silences",
                "\n400 errors held by a silence 06:00–08:00 (reason: deploy [v2](http:∕∕evil))");
    }

    @Test
    void silenceNotesFollowTheGroupsAndWhatWasLeftOut() throws IOException {
        Digest base = Digests.of("shop", 2);
        Digest digest = Digests.with(new Digest(base.id(), "pipe", "shop", base.window(), base.groups(), 3, 17),
                base.groups(), List.of(silenced("deploy-42", "deploy", 412, "2026-03-01T08:00:00Z",
                        "2026-03-01T09:30:00Z")), Optional.empty());

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL)
                .get(0));

        assertThat(markdown).containsSubsequence("failure shop/g1", "*+3 more groups (17 errors)*",
                "🔕 412 errors held by a silence 08:00–09:30 (reason: deploy)");
        assertThat(markdown).contains("**Total** 2,016 errors in 5 groups");
    }

    @Test
    void aCatchUpDigestOpensWithTheDowntimeAndItsTotals() throws IOException {
        Digest base = Digests.of("shop", 2);
        TimeWindow gap = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), Instant.parse("2026-03-01T06:45:00Z"));
        Digest digest = Digests.with(base, base.groups(), List.of(), Optional.of(gap));

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneId.of("Asia/Shanghai"), 400)
                .parts(0, digest, 20_000, FULL).get(0));
        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL).get(0));

        assertThat(markdown.lines().skip(2).findFirst().orElseThrow())
                .isEqualTo("**logalert was down** 2026-03-01 14:02:00 – 14:45:00 (+08:00): 1,999 errors in 2 groups  ");
        assertThat(markdown).doesNotContain("**Total**");
        assertThat(plain).contains("logalert was down 2026-03-01 06:02:00 – 06:45:00 (+00:00): 1,999 errors in 2 "
                + "groups\nWindow: ");
    }

    @Test
    void aGroupSeenAtOneInstantShowsOneTime() throws IOException {
        Instant at = Digests.WINDOW.from().plusSeconds(5);
        Digest base = Digests.of("shop", 1);
        Digest digest = Digests.with(base, List.of(
                new ErrorGroup("shop", "one", "one <*>", "one event", 1, at, at, "t1"),
                new ErrorGroup("shop", "burst", "burst <*>", "burst of five", 5, at, at, "t2")),
                List.of(), Optional.empty());

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).parts(0, digest, 20_000, FULL)
                .get(0));
        String compact = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, digest, 20_000, COMPACT).get(0));

        assertThat(markdown).contains("seen 10:00:05 · thread t1", "seen 10:00:05 · thread t2")
                .doesNotContain("10:00:05 – ");
        // compact: the pattern with its one time, the sample beneath
        assertThat(compact).contains("1. 1× one ‹…› (10:00:05)\n   e.g. one event\n",
                "2. 5× burst ‹…› (10:00:05)\n   e.g. burst of five");
    }

    @Test
    void notesAndMarksAreCountedWhenABodyIsFilled() throws IOException {
        Digest base = markedNewBackAndPlain();
        DigestRenderer renderer = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400);
        int withoutNotes = renderer.parts(0, base, 20_000, FULL).get(0).body().length;
        List<Silenced> notes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            notes.add(silenced("s" + i, "reason " + i + " ".repeat(60) + "end", 100 + i, "2026-03-01T08:00:00Z",
                    "2026-03-01T09:00:00Z"));
        }
        Digest digest = Digests.with(base, base.groups(), notes, Optional.empty());
        // room for the groups and a note or two, not for twelve
        int limit = withoutNotes + 400;

        List<OutgoingMessage> parts = renderer.parts(0, digest, limit, FULL);

        assertThat(parts).hasSizeGreaterThan(1);
        String all = "";
        for (int i = 0; i < parts.size(); i++) {
            assertThat(parts.get(i).body().length).isLessThan(limit);
            assertThat(parts.get(i).title()).endsWith("(" + (i + 1) + "/" + parts.size() + ")");
            all += text(parts.get(i)) + "\n";
        }
        assertThat(all).contains("🆕 new", "↩ back");
        for (int i = 0; i < 12; i++) {
            assertThat(all.split("held by a silence 08:00–09:00 \\(reason: reason " + i + " ", -1)).hasSize(2);
        }
    }

    @Test
    void packedDigestsCarryTheirNotesAndCatchUpLines() throws IOException {
        Digest base = Digests.of("billing", 1);
        TimeWindow gap = new TimeWindow(Instant.parse("2026-03-01T06:02:00Z"), Instant.parse("2026-03-01T06:45:00Z"));
        List<Digest> digests = List.of(markedNewBackAndPlain(),
                Digests.with(base, base.groups(), List.of(), Optional.of(gap)),
                Digests.onlySilenced("search", new Silenced("s1", "reindex", "search", 70,
                        Instant.parse("2026-03-01T09:00:00Z"), Instant.parse("2026-03-01T09:45:00Z"))));

        OutgoingMessage packed = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).packed(List.of(0, 1, 2), digests, 20_000).orElseThrow();

        assertThat(text(packed)).containsSubsequence("##### shop", "🆕 new", "↩ back", "##### billing",
                "**logalert was down** 2026-03-01 06:02:00 – 06:45:00 (+00:00): 1,000 errors in 1 group",
                "##### search", "no errors to show; 70 held by a silence",
                "🔕 70 errors held by a silence 09:00–09:45 (reason: reindex)");
    }

    /** The issue's example: 13,604 timeouts of many orders, which once read as one order failing 13,604 times. */
    private static Digest timeouts() {
        ErrorGroup group = new ErrorGroup("checkout", "k", "Upstream timeout calling inventory uri=<*>, cost=<*>",
                "Upstream timeout calling inventory uri=/api/v1/orders/O20261120396853744, cost=5161ms", 13_604,
                Digests.WINDOW.from().plusSeconds(3), Digests.WINDOW.from().plusSeconds(119), "http-nio-8080-exec-7");
        return new Digest(Digest.idOf("pipe", "checkout", Digests.WINDOW), "pipe", "checkout", Digests.WINDOW,
                List.of(group), 0, 0);
    }

    @Test
    void aKindReadsAsItsPatternWithGreyedVariablesAndOneRealSampleBeneath() throws IOException {
        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400).parts(0, timeouts(), 20_000, FULL)
                .get(0));
        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, timeouts(), 20_000, FULL)
                .get(0));

        String grey = "<font color=#8c8c8c>‹…›</font>";
        assertThat(markdown).contains("**1.** <font color=#d93026>**13,604×**</font> Upstream timeout calling "
                + "inventory uri=" + grey + ", cost=" + grey + "  \n"
                + "e.g. Upstream timeout calling inventory uri=/api/v1/orders/O20261120396853744, cost=5161ms  \n"
                + "seen 10:00:03 – 10:01:59 · thread http-nio-8080-exec-7");
        assertThat(plain).contains("""
                1. 13,604× Upstream timeout calling inventory uri=‹…›, cost=‹…›
                   e.g. Upstream timeout calling inventory uri=/api/v1/orders/O20261120396853744, cost=5161ms
                   seen 10:00:03 – 10:01:59 · thread http-nio-8080-exec-7""");
        // the order number appears once, in the sample, not beside the count
        assertThat(markdown.split("O20261120396853744", -1)).hasSize(2);
    }

    @Test
    void aStackTracesFirstLinesStayLinesThatLogTextCannotTurnIntoMarkup() throws IOException {
        Digest digest = Digests.withMessage("shop", "boom 1\n- item\n===\n    code\n> quote");
        Digest withPattern = Digests.with(digest, List.of(new ErrorGroup("shop", "k", "boom <*>",
                digest.groups().get(0).sampleMessage(), 3, Digests.WINDOW.from(), Digests.WINDOW.from(), "t")),
                List.of(), Optional.empty());

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .parts(0, withPattern, 20_000, FULL).get(0));
        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400).parts(0, withPattern, 20_000, FULL)
                .get(0));

        assertThat(markdown).contains("e.g. boom 1  \n\u3000- item  \n\u3000===  \n\u3000(+2 more lines)  \n");
        // no line starts with log text: a list, a setext underline or a quote cannot start
        assertThat(markdown.lines()).noneMatch(l -> l.startsWith("-") || l.startsWith("=") || l.startsWith(">")
                || l.startsWith(" "));
        assertThat(plain).contains("   e.g. boom 1\n      - item\n      ===\n      (+2 more lines)\n");
    }

    @Test
    void chineseLabelsReachEveryMessageType() throws IOException {
        Digest digest = markedNewBackAndPlain();

        String markdown = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400, Labels.SIMPLIFIED_CHINESE)
                .parts(0, digest, 20_000, FULL).get(0));
        String plain = text(renderer(MessageType.TEXT, ZoneOffset.UTC, 400, Labels.SIMPLIFIED_CHINESE)
                .parts(0, digest, 20_000, FULL).get(0));

        assertThat(markdown).startsWith("#### alert shop：2,997 个错误").contains("**时间窗口** 2026-03-01 10:00:00",
                "**合计** 2,997 个错误，分 3 类", "[查看日志](https:", "🆕 新出现 ", "↩ 再出现 ", "示例：failure shop/g0",
                "出现于 10:00:00 – 10:00:30 · 线程 worker-0").doesNotContain("Window", "Total", "seen", "e.g.");
        assertThat(plain).startsWith("alert shop：2,997 个错误").contains("时间窗口：2026-03-01 10:00:00",
                "合计：2,997 个错误，分 3 类", "1. [新出现] 1,000× failure ‹…›", "2. [再出现] 999× failure ‹…›");
    }

    @Test
    void aKeywordInTheDefaultTitlesOwnWordsNeedsNoPrefix() {
        DigestRenderer chinese = renderer(new Settings(MessageType.MARKDOWN,
                Optional.empty(), List.of("个错误"), List.of(), List.of(), false, Optional.empty(), "查看日志",
                ZoneOffset.UTC, 400, Labels.SIMPLIFIED_CHINESE));
        DigestRenderer english = renderer(new Settings(MessageType.MARKDOWN,
                Optional.empty(), List.of("个错误"), List.of(), List.of(), false, Optional.empty(), "Open logs",
                ZoneOffset.UTC, 400, Labels.ENGLISH));

        assertThat(chinese.parts(0, Digests.of("shop", 1), 20_000, FULL).get(0).title())
                .isEqualTo("shop：1,000 个错误");
        assertThat(english.parts(0, Digests.of("shop", 1), 20_000, FULL).get(0).title())
                .isEqualTo("个错误 shop: 1,000 errors");
    }

    @Test
    void packedDigestsAreIntroducedInTheLabelsLanguage() throws IOException {
        List<Digest> digests = List.of(Digests.of("shop", 1), Digests.of("billing", 1), Digests.of("search", 1),
                Digests.of("cart", 1));

        OutgoingMessage packed = renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400, Labels.SIMPLIFIED_CHINESE)
                .packed(List.of(0, 1, 2, 3), digests, 20_000).orElseThrow();

        assertThat(packed.title()).isEqualTo("alert shop、billing、search 等 4 个项目：4,000 个错误");
        assertThat(text(packed)).contains("为不超出机器人的发送频率限制，4 份摘要合并为一条消息", "##### cart",
                "示例：failure cart/g0");
    }

    @Test
    void aRenderingThatWithholdsLogTextShowsPatternsAndCountsOnly() throws IOException {
        Digest digest = Digests.withWordInLogText("shop", "casino");
        for (MessageType type : List.of(MessageType.MARKDOWN, MessageType.TEXT)) {
            DigestRenderer renderer = renderer(type, ZoneOffset.UTC, 400);
            String full = text(renderer.parts(0, digest, 20_000, DigestRenderer.Detail.FULL).get(0));
            String patterns = text(renderer.parts(0, digest, 20_000, DigestRenderer.Detail.PATTERNS).get(0));

            // the premise: in full, the word is in the sample, the stack line, the thread and the silence's reason
            assertThat(full.split("casino", -1)).hasSize(5);
            assertThat(patterns).doesNotContain("casino", "8812", "worker", "http-nio", "promo")
                    .contains("payment ", " declined", "stock check ", " failed", "40×", "7×", "seen 10:00:03",
                            "+2 more groups (5 errors)", "12 held by a silence", "52 errors in 4 groups",
                            "sample messages, thread names and silence reasons are withheld");
        }
    }

    @Test
    void aRenderingOfCountsOnlyShowsTheProjectAndItsNumbers() throws IOException {
        Digest digest = Digests.withWordInLogText("shop", "casino");

        String counts = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400)
                .parts(0, digest, 20_000, DigestRenderer.Detail.COUNTS).get(0));
        String chinese = text(renderer(MessageType.MARKDOWN, ZoneOffset.UTC, 400, Labels.SIMPLIFIED_CHINESE)
                .parts(0, digest, 20_000, DigestRenderer.Detail.COUNTS).get(0));

        assertThat(counts).doesNotContain("casino", "payment", "stock", "promo", "worker")
                .contains("alert shop: 52 errors", "52 errors in 4 groups", "12 held by a silence",
                        "patterns included: counts only");
        assertThat(chinese).contains("只列出计数").doesNotContain("casino", "payment");
    }
}
