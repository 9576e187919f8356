package io.logalert.source.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated configuration of an {@link ElasticsearchLogSource}. {@link #toString()} never shows a secret.
 */
record SourceSettings(
        List<URI> hosts,
        Optional<String> username,
        Optional<String> password,
        Optional<String> apiKey,
        Optional<Path> caCertificate,
        Optional<String> caFingerprint,
        boolean verifyTls,
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
        int autoMaxDistinctPercent) {

    static final String HOSTS = "hosts";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String API_KEY = "api-key";
    static final String CA_CERTIFICATE = "ca-certificate";
    static final String CA_FINGERPRINT = "ca-fingerprint";
    static final String VERIFY_TLS = "verify-tls";
    static final String INDEX = "index";
    static final String FIELD_TIMESTAMP = "field.timestamp";
    static final String FIELD_LEVEL = "field.level";
    static final String FIELD_PROJECT = "field.project";
    static final String LEVELS = "levels";
    static final String INCLUDE_PROJECTS = "include-projects";
    static final String EXCLUDE_PROJECTS = "exclude-projects";
    static final String FILTER = "filter";
    static final String PAGE_SIZE = "page-size";
    static final String REQUEST_TIMEOUT = "request-timeout";
    static final String MODE = "mode";
    static final String AUTO_MIN_DOCUMENTS = "auto.min-documents";
    static final String AUTO_MAX_DISTINCT_PERCENT = "auto.max-distinct-percent";

    static final int DEFAULT_PAGE_SIZE = 1000;
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final long DEFAULT_AUTO_MIN_DOCUMENTS = 5_000;
    static final int DEFAULT_AUTO_MAX_DISTINCT_PERCENT = 50;

    /** Every level, when {@code levels} is {@code *}. */
    static final String ANY_LEVEL = "*";

    private static final Pattern FINGERPRINT = Pattern.compile("(?i)[0-9a-f]{64}");
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

        List<URI> hosts = new ArrayList<>();
        List<String> rawHosts = v.list(HOSTS);
        if (rawHosts.isEmpty()) {
            v.problem("'" + HOSTS + "' is required: one or more comma-separated URLs such as http://127.0.0.1:9200");
        }
        for (String raw : rawHosts) {
            parseHost(raw).ifPresentOrElse(hosts::add, () -> v.problem("'" + HOSTS + "' holds " + describeHost(raw)
                    + ", which is not a URL such as http://127.0.0.1:9200 or https://es.example.com:9200 "
                    + "(scheme http or https, a host, an optional port, no path, no credentials)"));
        }

        Optional<String> username = v.string(USERNAME);
        Optional<String> password = v.secret(PASSWORD);
        Optional<String> apiKey = v.secret(API_KEY);
        v.check(username.isPresent() == password.isPresent(), "'" + USERNAME + "' and '" + PASSWORD
                + "' go together: set both for basic authentication, or neither");
        v.check(apiKey.isEmpty() || username.isEmpty(), "set either '" + API_KEY + "' or '" + USERNAME + "'/'"
                + PASSWORD + "', not both");

        Optional<Path> caCertificate = v.string(CA_CERTIFICATE).map(Path::of);
        caCertificate.ifPresent(path -> v.check(Files.isRegularFile(path) && Files.isReadable(path),
                "'" + CA_CERTIFICATE + "' must name a readable PEM file, but " + path + " is not one"));
        Optional<String> caFingerprint = v.string(CA_FINGERPRINT).map(f -> f.replace(":", ""));
        caFingerprint.ifPresent(f -> v.check(FINGERPRINT.matcher(f).matches(), "'" + CA_FINGERPRINT
                + "' must be the SHA-256 fingerprint of the CA certificate: 64 hex digits, colons allowed"));
        v.check(caCertificate.isEmpty() || caFingerprint.isEmpty(),
                "set either '" + CA_CERTIFICATE + "' or '" + CA_FINGERPRINT + "', not both");
        boolean verifyTls = v.bool(VERIFY_TLS, true);
        v.check(verifyTls || (caCertificate.isEmpty() && caFingerprint.isEmpty()), "'" + VERIFY_TLS
                + "' is false, so '" + CA_CERTIFICATE + "'/'" + CA_FINGERPRINT + "' would be ignored: remove one");
        boolean anyHttps = hosts.stream().anyMatch(h -> h.getScheme().equals("https"));
        v.check(anyHttps || (caCertificate.isEmpty() && caFingerprint.isEmpty()), "'" + CA_CERTIFICATE + "'/'"
                + CA_FINGERPRINT + "' is set but no host in '" + HOSTS + "' uses https");

        List<String> indices = v.list(INDEX);
        if (indices.isEmpty()) {
            v.problem("'" + INDEX + "' is required: the index names or patterns to read, comma-separated, "
                    + "e.g. logs-*");
        }
        for (String index : indices) {
            v.check(INDEX_NAME.matcher(index).matches(), "'" + INDEX + "' holds '" + index
                    + "', which is not an index name or pattern (no blanks, quotes, /, \\, |, ?, < or >)");
        }

        Fields d = Fields.DEFAULTS;
        Fields fields = new Fields(
                v.string(FIELD_TIMESTAMP, d.timestamp()),
                v.string(FIELD_LEVEL, d.level()),
                v.string(FIELD_PROJECT, d.project()),
                v.string("field.thread", d.thread()),
                v.string("field.message", d.message()),
                v.string("field.logger", d.logger()),
                v.string("field.stack-trace", d.stackTrace()));
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
        Duration requestTimeout = v.duration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        v.check(!requestTimeout.isZero(), "'" + REQUEST_TIMEOUT + "' must be more than zero, e.g. 30s");
        ReadMode mode = v.oneOf(MODE, ReadMode.AUTO, ReadMode.class);
        long autoMinDocuments = v.longValue(AUTO_MIN_DOCUMENTS, DEFAULT_AUTO_MIN_DOCUMENTS, 0, Long.MAX_VALUE);
        int autoMaxDistinct = v.integer(AUTO_MAX_DISTINCT_PERCENT, DEFAULT_AUTO_MAX_DISTINCT_PERCENT, 0, 100);

        v.validate();
        return new SourceSettings(List.copyOf(hosts), username, password, apiKey, caCertificate, caFingerprint,
                verifyTls, List.copyOf(indices), fields, List.copyOf(levels), List.copyOf(include),
                List.copyOf(exclude), filter, pageSize, requestTimeout, mode, autoMinDocuments, autoMaxDistinct);
    }

    /** Whether every level is read. */
    boolean anyLevel() {
        return levels.equals(List.of(ANY_LEVEL));
    }

    /** The hosts as users wrote them, for names and messages. */
    String hostList() {
        return String.join(",", hosts.stream().map(URI::toString).toList());
    }

    @Override
    public String toString() {
        // the password and the API key stay out: settings end up in logs and exception messages
        return "SourceSettings[hosts=" + hostList() + ", username=" + username.orElse("") + ", password="
                + (password.isPresent() ? "***" : "") + ", apiKey=" + (apiKey.isPresent() ? "***" : "")
                + ", indices=" + indices + ", fields=" + fields + ", levels=" + levels + ", mode="
                + mode.name().toLowerCase(Locale.ROOT) + "]";
    }

    private static Optional<URI> parseHost(String raw) {
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean ok = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
            if (!ok) {
                return Optional.empty();
            }
            int port = uri.getPort() == -1 ? 9200 : uri.getPort();
            return Optional.of(new URI(scheme, null, uri.getHost(), port, null, null, null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** A host value for a message; a value holding credentials is not echoed. */
    private static String describeHost(String raw) {
        return raw.contains("@") ? "a URL with credentials in it (use 'username'/'password' or 'api-key')"
                : "'" + raw + "'";
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
            return Optional.of("'" + FILTER + "' is not valid JSON (" + e.getOriginalMessage()
                    + "); it must be one Elasticsearch query, e.g. {\"term\":{\"env\":\"prod\"}}");
        }
    }
}
