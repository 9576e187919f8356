package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oddValuesBecomeTextAndMissingOnesPlaceholders() throws Exception {
        JsonNode source = JSON.readTree("""
                {"projectname": 42, "msg": ["a", "b"], "threadname": {"id": 7}, "loglevel": null}""");

        LogEvent event = Documents.event(source, SourceSettings.Fields.DEFAULTS).timestamp(Instant.EPOCH).build();

        assertThat(event.project()).isEqualTo("42");
        assertThat(event.message()).isEqualTo("a\nb");
        assertThat(event.thread()).isEqualTo("{\"id\":7}");
        assertThat(event.level()).isEqualTo(Documents.NO_LEVEL);
        assertThat(event.logger()).isEmpty();
    }

    @Test
    void loneSurrogatesInEveryTextFieldBecomeReplacementCharacters() throws Exception {
        // JSON may escape half of a surrogate pair, and shippers that cut strings by UTF-16 units leave such halves
        JsonNode source = JSON.readTree("""
                {"projectname": "shop\\ud83d", "msg": "cut \\ud83d here, \\ude00 there, whole \\ud83d\\ude00",
                 "threadname": "\\udfff\\ud800", "loglevel": "ERROR\\ud800", "logger_name": "a.B\\udc00",
                 "stack_trace": ["at X\\ud800", "at Y"]}""");
        assertThat(source.get("msg").asText()).as("the parser keeps lone surrogates").contains("\ud83d ");

        LogEvent event = Documents.event(source, SourceSettings.Fields.DEFAULTS).timestamp(Instant.EPOCH).build();

        assertThat(event.project()).isEqualTo("shop\uFFFD");
        assertThat(event.message()).isEqualTo("cut \uFFFD here, \uFFFD there, whole \uD83D\uDE00");
        assertThat(event.thread()).isEqualTo("\uFFFD\uFFFD");
        assertThat(event.level()).isEqualTo("ERROR\uFFFD");
        assertThat(event.logger()).isEqualTo("a.B\uFFFD");
        assertThat(event.stackTrace()).isEqualTo("at X\uFFFD\nat Y");
        for (String text : List.of(event.project(), event.message(), event.thread(), event.level(),
                event.logger(), event.stackTrace())) {
            // what a sink's UTF-8 encoder needs: every char encodes, nothing is replaced by '?'
            assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(text)).as(text).isTrue();
        }
    }

    @Test
    void wellFormedTextIsReturnedAsItIs() {
        String text = "ok \uD83D\uDE00 ok";

        assertThat(Documents.wellFormed(text)).isSameAs(text);
        assertThat(Documents.wellFormed("")).isEmpty();
        assertThat(Documents.wellFormed("\uD83D")).isEqualTo("\uFFFD");
        assertThat(Documents.wellFormed("\uDE00\uD83D\uDE00\uD83D")).isEqualTo("\uFFFD\uD83D\uDE00\uFFFD");
    }

    @Test
    void missingProjectAndBlankMessageArePlaceholders() throws Exception {
        LogEvent event = Documents.event(JSON.readTree("{\"msg\": \"  \"}"), SourceSettings.Fields.DEFAULTS)
                .timestamp(Instant.EPOCH).build();

        assertThat(event.project()).isEqualTo(LogEvent.NO_PROJECT);
        assertThat(event.message()).isEqualTo(Documents.NO_MESSAGE);
    }

    @Test
    void dottedNamesAreFoundFlatOrNested() throws Exception {
        assertThat(Documents.text(JSON.readTree("{\"log.level\": \"ERROR\"}"), "log.level")).contains("ERROR");
        assertThat(Documents.text(JSON.readTree("{\"log\": {\"level\": \"ERROR\"}}"), "log.level")).contains("ERROR");
        assertThat(Documents.text(JSON.readTree("{\"a\": {\"b.c\": \"x\"}}"), "a.b.c")).contains("x");
        assertThat(Documents.text(JSON.readTree("{\"log\": 1}"), "log.level")).isEmpty();
    }

    @Test
    void aFieldIsHeldWhenPresentEvenBlankButNotWhenMissingOrNull() throws Exception {
        assertThat(Documents.holds(JSON.readTree("{\"msg\": \"\"}"), "msg")).isTrue();
        assertThat(Documents.holds(JSON.readTree("{\"log\": {\"msg\": \"x\"}}"), "log.msg")).isTrue();
        assertThat(Documents.holds(JSON.readTree("{\"msg\": null}"), "msg")).isFalse();
        assertThat(Documents.holds(JSON.readTree("{\"message\": \"x\"}"), "msg")).isFalse();
    }

    @Test
    void presenceNamesTheFieldsNoDocumentHolds() throws Exception {
        Documents.Presence presence = new Documents.Presence(Map.of("field.message", "msg"));
        assertThat(presence.heldByNone()).as("no document, nothing to judge").isEmpty();

        presence.document(JSON.readTree("{\"message\": \"a\"}"));
        presence.document(JSON.readTree("{\"message\": \"b\"}"));

        assertThat(presence.documents()).isEqualTo(2);
        assertThat(presence.heldByNone()).containsExactly("field.message");
        assertThat(presence.field("field.message")).isEqualTo("msg");

        presence.document(JSON.readTree("{\"msg\": \"c\"}"));
        assertThat(presence.heldByNone()).as("held by one document of three").isEmpty();
    }

    @Test
    void aBucketCountsKeyedFieldsForAllItsDocumentsAndTheStoreCountsTheOthers() {
        Documents.Presence presence = new Documents.Presence(new LinkedHashMap<>(Map.of(
                "field.message", "msg", "field.project", "projectname", "field.thread", "thread",
                "field.logger", "logger")));

        presence.bucket(40, Map.of("field.message", true, "field.project", false));
        presence.counted("field.thread", 3);
        presence.counted("field.logger", 0);

        assertThat(presence.documents()).isEqualTo(40);
        assertThat(presence.heldByNone()).containsExactlyInAnyOrder("field.project", "field.logger");
    }
}
