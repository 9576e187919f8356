package io.logalert.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.Digest;
import io.logalert.sink.robot.MessageRenderer.Draft;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode render(String template, Draft draft) throws IOException {
        List<String> problems = new ArrayList<>();
        BodyTemplate body = BodyTemplate.parse(template, 400, problems);
        assertThat(problems).isEmpty();
        return JSON.readTree(body.render(draft));
    }

    private static List<String> problems(String template) {
        List<String> problems = new ArrayList<>();
        assertThat(BodyTemplate.parse(template, 400, problems)).isNull();
        return problems;
    }

    private static Draft draft(List<Digest> digests, boolean first) {
        return new Draft(List.of(0), digests, "the title", "the text", first);
    }

    @Test
    void aWholeValuePlaceholderKeepsItsTypeAndOneInsideTextBecomesText() throws IOException {
        Digest digest = Samples.digest("checkout", "boom").withMentions(List.of("alice", "bob"));

        JsonNode body = render("""
                {"n": "{{digest.events}}", "late": "{{digest.late}}", "who": "{{digest.mentions}}",
                 "line": "{{digest.events}} errors, cc {{digest.mentions}}", "t": "{{text.plain}}",
                 "nothing": "{{digest.first-seen}}", "kept": 3, "deep": [{"x": ["{{title}}"]}]}""",
                draft(List.of(digest), true));

        assertThat(body.path("n").isIntegralNumber()).isTrue();
        assertThat(body.path("n").asLong()).isEqualTo(54);
        assertThat(body.path("late").isBoolean()).isTrue();
        assertThat(body.path("who").isArray()).isTrue();
        assertThat(body.path("line").asText()).isEqualTo("54 errors, cc alice, bob");
        assertThat(body.path("t").asText()).isEqualTo("the text");
        assertThat(body.path("nothing").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(body.path("kept").asInt()).isEqualTo(3);
        assertThat(body.at("/deep/0/x/0").asText()).isEqualTo("the title");
    }

    @Test
    void aPackSpeaksForAllItsDigestsAndALaterPartMentionsNoOne() throws IOException {
        Digest a = Samples.digest("checkout", "boom", "bang").withMentions(List.of("alice"));
        Digest b = Samples.digest("billing", "crash").withMentions(List.of("bob"));

        JsonNode packed = render("""
                {"p": "{{digest.project}}", "n": "{{digest.events}}", "who": "{{digest.mentions}}",
                 "all": "{{digests}}", "t": "{{text.markdown}}", "top": "{{digest.count}}"}""",
                new Draft(List.of(0, 1), List.of(a, b), "t", "x", true));
        JsonNode later = render("{\"who\": \"{{digest.mentions}}\", \"t\": \"{{text.plain}}\"}",
                draft(List.of(a), false));

        assertThat(packed.path("p").asText()).isEqualTo("checkout, billing");
        assertThat(packed.path("n").asLong()).isEqualTo(a.totalEvents() + b.totalEvents());
        assertThat(packed.path("who")).hasSize(2);
        assertThat(packed.path("all")).hasSize(2);
        assertThat(packed.path("top").asLong()).isEqualTo(50);
        assertThat(later.path("who")).isEmpty();
    }

    @Test
    void aDigestWithoutGroupsHasNullsWhereAGroupWouldBe() throws IOException {
        Digest empty = new Digest("id", "pipe", "checkout", Samples.WINDOW, List.of(), 0, 0);

        JsonNode body = render("{\"s\": \"{{digest.sample}}\", \"l\": \"x{{digest.sample}}y\", "
                + "\"t\": \"{{text.plain}}\", \"all\": \"{{digests}}\"}", draft(List.of(empty), true));

        assertThat(body.path("s").isNull()).isTrue();
        assertThat(body.path("l").asText()).isEqualTo("xy");
        assertThat(body.at("/all/0/top").isNull()).isTrue();
    }

    @Test
    void logTextInAFieldIsCutAsTheTextIsSoThatTheBodyStaysBounded() throws IOException {
        Digest huge = Samples.digest("checkout", "x".repeat(100_000));

        JsonNode body = render("{\"s\": \"{{digest.sample}}\", \"t\": \"{{text.plain}}\"}",
                draft(List.of(huge), true));

        assertThat(body.path("s").asText()).hasSize(400).endsWith("…");
    }

    @Test
    void everyProblemOfATemplateIsListedWithoutQuotingIt() {
        assertThat(problems("{\"a\": \"{{nope}}\", \"{{title}}\": 1, \"b\": \"{{digests}} and more\", "
                + "\"c\": \"{{digest.projct}}\"}")).containsExactly(
                "'template' has a placeholder in a field name; placeholders are replaced in string values only",
                "'template' puts {{digests}}, a list of objects, inside other text; write it as a whole value: "
                        + "\"digests\": \"{{digests}}\"",
                "'template' has the unknown placeholder(s) {{digest.projct}}, {{nope}}; known: {{title}}, "
                        + "{{text.plain}}, {{text.markdown}}, {{digest.id}}, {{digest.pipeline}}, {{digest.project}}, "
                        + "{{digest.events}}, {{digest.kinds}}, {{digest.omitted-kinds}}, {{digest.window.from}}, "
                        + "{{digest.window.to}}, {{digest.first-seen}}, {{digest.last-seen}}, {{digest.pattern}}, "
                        + "{{digest.sample}}, {{digest.count}}, {{digest.thread}}, {{digest.mentions}}, "
                        + "{{digest.late}}, {{digests}}",
                "'template' must hold the message's text exactly once, as {{text.plain}} or {{text.markdown}}, held "
                        + "0: a digest too big for one body is split by the size of that text");
        assertThat(problems("{\"a\": \"{{text.plain}}\", \"b\": \"{{text.markdown}}\"}"))
                .singleElement().asString().contains("held 2");
    }

    @Test
    void aTemplateThatIsNotJsonSaysWhereWithoutEchoingIt() {
        List<String> problems = problems("{\"routing_key\": \"R0UT1NGKEY\", \"text\": {{text.plain}}}");

        assertThat(problems).singleElement().asString().startsWith("'template' is not JSON (line 1, column ")
                .doesNotContain("R0UT1NGKEY");
        assertThat(problems("\"just a string {{text.plain}}\"")).singleElement().asString()
                .startsWith("'template' must be a JSON object or array");
        assertThat(problems("{\"text\": \"{{text.plain}}\", \"text\": \"again\"}")).singleElement().asString()
                .startsWith("'template' is not JSON (line 1, column ").contains("Duplicate field");
    }

    @Test
    void numbersOfTheTemplateAreSentAsWritten() throws IOException {
        byte[] body = BodyTemplate.parse("{\"t\": \"{{text.plain}}\", \"amount\": 12345678901234567890.125, "
                + "\"ratio\": 0.1}", 400, new ArrayList<>()).render(draft(List.of(Samples.digest("p", "x")), true));

        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"amount\":12345678901234567890.125", "\"ratio\":0.1");
    }
}
