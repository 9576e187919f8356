package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.Labels;
import io.logalert.TimeWindow;
import io.logalert.sink.robot.EmulatorRendering.Syntax;
import io.logalert.sink.robot.MessageRenderer.Detail;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Log text written to attack the chat, per markup, read back the way each platform's markup is documented (the
 * emulators' {@link EmulatorRendering}, which errs towards interpreting more): it never becomes a link, an image, a
 * mention or a heading; and ordinary log text a reader wants to paste into a search keeps its characters.
 */
class HostileLogTextTest {

    private static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    private static final Syntax DINGTALK_MARKDOWN = new Syntax(true, true, true, true, false, Optional.empty());
    private static final Syntax WECOM_MARKDOWN = new Syntax(true, true, false, true, true, Optional.empty())
            .mentioning("<@([^>\\s]+)>");
    private static final Syntax LARK_MD = new Syntax(false, true, false, true, false, Optional.empty())
            .mentioning("<at\\s+(?:id|user_id|open_id|email)\\s*=\\s*[\"']?([^\"'>\\s]+)");
    // text messages: DingTalk's mention only through its "at" object, WeCom's also by <@userid> in the content
    private static final Syntax PLAIN = Syntax.PLAIN.mentioning("<@([^>\\s]+)>");
    /** What a reader's client would also take for a mention of everyone or of a number, whatever the syntax says. */
    private static final List<String> MENTION_WORDS = List.of("@all", "@13800138000", "<@zhangsan>");

    private static final List<String> HOSTILE = List.of(
            "[x](http://evil.example/a)",
            "[x]( http://evil.example/a \"title\")",
            "![](http://evil.example/p.png)",
            "![alt](https://evil.example/p.png) and ![b](//evil.example/q.png)",
            "see http://evil.example/x, https://evil.example/y?a=1&b=2 and HTTP://EVIL.example",
            "www.evil.example/path and WWW.evil.example",
            "<http://evil.example/autolink>",
            "@all please look",
            "call @13800138000 now",
            "<@zhangsan> ping",
            "<at id=all></at> <at user_id=\"ou_123\">boss</at> <at id='ou_9'>",
            "# heading",
            "## not a heading\n# a heading after a newline\r\n> quote\n- item\n1. item",
            "<b>bold</b> <img src=x onerror=alert(1)> <script>alert(1)</script>",
            "<font color=red>RED</font> <a href='http://evil.example'>click</a>",
            "&lt;b&gt;entity&#60;b&#x3e; &amp;",
            "`code` and ``double ` tick`` and ```fence",
            "```\n[x](http://evil.example/in-fence)\n```",
            "**bold** *em* __under__ ~~strike~~",
            "tab\there\u000bvt\u0007bell\u0000nul",
            "\u202Eevil.exe\u202C \u2066isolate\u2069 zero\u200Bwidth\u2028sep",
            "lone \uD800 high and \uDC00 low surrogates",
            "[a]\n(http://evil.example/split)",
            "x".repeat(5_000) + "[x](http://evil.example/after-cut)",
            "http://" + "a".repeat(3_000) + ".example");

    /** Log lines as they come, which a reader must be able to copy whole. */
    private static final List<String> ORDINARY = List.of(
            "[POST] /api/orders failed",
            "order 42: PAID -> CREATED is not allowed",
            "SELECT * FROM orders WHERE a < b AND c > d",
            "user_id=42 sent by ops@example.com",
            "GET /search?q=a&page=2 took 3 ms",
            "Cannot cast java.util.List<java.lang.String> to Map<java.lang.String, java.lang.Object>",
            "value [1, 2, 3] is out of range (0..2) #42 | retry 3!",
            "path C:\\temp\\x_y_z.log 50% done ~ soon");

    record Case(String name, Markup markup, Syntax syntax) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> markups() {
        return List.of(new Case("plain", Markups.plain(), PLAIN),
                new Case("DingTalk markdown", Markups.dingTalkMarkdown(), DINGTALK_MARKDOWN),
                new Case("WeCom markdown", Markups.weComMarkdown(), WECOM_MARKDOWN),
                new Case("lark_md", Markups.larkMd(), LARK_MD));
    }

