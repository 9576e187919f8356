package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.LogEvent;
import java.time.Instant;
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
}
