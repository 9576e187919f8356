package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.sink.robot.EmulatorRendering.Link;
import io.logalert.sink.robot.EmulatorRendering.Syntax;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The emulators' reading of markup errs towards interpreting: what it calls inert, a chat client leaves inert. */
class EmulatorRenderingTest {

    private static final Syntax MARKDOWN = new Syntax(true, true, true, true, true, Optional.empty())
            .mentioning("<@([^>\\s]+)>");
    private static final Syntax WITHOUT_CODE = new Syntax(true, true, true, true, false, Optional.empty());

    @Test
    void headingsNeedOneToSixHashesAndASpaceAtMostThreeSpacesIn() {
        EmulatorRendering rendering = EmulatorRendering.of(
                "# one\n   ###### six ##\n####### seven\n#tag\n    # indented\n##", MARKDOWN);

        assertThat(rendering.headings()).containsExactly("one", "six", "");
    }

    @Test
    void linksImagesAndBareUrlsAreTellApart() {
        EmulatorRendering rendering = EmulatorRendering.of(
                "![logo](http://img.example/a.png) [pay](http://evil.example \"t\") visit www.evil.example now",
                MARKDOWN);

        assertThat(rendering.images()).containsExactly("http://img.example/a.png");
        assertThat(rendering.links()).containsExactly(new Link("pay", "http://evil.example", false),
                new Link("www.evil.example", "www.evil.example", true));
    }

    @Test
    void codeSpansAndFencedBlocksKeepTheirTextUninterpreted() {
        EmulatorRendering rendering = EmulatorRendering.of(
                "`[a](http://a.example)` ``b`<@c>`` `open [d](http://d.example)\n```\n# not a heading\n```", MARKDOWN);

        assertThat(rendering.codeSpans()).containsExactly("[a](http://a.example)", "b`<@c>", "# not a heading");
        assertThat(rendering.links()).as("an unclosed backtick is literal")
                .containsExactly(new Link("d", "http://d.example", false));
        assertThat(rendering.headings()).isEmpty();
        assertThat(rendering.mentions()).as("mentions are read from the whole text, code or not").containsExactly("c");
    }

    @Test
    void whereCodeSpansAreNotKnownToRenderTheirTextIsMarkupToo() {
        EmulatorRendering rendering = EmulatorRendering.of("`[a](http://a.example)`", WITHOUT_CODE);

        assertThat(rendering.codeSpans()).isEmpty();
        assertThat(rendering.links()).containsExactly(new Link("a", "http://a.example", false));
    }

    @Test
    void plainTextLinksOnlyBareUrls() {
        EmulatorRendering rendering = EmulatorRendering.of("# title [a](http://a.example) ![i](x) <@u>", Syntax.PLAIN);

        assertThat(rendering.links()).containsExactly(new Link("http://a.example", "http://a.example", true));
        assertThat(rendering.headings()).isEmpty();
        assertThat(rendering.images()).isEmpty();
        assertThat(rendering.mentions()).isEmpty();
        assertThat(rendering.inert()).isFalse();
    }

    @Test
    void textMadeOfLookAlikesOrOutsideMarkupIsInert() {
        EmulatorRendering rendering = EmulatorRendering.of("PAID -> CREATED at 10:02, ［x］（y） ＃ z", MARKDOWN);

        assertThat(rendering.inert()).isTrue();
        assertThat(EmulatorRendering.NONE.inert()).isTrue();
    }

    @Test
    void aBuilderGathersStructuredPartsWithTheText() {
        EmulatorRendering rendering = EmulatorRendering.builder().add("<@u1> hi", MARKDOWN)
                .link("Open", "https://kibana.example").image("img_1").heading("card").mentions(List.of("all"))
                .build();

        assertThat(rendering.mentions()).containsExactly("u1", "all");
        assertThat(rendering.links()).containsExactly(new Link("Open", "https://kibana.example", false));
        assertThat(rendering.images()).containsExactly("img_1");
        assertThat(rendering.headings()).containsExactly("card");
    }
}
