package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.field_caps.FieldCapability;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import io.logalert.TimeWindow;
import io.logalert.spi.PluginConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueriesTest {

    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"),
            Instant.parse("2026-03-01T10:05:00.250Z"));

    @Test
    void windowIsAHalfOpenRangeOfUtcInstants() {
        String json = json(Map.of(), dynamicLayout());

        assertThat(json).contains("\"gte\":\"2026-03-01T10:00:00Z\"", "\"lt\":\"2026-03-01T10:05:00.250Z\"",
                "\"format\":\"strict_date_optional_time_nanos\"").doesNotContain("\"lte\"", "+08:00");
    }

    @Test
    void levelsOnAKeywordIgnoreCase() {
        String json = json(Map.of("levels", "ERROR,FATAL"), dynamicLayout());

        assertThat(json).contains("\"loglevel.keyword\":{\"value\":\"ERROR\",\"case_insensitive\":true}",
                "\"loglevel.keyword\":{\"value\":\"FATAL\",\"case_insensitive\":true}");
    }

    @Test
    void levelsOnTextOnlyUseAnAnalyzedPhrase() {
        IndexLayout layout = IndexLayout.of("logs", SourceSettings.Fields.DEFAULTS, List.of("logs"), Map.of(
                "@timestamp", Map.of("date", cap("date", true)), "loglevel", Map.of("text", cap("text", false))));

        assertThat(json(Map.of(), layout)).contains("\"match_phrase\":{\"loglevel\":{\"query\":\"ERROR\"}}");
    }

    @Test
    void projectsAreIncludedAndExcludedAndTheExtraFilterIsAdded() {
        String json = json(Map.of("include-projects", "a,b", "exclude-projects", "c",
                "filter", "{\"term\":{\"env\":\"prod\"}}"), dynamicLayout());

        assertThat(json).contains("\"projectname.keyword\":{\"value\":\"a\"}", "\"must_not\"",
                "\"projectname.keyword\":{\"value\":\"c\"}", "\"env\":{\"value\":\"prod\"}");
    }

    @Test
    void aKeywordFieldIsUsedAsItIs() {
        IndexLayout layout = IndexLayout.of("logs", SourceSettings.Fields.DEFAULTS, List.of("logs"), Map.of(
                "@timestamp", Map.of("date", cap("date", true)), "msg", Map.of("keyword", cap("keyword", true))));

        assertThat(layout.message().exact()).contains("msg");
        assertThat(layout.message().keyword()).isTrue();
    }

    @Test
    void conflictingMappingsNameTheFieldTheTypesAndTheIndices() {
        FieldCapability asKeyword = FieldCapability.of(c -> c.type("keyword").searchable(true).aggregatable(true)
                .indices("logs-a"));
        FieldCapability asLong = FieldCapability.of(c -> c.type("long").searchable(true).aggregatable(true)
                .indices("logs-b"));

        assertThatThrownBy(() -> IndexLayout.of("logs-*", SourceSettings.Fields.DEFAULTS, List.of("logs-a", "logs-b"),
                Map.of("msg", Map.of("keyword", asKeyword, "long", asLong),
                        "@timestamp", Map.of("keyword", asKeyword))))
                .hasMessageContaining("'msg' is mapped as keyword in [logs-a], long in [logs-b]")
                .hasMessageContaining("timestamp field '@timestamp' must be a date");
    }

    @Test
    void fieldsTheReadFiltersOnMustBeMappedInTheWindowsIndices() {
        IndexLayout onlyTimestamp = IndexLayout.of("logs-*", SourceSettings.Fields.DEFAULTS, List.of("logs-1",
                "logs-2"), Map.of("@timestamp", Map.of("date", cap("date", true))));

        assertThat(onlyTimestamp.unreadable(settings(Map.of("include-projects", "checkout")))).containsExactly(
                "'field.level' 'loglevel' is mapped in none of [logs-1, logs-2]; set field.level to the documents' "
                        + "level field, or set levels=* to read every level",
                "'field.project' 'projectname' is mapped in none of [logs-1, logs-2]; set field.project to the "
                        + "documents' project field, or remove include-projects/exclude-projects");
        assertThat(onlyTimestamp.unreadable(settings(Map.of("levels", "*")))).isEmpty();
        assertThat(dynamicLayout().unreadable(settings(Map.of("exclude-projects", "a")))).isEmpty();
    }

    @Test
    void projectFilterNeedsAKeywordValueRatherThanAPhraseMatch() {
        IndexLayout textProject = IndexLayout.of("logs", SourceSettings.Fields.DEFAULTS, List.of("logs"), Map.of(
                "@timestamp", Map.of("date", cap("date", true)), "loglevel", Map.of("keyword", cap("keyword", true)),
                "projectname", Map.of("text", cap("text", false))));

        assertThat(textProject.unreadable(settings(Map.of("exclude-projects", "checkout")))).singleElement()
                .asString().contains("match exact values", "'projectname' has no keyword value in [logs]");
        assertThat(textProject.unreadable(settings(Map.of()))).isEmpty();
    }

    @Test
    void longIndexListsAreShortenedInMessages() {
        List<String> many = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "logs-" + i).toList();

        assertThat(IndexLayout.describeIndices(many)).startsWith("[logs-0, logs-1,").endsWith("logs-19, and 5 more]");
    }

    private static SourceSettings settings(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of("hosts", "http://es:9200", "index", "logs"));
        config.putAll(extra);
        return SourceSettings.parse(PluginConfig.of(config));
    }

    private static IndexLayout dynamicLayout() {
        Map<String, Map<String, FieldCapability>> caps = new HashMap<>();
        caps.put("@timestamp", Map.of("date", cap("date", true)));
        for (String field : List.of("loglevel", "projectname", "msg")) {
            caps.put(field, Map.of("text", cap("text", false)));
            caps.put(field + ".keyword", Map.of("keyword", cap("keyword", true)));
        }
        return IndexLayout.of("logs", SourceSettings.Fields.DEFAULTS, List.of("logs"), caps);
    }

    private static FieldCapability cap(String type, boolean aggregatable) {
        return FieldCapability.of(c -> c.type(type).searchable(true).aggregatable(aggregatable));
    }

    private static String json(Map<String, String> extra, IndexLayout layout) {
        Map<String, String> config = new HashMap<>(Map.of("hosts", "http://es:9200", "index", "logs"));
        config.putAll(extra);
        Query query = Queries.window(SourceSettings.parse(PluginConfig.of(config)), layout, WINDOW);
        return JsonpUtils.toJsonString(query, new JacksonJsonpMapper());
    }
}
