package io.logalert.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.sink.robot.EmulatorRendering.Syntax;
import io.logalert.sink.robot.Markup;
import io.logalert.sink.robot.Markups;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Log text in {@code {{text.markdown}}}, read the way CommonMark tools read it, erring towards interpreting more
 * (bare URLs and "@name" count as links and mentions): it never becomes a link, an image, a mention or a heading, and
 * where it sits in a code span it keeps its characters.
 */
class CommonMarkTest {

    private static final Syntax COMMONMARK = new Syntax(true, true, true, true, true, Optional.empty())
            .mentioning("(?<![\\p{L}\\p{N}_.+-])@([\\p{L}\\p{N}_]+)");
    private static final Markup MARKUP = Markups.commonMark();

    static List<String> hostile() {
        return List.of(
                "[x](http://evil.example/a) and ![p](https://evil.example/p.png)",
                "<http://evil.example/autolink> www.evil.example https://evil.example/?q=1",
                "@all @here @everyone <@U123> <!channel>",
                "# heading\n## another\r\n> quote\n- item",
                "<img src=x onerror=alert(1)> <script>alert(1)</script> &lt;b&gt;",
                "`code` ``double ` tick`` ```fence",
                "```\n[x](http://evil.example/in-fence)\n```",
                "\u202Eevil.exe\u202C zero\u200Bwidth tab\there bell\u0007",
                "lone \uD800 surrogate",
                "x".repeat(500) + "[x](http://evil.example/after-cut)");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void logTextIsInertAsASampleAStackLineAndAName(String text) {
        List<String> placed = List.of("e.g. " + MARKUP.escape(text, 400),
                MARKUP.stackIndent() + MARKUP.escape(text, 400),
                MARKUP.heading(MARKUP.escapeName(text, 80) + ": 12 errors"));

        for (String rendered : placed) {
            EmulatorRendering reading = EmulatorRendering.of(rendered, COMMONMARK);
            assertThat(reading.links()).as(rendered).isEmpty();
            assertThat(reading.images()).as(rendered).isEmpty();
            assertThat(reading.mentions()).as(rendered).isEmpty();
            assertThat(reading.headings()).as(rendered).hasSize(rendered.startsWith("#") ? 1 : 0);
        }
    }

    @ParameterizedTest
    @MethodSource("ordinary")
    void ordinaryLogTextKeepsEveryCharacterInItsCodeSpan(String text) {
        assertThat(EmulatorRendering.of("e.g. " + MARKUP.escape(text, 400), COMMONMARK).codeSpans())
                .containsExactly(text);
    }

    static List<String> ordinary() {
        return List.of("[POST] /api/orders failed", "order 42: PAID -> CREATED is not allowed",
                "SELECT * FROM orders WHERE a < b AND c > d", "GET /search?q=a&page=2 took 3 ms",
                "Cannot cast java.util.List<java.lang.String> to Map<String, Object>");
    }

    @Test
    void ourOwnStylingIsPlainCommonMarkWithoutHtml() {
        assertThat(MARKUP.count("1,204×") + MARKUP.variable("‹…›") + MARKUP.heading("t") + MARKUP.lineBreak())
                .isEqualTo("**1,204×**‹…›### t  \n").doesNotContain("<font");
    }
}
