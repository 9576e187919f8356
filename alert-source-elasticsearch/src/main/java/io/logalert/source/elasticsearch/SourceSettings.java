package io.logalert.source.elasticsearch;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated configuration of an {@link ElasticsearchLogSource}. {@link #toString()} never shows a secret.
 *
 * <p>{@code heldFields} maps a key ({@code field.message}) to its field for every field that some document of a
 * non-empty window must hold, in the order problems are reported.
 */
record SourceSettings(
        ConnectionSettings connection,
        List<String> indices,
        Fields fields,
        List<String> levels,
        List<String> includeProjects,
        List<String> excludeProjects,
        Optional<String> filter,
        int pageSize,
        Duration requestTimeout,
        ReadMode mode,
        long autoMinDocuments,
        int autoMaxDistinctPercent,
        int maxSlices,
        Map<String, String> heldFields) {

    static final String INDEX = "index";
    static final String FIELD_TIMESTAMP = "field.timestamp";
    static final String FIELD_LEVEL = "field.level";
    static final String FIELD_PROJECT = "field.project";
    static final String FIELD_THREAD = "field.thread";
    static final String FIELD_MESSAGE = "field.message";
    static final String FIELD_LOGGER = "field.logger";
    static final String FIELD_STACK_TRACE = "field.stack-trace";
    static final String LEVELS = "levels";
    static final String INCLUDE_PROJECTS = "include-projects";
    static final String EXCLUDE_PROJECTS = "exclude-projects";
    static final String FILTER = "filter";
    static final String PAGE_SIZE = "page-size";
    static final String MODE = "mode";
    static final String AUTO_MIN_DOCUMENTS = "auto.min-documents";
    static final String AUTO_MAX_DISTINCT_PERCENT = "auto.max-distinct-percent";
    static final String MAX_SLICES = "max-slices";

    static final int DEFAULT_PAGE_SIZE = 1000;
    static final long DEFAULT_AUTO_MIN_DOCUMENTS = 5_000;
    static final int DEFAULT_AUTO_MAX_DISTINCT_PERCENT = 50;
    /**
     * Slices a stream read uses at most. Each slice keeps one search thread per shard busy on the cluster while its
     * page is fetched: four take a noticeable share of a small node's search pool (1.5 × cores + 1 threads) without
     * crowding out the applications' own searches, and already hide most of the per-page latency on the client.
     */
    static final int DEFAULT_MAX_SLICES = 4;
    /** More slices than this only queue on the cluster's search pool. */
    static final int MAX_MAX_SLICES = 64;

    /** Every level, when {@code levels} is {@code *}. */
    static final String ANY_LEVEL = "*";

    private static final Pattern INDEX_NAME = Pattern.compile("-?[^\\s\",/\\\\|?<>]+");

    /**
     * The document fields the source reads.
     *
     * @param timestamp  when the record was logged; a {@code date} or {@code date_nanos} field
     * @param level      the log level
     * @param project    the project (application) name
     * @param thread     the thread name
     * @param message    the message
     * @param logger     the logger name
     * @param stackTrace the stack trace kept apart from the message
     */
    record Fields(String timestamp, String level, String project, String thread, String message, String logger,
            String stackTrace) {

        /** The field names of the script this source replaces, plus logstash-logback-encoder's logger and stack. */
        static final Fields DEFAULTS = new Fields("@timestamp", "loglevel", "projectname", "threadname", "msg",
                "logger_name", "stack_trace");

        List<String> all() {
            return List.of(timestamp, level, project, thread, message, logger, stackTrace);
        }
    }

    /**
     * Reads and validates {@code config}, reporting every problem at once.
     *
     * @throws io.logalert.spi.ConfigException listing every problem
     */
    static SourceSettings parse(PluginConfig config) {
        ConfigValidator v = config.validator(ElasticsearchLogSourceProvider.TYPE);

        ConnectionSettings connection = ConnectionSettings.read(v);

        List<String> indices = v.list(INDEX);
        if (indices.isEmpty()) {
            v.problem("'" + INDEX + "' is required: the index names or patterns to read, comma-separated, "
                    + "e.g. logs-*");
        }
        for (int i = 0; i < indices.size(); i++) {
            // never echoed whole: a value with blanks or quotes may be a password typed into the wrong key
            v.check(INDEX_NAME.matcher(indices.get(i)).matches(), "'" + INDEX + "'" + (indices.size() == 1 ? ""
                    : " part " + (i + 1) + " of " + indices.size()) + " (" + ConfigValidator.redact(indices.get(i))
                    + ") is not an index name or pattern (no blanks, quotes, /, \\, |, ?, < or >)");
        }

        Fields d = Fields.DEFAULTS;
        Optional<String> level = v.string(FIELD_LEVEL);
        Optional<String> thread = v.string(FIELD_THREAD);
        Optional<String> logger = v.string(FIELD_LOGGER);
        Fields fields = new Fields(
                v.string(FIELD_TIMESTAMP, d.timestamp()),
                level.orElse(d.level()),
                v.string(FIELD_PROJECT, d.project()),
                thread.orElse(d.thread()),
                v.string(FIELD_MESSAGE, d.message()),
                logger.orElse(d.logger()),
                v.string(FIELD_STACK_TRACE, d.stackTrace()));
        // A field no document of a window holds is a wrong name, not a window of blank values. The message and the
        // project are what a digest is made of, so they are always checked; the level, thread and logger only when
        // set explicitly, since the defaults are guesses that many log formats do not follow. The stack trace never:
        // a window whose errors carry no exception is normal.
        Map<String, String> held = new LinkedHashMap<>();
        held.put(FIELD_MESSAGE, fields.message());
        held.put(FIELD_PROJECT, fields.project());
        level.ifPresent(field -> held.put(FIELD_LEVEL, field));
        thread.ifPresent(field -> held.put(FIELD_THREAD, field));
        logger.ifPresent(field -> held.put(FIELD_LOGGER, field));
        Set<String> seen = new HashSet<>();
        for (String field : fields.all()) {
            v.check(seen.add(field), "the field '" + field + "' is configured for two roles among field.*: "
                    + "each role needs its own field");
        }

        List<String> levels = v.list(LEVELS);
        if (levels.isEmpty()) {
            levels = List.of("ERROR");
        }
        v.check(!levels.contains(ANY_LEVEL) || levels.size() == 1,
                "'" + LEVELS + "' is either * (every level) or a list of levels, not both");

        List<String> include = v.list(INCLUDE_PROJECTS);
        List<String> exclude = v.list(EXCLUDE_PROJECTS);
        for (String project : include) {
            v.check(!exclude.contains(project), "the project '" + project + "' is in both '" + INCLUDE_PROJECTS
                    + "' and '" + EXCLUDE_PROJECTS + "'");
        }

        Optional<String> filter = v.string(FILTER);
        filter.ifPresent(json -> checkFilter(json).ifPresent(v::problem));

        int pageSize = v.integer(PAGE_SIZE, DEFAULT_PAGE_SIZE, 1, 10_000);
        Duration requestTimeout = ConnectionSettings.requestTimeout(v);
        ReadMode mode = v.oneOf(MODE, ReadMode.AUTO, ReadMode.class);
        long autoMinDocuments = v.longValue(AUTO_MIN_DOCUMENTS, DEFAULT_AUTO_MIN_DOCUMENTS, 0, Long.MAX_VALUE);
        int autoMaxDistinct = v.integer(AUTO_MAX_DISTINCT_PERCENT, DEFAULT_AUTO_MAX_DISTINCT_PERCENT, 0, 100);
        int maxSlices = v.integer(MAX_SLICES, DEFAULT_MAX_SLICES, 1, MAX_MAX_SLICES);

        v.validate();
        return new SourceSettings(connection, List.copyOf(indices), fields, List.copyOf(levels), List.copyOf(include),
                List.copyOf(exclude), filter, pageSize, requestTimeout, mode, autoMinDocuments, autoMaxDistinct,
                maxSlices, Collections.unmodifiableMap(held));
    }

    /** Whether every level is read. */
    boolean anyLevel() {
        return levels.equals(List.of(ANY_LEVEL));
    }

    /** The hosts as users wrote them, for names and messages. */
    String hostList() {
        return connection.hostList();
    }

    @Override
    public String toString() {
        // the password and the API key stay out: settings end up in logs and exception messages
        return "SourceSettings[hosts=" + hostList() + ", username=" + connection.username().orElse("")
                + ", password=" + (connection.password().isPresent() ? "***" : "") + ", apiKey="
                + (connection.apiKey().isPresent() ? "***" : "") + ", indices=" + indices + ", fields=" + fields + ", levels=" + levels + ", mode="
                + mode.name().toLowerCase(Locale.ROOT) + "]";
    }

    private static Optional<String> checkFilter(String json) {
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            if (node == null || !node.isObject() || node.size() != 1) {
                return Optional.of("'" + FILTER + "' must be one Elasticsearch query as a JSON object, "
                        + "e.g. {\"term\":{\"env\":\"prod\"}}");
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            // the parser's own message quotes the text it choked on, which may be a secret typed into the wrong key
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : "at line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + " of ";
            return Optional.of("'" + FILTER + "' is not valid JSON (" + where + ConfigValidator.redact(json)
                    + "); it must be one Elasticsearch query, e.g. {\"term\":{\"env\":\"prod\"}}");
        }
    }
}