    private static void assertInert(String rendered, Syntax syntax, int ownHeadings) {
        EmulatorRendering reading = EmulatorRendering.of(rendered, syntax);
        assertThat(reading.links()).as("links in %s", rendered).isEmpty();
        assertThat(reading.images()).as("images in %s", rendered).isEmpty();
        assertThat(reading.mentions()).as("mentions in %s", rendered).isEmpty();
        assertThat(reading.headings()).as("headings in %s", rendered).hasSize(ownHeadings);
        assertThat(rendered).doesNotContain(MENTION_WORDS.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("markups")
    void hostileLogTextIsInertWhereverTheRendererPutsIt(Case c) {
        for (String hostile : HOSTILE) {
            // after our words, as a sample; after the indent of a stack line; as a name in a heading
            assertInert("e.g. " + c.markup().escape(hostile, 400), c.syntax(), 0);
            assertInert(c.markup().stackIndent() + c.markup().escape(hostile, 400), c.syntax(), 0);
            String heading = c.markup().heading(c.markup().escapeName(hostile, 80) + ": 12 errors");
            assertInert(heading, c.syntax(), c.syntax().headings() && heading.startsWith("#") ? 1 : 0);
        }
    }

    @ParameterizedTest
    @MethodSource("markups")
    void aWholeMessageOfHostileLogTextShowsOnlyItsOwnHeading(Case c) {
        List<ErrorGroup> groups = HOSTILE.stream().map(text -> new ErrorGroup("[p](http://evil.example)", text,
                text, text + "\n\tat " + text + "\n\tat x", 3, WINDOW.from(), WINDOW.to(), text)).toList();
        Digest digest = new Digest(Digest.idOf("pipe", "[p](http://evil.example)", WINDOW), "pipe",
                "[p](http://evil.example)", WINDOW, groups, 0, 0);
        MessageRenderer renderer = new MessageRenderer(new MessageRenderer.Settings(Optional.empty(), List.of(),
                Optional.empty(), "Open logs", true, ZoneOffset.UTC, 400, Labels.ENGLISH, c.markup()),
                draft -> JsonBodies.write(Map.of("text", draft.text())));

        for (Detail detail : Detail.values()) {
            for (OutgoingMessage message : renderer.parts(0, digest, 20_000, detail)) {
                String text = JsonBodies.text(message.body());
                assertInert(text, c.syntax(), c.syntax().headings() ? 1 : 0);
            }
        }
        OutgoingMessage packed = renderer.packed(List.of(0, 1), List.of(digest, digest), 20_000).orElseThrow();
        // a pack heads each project's section too
        assertInert(JsonBodies.text(packed.body()), c.syntax(), c.syntax().headings() ? 3 : 0);
    }

    @ParameterizedTest
    @MethodSource("markups")
    void ordinaryLogTextKeepsEveryCharacter(Case c) {
        for (String line : ORDINARY) {
            String escaped = c.markup().escape(line, 400);
            EmulatorRendering reading = EmulatorRendering.of("e.g. " + escaped, c.syntax());
            if (c.syntax().codeSpans()) {
                assertThat(reading.codeSpans()).containsExactly(line);
            } else {
                assertThat(escaped).isEqualTo(line);
            }
            assertThat(c.markup().escapeName(line, 400)).isEqualTo(line);
        }
    }

    @ParameterizedTest
    @MethodSource("markups")
    void aUrlLosesOnlyItsSlashesWhereThereAreNoCodeSpans(Case c) {
        String line = "POST http://api.internal/orders?id=7 failed";

        String escaped = c.markup().escape(line, 400);

        if (c.syntax().codeSpans()) {
            assertThat(EmulatorRendering.of(escaped, c.syntax()).codeSpans()).containsExactly(line);
        } else {
            assertThat(escaped).isEqualTo("POST http:∕∕api.internal/orders?id=7 failed");
        }
    }

    @ParameterizedTest
    @MethodSource("markups")
    void invisibleAndBrokenCharactersAreDroppedOrReplaced(Case c) {
        String escaped = c.markup().escape("a\u202Eb\u200Bc\u0000d\uD800e\nf", 400);

        assertThat(escaped).contains("abcd\uFFFDe f").doesNotContain("\u202E", "\u200B", "\u0000", "\n");
        assertThat(escaped.codePoints().filter(cp -> Character.isSurrogate((char) cp))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("markups")
    void aVeryLongLineIsCutToItsCharacters(Case c) {
        String escaped = c.markup().escape("é".repeat(10_000), 400);

        assertThat(escaped.replace("`", "")).hasSize(400).endsWith("…");
    }

    @ParameterizedTest
    @MethodSource("markups")
    void aBacktickInLogTextCannotEndACodeSpanEarly(Case c) {
        String escaped = c.markup().escape("a `b` [x](http://evil.example) c", 400);

        EmulatorRendering reading = EmulatorRendering.of("e.g. " + escaped, c.syntax());
        assertThat(reading.links()).isEmpty();
        if (c.syntax().codeSpans()) {
            assertThat(reading.codeSpans()).singleElement().asString().contains("[x](http://evil.example)");
        }
    }
}
