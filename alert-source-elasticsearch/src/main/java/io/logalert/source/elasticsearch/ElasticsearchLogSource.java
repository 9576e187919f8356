package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FilterAggregate;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.CountResponse;
import co.elastic.clients.elasticsearch.core.FieldCapsRequest;
import co.elastic.clients.elasticsearch.core.FieldCapsResponse;
import co.elastic.clients.elasticsearch.core.OpenPointInTimeResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.ResolveIndexResponse;
import co.elastic.clients.elasticsearch.security.HasPrivilegesResponse;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.endpoints.SimpleEndpoint;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.spi.ConfigException;
import io.logalert.spi.LogSource;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads error records from Elasticsearch and counts every matching document exactly, whatever the volume, with
 * client memory that grows with distinct messages, never with documents.
 *
 * <p>A window {@code [from, to)} is read as a range query {@code gte from, lt to} on absolute UTC instants. How the
 * documents are read is the {@link ReadMode}: {@code stream} pages through them with a point in time and
 * {@code search_after} (no 10,000 cap), in parallel slices, their pages handed to the consumer on the reading
 * thread in turn; {@code aggregate} counts them inside Elasticsearch with a composite aggregation on project and
 * message, one pre-counted event per bucket whose details (thread, logger, stack trace) {@link #details(List)}
 * loads for the groups a digest shows;
 * {@code auto} picks one per window from the document count, whether a document holds a stack trace, and how often
 * the messages of a sample repeat.
 *
 * <pre>{@code
 * LogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of(
 *         "hosts", "https://es.example.com:9200",
 *         "username", "logalert", "password", secret,
 *         "index", "app-logs-*")));
 * source.read(new TimeWindow(from, to), aggregation::add);
 * }</pre>
 *
 * <p>Every read searches one point in time, so its count, its aggregation pages and its streamed pages see the same
 * documents, and never accepts partial results: a failed shard fails the read.
 *
 * <p>A misconfiguration is never read as an empty window. An unreachable, slow or overloaded node, an answer
 * missing shards, or an index of the window that is red (a primary without an active copy) or partly unavailable, is
 * a {@link io.logalert.spi.SourceUnavailableException}; a node that does not answer fails the read after one
 * {@code request-timeout}. Each of these is a {@link LogSourceException} whose message names the key to correct and
 * what exists, never a secret: refused credentials, a certificate the configured CA did not sign (naming the host),
 * an {@code index} pattern the user may not read, a rejected query, indices of the window that map a field
 * differently, a configured field that none of them maps, a name in {@code index} that no index, alias or data
 * stream has, an {@code index} that matches nothing while names close to it exist (a typo such as {@code app-prd-*} beside {@code app-prod-2026.11.30}), and a message,
 * project or explicitly configured level, thread or logger field that no document of a non-empty window holds. Only
 * an {@code index} whose patterns match nothing and resemble no existing name reads as an empty window: its indices
 * may not be created yet; that is logged as a warning once, until it matches. An index that exists but holds no
 * document of the window is an empty window, as is a document without a value, which shows placeholders such as
 * {@code (no message)}.
 *
 * <p>Thread-safe in the sense that reads are serialized: the source performs one read at a time, as the pipeline
 * does anyway; a second thread waits.
 */
public final class ElasticsearchLogSource implements LogSource {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchLogSource.class);
    private static final String PROJECT_KEY = "project";
    private static final String MESSAGE_KEY = "message";
    /** The fields whose presence an aggregation bucket's key tells for all of its documents. */
    private static final Set<String> KEYED_FIELDS = Set.of(SourceSettings.FIELD_MESSAGE, SourceSettings.FIELD_PROJECT);
    /** The index privileges a read needs: search, and field capabilities. */
    private static final List<String> READ_PRIVILEGES = List.of("read", "view_index_metadata");
    /** How many existing names a message suggests for a part of {@code index}. */
    private static final int SUGGESTIONS = 5;
    /** The field capabilities request, answered as JSON, which keeps the {@code failures} the typed answer drops. */
    @SuppressWarnings("unchecked")
    private static final SimpleEndpoint<FieldCapsRequest, JsonData> FIELD_CAPS_AS_JSON =
            ((SimpleEndpoint<FieldCapsRequest, FieldCapsResponse>) FieldCapsRequest._ENDPOINT)
                    .withResponseDeserializer(JsonData._DESERIALIZER);
    private static final ObjectMapper NODE_CLOCK = new ObjectMapper();
    /** The most instants a sample search names; Elasticsearch allows 1,024 clauses per query at the least. */
    private static final int MAX_INSTANTS = 1_000;
    /** Reads and writes the bodies of the stream's page requests, which go through the low-level client. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SourceSettings settings;
    private final String name;
    private final Failures failures;
    private final RestClient restClient;
    private final ElasticsearchClient client;
    private final JacksonJsonpMapper mapper;
    private final Time keepAlive;
    /** Whether the warning that {@code index} matches nothing has been logged since it last matched. */
    private boolean warnedNothingMatches;
    private final List<String> warnings = new ArrayList<>();
    /** The last window read to its end and its mappings: details() asks for the samples of that window right after. */
    private TimeWindow lastReadWindow;
    private IndexLayout lastReadLayout;
    /** What auto's probe found in the last window it read; for tests, which cannot easily see the decision. */
    private DistinctProbe lastProbe;

    private ElasticsearchLogSource(SourceSettings settings) {
        this.settings = settings;
        this.name = ElasticsearchLogSourceProvider.TYPE + "[" + settings.hostList() + "]";
        ConnectionSettings connection = settings.connection();
        this.failures = new Failures(name, connection.hostList(), connection.principal(),
                settings.requestTimeout());
        this.mapper = new JacksonJsonpMapper(new ObjectMapper());
        this.restClient = connection.restClient(settings.requestTimeout(), ElasticsearchLogSourceProvider.TYPE);
        connection.insecureWarning().ifPresent(warning -> {
            warnings.add(warning);
            LOG.warn("{}: {}", name, warning);
        });
        this.client = new ElasticsearchClient(new RestClientTransport(restClient, mapper));
        // the point in time must outlive the gap between two pages: a request plus the consumer's work on a page
        long keepAliveSeconds = Math.max(60, settings.requestTimeout().multipliedBy(2).toSeconds());
        this.keepAlive = Time.of(t -> t.time(keepAliveSeconds + "s"));
    }

    /**
     * Creates a source from {@code config}; see the module README for the keys.
     *
     * @throws ConfigException listing every problem of {@code config}
     */
    public static ElasticsearchLogSource create(PluginConfig config) {
        Objects.requireNonNull(config, "config");
        return new ElasticsearchLogSource(SourceSettings.parse(config));
    }

    /** {@code elasticsearch[<hosts>]}; never holds a credential. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Hands every matching document of {@code window} to {@code consumer}, as single or pre-counted events.
     *
     * @throws io.logalert.spi.SourceUnavailableException when the node is unreachable, slow or overloaded, an
     *                                                    answer misses shards, or an index of the window is red
     *                                                    or partly unavailable (never counted as the window)
     * @throws LogSourceException                         when it refuses the credentials or the query, the indices
     *                                                    of the window map a field in conflicting ways, a
     *                                                    configured field is mapped in none of them or held by no
     *                                                    document of the window, or {@code index} names something
     *                                                    that does not exist or looks like a typo of what does; the
     *                                                    consumer may have been handed events of the window before
     */
    @Override
    public synchronized void read(TimeWindow window, Consumer<LogEvent> consumer) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(consumer, "consumer");
        IndexLayout layout = layout(window);
        if (layout.indices().isEmpty()) {
            // no index can hold a document of the window, unless 'index' or the timestamp field is the wrong one
            requireNoIndexHoldsTheWindow();
            return;
        }
        warnedNothingMatches = false;
        List<String> unreadable = layout.unreadable(settings);
        if (!unreadable.isEmpty()) {
            throw new LogSourceException(name, String.join("; ", unreadable));
        }
        Query query = Queries.window(settings, layout, window);
        // one point in time per read: the count, the composite pages and the streamed pages see the same documents
        PointInTime pit = openPointInTime(layout);
        Throwable failure = null;
        try {
            Documents.Presence presence = new Documents.Presence(settings.heldFields());
            read(pit, layout, query, window, consumer, presence);
            requireFieldsHeld(layout, window, presence);
            // details() reuses the mappings of a window read to its end only; after a failed read it asks again
            lastReadWindow = window;
            lastReadLayout = layout;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (failure != null && Failures.noAnswer(failure)) {
                // the node did not answer a search in time: a close would wait as long again, doubling the time the
                // run takes to fail; the point in time expires by itself after its keep-alive
                LOG.debug("{}: not closing the point in time of a node that did not answer", name);
            } else {
                // a caller interrupted during the read still closes its point in time: the client gives up waiting
                // for any answer while the flag is set, so it is cleared for the close and set again after it
                boolean interrupted = Thread.interrupted();
                try {
                    closePointInTime(pit.id, failure);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /**
     * The documents of {@code window} as they are now, with one {@code _count} request (after the field capabilities
     * that every read asks): how the pipeline finds documents indexed after their window was read.
     *
     * @throws io.logalert.spi.SourceUnavailableException when the node is unreachable or a shard failed
     * @throws LogSourceException                         as {@link #read} does for a wrong configuration
     */
    @Override
    public synchronized OptionalLong count(TimeWindow window) {
        Objects.requireNonNull(window, "window");
        IndexLayout layout = layout(window);
        if (layout.indices().isEmpty()) {
            return OptionalLong.of(0);
        }
        Query query = Queries.window(settings, layout, window);
        CountResponse response;
        try {
            response = client.count(c -> c.index(layout.indices()).query(query));
        } catch (Exception e) {
            throw failures.of("count the documents of " + window, e);
        }
        failures.requireComplete("count the documents of " + window, response.shards(), false);
        return OptionalLong.of(response.count());
    }

    /**
     * The node's own clock, from its statistics' timestamp: a window never ends after it (less the query delay),
     * so a local clock that jumps ahead cannot move the checkpoint past documents not yet written.
     *
     * @throws io.logalert.spi.SourceUnavailableException when the node is unreachable
     */
    @Override
    public synchronized Optional<Instant> now() {
        Request request = new Request("GET", "/_nodes/_local/stats/os");
        request.addParameter("filter_path", "nodes.*.timestamp");
        try {
            Response response = restClient.performRequest(request);
            JsonNode nodes = NODE_CLOCK.readTree(response.getEntity().getContent()).path("nodes");
            for (JsonNode node : nodes) {
                if (node.path("timestamp").canConvertToLong()) {
                    return Optional.of(Instant.ofEpochMilli(node.path("timestamp").longValue()));
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            throw failures.of("read the node's clock", e);
        }
    }

    private void read(PointInTime pit, IndexLayout layout, Query query, TimeWindow window,
            Consumer<LogEvent> consumer, Documents.Presence presence) {
        switch (settings.mode()) {
            case STREAM -> stream(pit, layout, query, consumer, presence);
            case AGGREGATE -> {
                WindowStats stats = stats(pit, layout, query);
                if (stats.exactlyGroupable()) {
                    aggregate(pit, layout, query, stats, consumer, presence);
                } else {
                    LOG.warn("{}: streaming {} instead of aggregating: {}", name, window, stats.whyNotGroupable());
                    stream(pit, layout, query, consumer, presence);
                }
            }
            case AUTO -> {
                DistinctProbe probe = probe(pit, layout, query);
                lastProbe = probe;
                WindowStats stats = probe.worthAggregating(settings) ? stats(pit, layout, query) : null;
                if (stats != null && stats.exactlyGroupable()) {
                    LOG.debug("{}: aggregating {}: {}", name, window, probe);
                    aggregate(pit, layout, query, stats, consumer, presence);
                } else {
                    LOG.debug("{}: streaming {}: {}", name, window, stats == null ? probe : stats.whyNotGroupable());
                    stream(pit, layout, query, consumer, presence);
                }
            }
        }
    }

    /**
     * The warnings this source has logged about its configuration, oldest first; for tests, which cannot easily see
     * the log.
     */
    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** What auto's probe found in the last window it read, if any; for tests. */
    synchronized Optional<DistinctProbe> lastProbe() {
        return Optional.ofNullable(lastProbe);
    }

    /** Closes the connections to the nodes. */
    @Override
    public void close() {
        try {
            restClient.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the client failed", name, e);
        }
    }

    // ---- mapping

    /**
     * The mappings of the indices that can hold documents of {@code window}: the window's range is the index filter,
     * so that an old index mapped differently does not block every later window.
     */
    private IndexLayout layout(TimeWindow window) {
        String pattern = String.join(",", settings.indices());
        Query range = Queries.range(settings, window);
        String operation = "read the mappings of '" + pattern + "'";
        JsonData answer;
        try {
            // ignore_unavailable=false: a name that does not exist fails here instead of reading as an empty window;
            // allow_no_indices=true: a pattern that matches nothing is judged by requireNoIndexHoldsTheWindow
            answer = fieldCaps(FieldCapsRequest.of(f -> f.index(settings.indices())
                    .fields(IndexLayout.fieldsToAsk(settings.fields())).indexFilter(range).ignoreUnavailable(false)
                    .allowNoIndices(true)));
        } catch (Exception e) {
            Optional<String> missing = Failures.missingIndex(e);
            if (missing.isPresent()) {
                throw noSuchIndex(missing.get());
            }
            throw failures.of(operation, e);
        }
        // an index whose shards cannot be read (red) is left out of 'indices' and listed under 'failures', with HTTP
        // 200: reading the window without it would count only the other indices' documents and move on
        FieldCapsResponse caps = readFieldCaps(operation, answer);
        try {
            return IndexLayout.of(pattern, settings.fields(), caps.indices(), caps.fields());
        } catch (IndexLayout.MappingConflictException e) {
            throw new LogSourceException(name, e.getMessage());
        }
    }

    /**
     * Called when no index can hold a document of the window; returns when that is true of a correct configuration.
     * Fails when {@code index} matches nothing but resembles existing names (a typo), or when it matches indices that
     * hold documents but none maps the timestamp field: the range query would find nothing in any window, and every
     * window would pass as empty. Warns once when {@code index} matches nothing and resembles nothing.
     */
    private void requireNoIndexHoldsTheWindow() {
        String timestamp = settings.fields().timestamp();
        String operation = "read the mappings of '" + String.join(",", settings.indices()) + "'";
        JsonData answer;
        CountResponse count;
        try {
            answer = fieldCaps(FieldCapsRequest.of(f -> f.index(settings.indices()).fields(timestamp)
                    .ignoreUnavailable(true).allowNoIndices(true)));
        } catch (Exception e) {
            throw failures.of(operation, e);
        }
        FieldCapsResponse caps = readFieldCaps(operation, answer);
        if (caps.indices().isEmpty()) {
            // every name exists (layout checked that), so only patterns are left, and none matches anything
            requireNothingMatchingIsNotATypo();
            return;
        }
        warnedNothingMatches = false;
        if (caps.fields().containsKey(timestamp)) {
            return;
        }
        String counting = "count the documents of '" + String.join(",", settings.indices()) + "'";
        try {
            // indices created before their first document (rollover, a template without mappings) map nothing yet
            count = client.count(c -> c.index(caps.indices()).ignoreUnavailable(true).allowNoIndices(true));
        } catch (Exception e) {
            throw failures.of(counting, e);
        }
        // a shard that failed to count may hold the documents that make the field's absence an error
        failures.requireComplete(counting, count.shards(), false);
        if (count.count() > 0) {
            throw new LogSourceException(name, IndexLayout.unmapped(SourceSettings.FIELD_TIMESTAMP, timestamp,
                    caps.indices(), "the documents' time field"));
        }
    }

    /**
     * Asks for field capabilities and returns the answer as JSON: the typed response drops {@code failures}, the
     * indices Elasticsearch could not read.
     */
    private JsonData fieldCaps(FieldCapsRequest request) throws IOException {
        return client._transport().performRequest(request, FIELD_CAPS_AS_JSON, client._transportOptions());
    }

    /**
     * The field capabilities in {@code answer}.
     *
     * @throws io.logalert.spi.SourceUnavailableException when it lists indices it could not read (a red index)
     */
    private FieldCapsResponse readFieldCaps(String operation, JsonData answer) {
        failures.requireEveryIndexRead(operation, answer.to(JsonNode.class, mapper));
        return answer.deserialize(FieldCapsResponse._DESERIALIZER, mapper);
    }

    // ---- an 'index' that matches nothing

    /**
     * {@code index} matches no index: an error when some pattern resembles existing names, since then it is most
     * likely misspelt; otherwise nothing tells a typo from indices not created yet, so the window is empty and a
     * warning is logged once (until {@code index} matches again), not every run.
     */
    private void requireNothingMatchingIsNotATypo() {
        List<String> existing = existingNames();
        List<String> typos = new ArrayList<>();
        for (String part : IndexLayout.inclusions(settings.indices())) {
            List<String> similar = IndexLayout.similarNames(part, existing, SUGGESTIONS);
            if (!similar.isEmpty()) {
                typos.add("'" + part + "' matches no index, alias or data stream, but names close to it exist: "
                        + String.join(", ", similar));
            }
        }
        String expression = String.join(",", settings.indices());
        if (!typos.isEmpty()) {
            throw new LogSourceException(name, "'" + SourceSettings.INDEX + "' is '" + expression + "': "
                    + String.join("; ", typos) + ". Correct '" + SourceSettings.INDEX + "'; windows are read once it "
                    + "matches");
        }
        requireMayRead(expression);
        if (!warnedNothingMatches) {
            warnedNothingMatches = true;
            String warning = "'" + SourceSettings.INDEX + "' is '" + expression + "', which matches no index, alias "
                    + "or data stream yet, and no existing name is close to it: windows read as empty until one is "
                    + "created. Check the spelling if the indices should exist; this is logged once until it matches";
            warnings.add(warning);
            LOG.warn("{}: {}", name, warning);
        }
    }

    /**
     * Fails when the user may not read what {@code index} names: Elasticsearch hides from a user the indices they may
     * not read, so that a pattern matches nothing, and without this every window would read as empty. Says nothing
     * when the cluster cannot tell (security off, or the check refused): then a pattern matching nothing is an index
     * not created yet, as before.
     */
    private void requireMayRead(String expression) {
        // exclusions only remove, and a remote cluster's privileges are not this cluster's to tell
        List<String> parts = IndexLayout.inclusions(settings.indices()).stream()
                .filter(part -> part.indexOf(':') < 0).toList();
        if (parts.isEmpty()) {
            return;
        }
        HasPrivilegesResponse answer;
        try {
            answer = client.security().hasPrivileges(h -> h.index(i -> i.names(parts)
                    .privileges(READ_PRIVILEGES)));
        } catch (Exception e) {
            LOG.debug("{}: could not check the privileges on '{}'", name, expression, e);
            return;
        }
        if (answer.hasAllRequested()) {
            return;
        }
        List<String> denied = answer.index().entrySet().stream()
                .filter(entry -> entry.getValue().containsValue(false)).map(Map.Entry::getKey).sorted().toList();
        String principal = settings.connection().principal();
        throw new LogSourceException(name, "'" + SourceSettings.INDEX + "' is '" + expression + "', which matches "
                + "nothing " + principal + " may see: Elasticsearch at " + settings.hostList() + " does not grant "
                + principal + " the " + String.join(" and ", READ_PRIVILEGES) + " privileges on " + denied
                + ", and it hides the indices a user may not read, so every window would read as empty. Grant them "
                + "on the indices (HTTP 403 for a name), or correct '" + SourceSettings.INDEX + "'");
    }

    /** A name in {@code index} that no index, alias or data stream has. */
    private LogSourceException noSuchIndex(String missing) {
        List<String> similar = IndexLayout.similarNames(missing, existingNames(), SUGGESTIONS);
        String existing = similar.isEmpty() ? "no existing name is close to it"
                : "names close to it: " + String.join(", ", similar);
        return new LogSourceException(name, "'" + SourceSettings.INDEX + "' names '" + missing + "', but no index, "
                + "alias or data stream of that name exists; " + existing + ". Correct '" + SourceSettings.INDEX
                + "' (a name must exist; a pattern with * may match nothing yet)");
    }

    /**
     * The names of the indices, aliases and data streams the user may see, for suggestions only: empty when the
     * cluster will not tell, which must not hide the error being reported.
     */
    private List<String> existingNames() {
        try {
            ResolveIndexResponse resolved = client.indices().resolveIndex(r -> r.name("*"));
            List<String> names = new ArrayList<>();
            resolved.indices().forEach(index -> names.add(index.name()));
            resolved.aliases().forEach(alias -> names.add(alias.name()));
            resolved.dataStreams().forEach(stream -> names.add(stream.name()));
            return names;
        } catch (Exception e) {
            LOG.debug("{}: could not list the indices for suggestions", name, e);
            return List.of();
        }
    }

    // ---- fields that no document holds

    /**
     * Fails when the window had documents but none held one of {@link SourceSettings#heldFields()}: a wrong field
     * name would otherwise count every record under a placeholder such as {@code (no message)}. Checked on what the
     * read handed over rather than with {@code exists} queries beforehand, because the read shows what
     * {@code _source} holds, and a field can be there without being indexed (a mapping with {@code dynamic: false});
     * only the fields an aggregation bucket does not tell are counted by the store, in the aggregated window's
     * statistics search.
     */
    private void requireFieldsHeld(IndexLayout layout, TimeWindow window, Documents.Presence presence) {
        List<String> missing = presence.heldByNone();
        if (missing.isEmpty()) {
            return;
        }
        List<String> named = missing.stream().map(key -> "'" + key + "' is '" + presence.field(key) + "'").toList();
        List<String> fixes = missing.stream().map(key -> key + " to the field holding " + role(key)).toList();
        List<String> candidates = candidateFields(layout);
        String mapped = candidates.isEmpty() ? "their indices map no other text or keyword field"
                : "text and keyword fields their indices map: " + describeFields(candidates);
        throw new LogSourceException(name, String.join(" and ", named) + ", but none of the "
                + presence.documents() + " documents of the window " + window + " in "
                + IndexLayout.describeIndices(layout.indices()) + " holds " + (missing.size() == 1 ? "it" : "them")
                + "; " + mapped + ". Set " + String.join(", ", fixes));
    }

    private static String role(String key) {
        return switch (key) {
            case SourceSettings.FIELD_MESSAGE -> "the log message";
            case SourceSettings.FIELD_PROJECT -> "the project (application) name";
            case SourceSettings.FIELD_LEVEL -> "the log level";
            case SourceSettings.FIELD_THREAD -> "the thread name";
            case SourceSettings.FIELD_LOGGER -> "the logger name";
            default -> "its value";
        };
    }

    /**
     * The text and keyword fields the window's indices map, except those configured already and the
     * {@code .keyword} sub-fields of text fields: where the field a user meant probably is. Empty when the cluster
     * will not tell, which must not hide the error being reported.
     */
    private List<String> candidateFields(IndexLayout layout) {
        FieldCapsResponse caps;
        try {
            caps = client.fieldCaps(f -> f.index(layout.indices()).fields("*")
                    .types("text", "match_only_text", "keyword", "constant_keyword", "wildcard")
                    .ignoreUnavailable(true).allowNoIndices(true));
        } catch (Exception e) {
            LOG.debug("{}: could not list the mapped fields for a message", name, e);
            return List.of();
        }
        Set<String> names = new TreeSet<>(caps.fields().keySet());
        List<String> configured = settings.fields().all();
        return names.stream()
                .filter(field -> !field.startsWith("_") && !configured.contains(field))
                .filter(field -> {
                    int dot = field.lastIndexOf('.');
                    return dot < 0 || !names.contains(field.substring(0, dot));
                })
                .toList();
    }

    /** Fields for a message, the first 20 of them when there are more. */
    private static String describeFields(List<String> fields) {
        int shown = 20;
        if (fields.size() <= shown) {
            return fields.toString();
        }
        return "[" + String.join(", ", fields.subList(0, shown)) + ", and " + (fields.size() - shown) + " more]";
    }

    // ---- one search on the read's point in time

    /** The read's point in time; its id may change with every answer. */
    private static final class PointInTime {
        /** Written by whichever slice answered last: every id a search returns names the same point in time. */
        private volatile String id;
        /** The shards the point in time holds, which bounds how many slices pay off. */
        private final int shards;

        PointInTime(String id, int shards) {
            this.id = id;
            this.shards = shards;
        }
    }

    /**
     * Runs one search on {@code pit}: no partial results accepted, and an answer missing shards is refused.
     *
     * @param operation what the search does, for messages ("read a page of documents")
     */
    private <T> SearchResponse<T> search(PointInTime pit, String operation, Class<T> documentType,
            Consumer<SearchRequest.Builder> body) {
        SearchRequest.Builder request = new SearchRequest.Builder()
                .pit(p -> p.id(pit.id).keepAlive(keepAlive))
                .allowPartialSearchResults(false);
        body.accept(request);
        SearchResponse<T> response;
        try {
            response = client.search(request.build(), documentType);
        } catch (Exception e) {
            throw failures.of(operation, e);
        }
        failures.requireComplete(operation, response.shards(), response.timedOut());
        if (response.pitId() != null) {
            pit.id = response.pitId();
        }
        return response;
    }

    // ---- auto: what the window holds

    /**
     * What a window holds, from one size-0 search.
     *
     * @param documents       the matching documents
     * @param exactMessages   those whose message has a keyword value
     * @param multiValued     whether some document has several messages or projects, which a composite
     *                        aggregation would count once per value
     * @param noExactMessage  why messages cannot be grouped in the store at all, or empty
     * @param holding         per key of {@link SourceSettings#heldFields()} that a bucket's key does not tell (an
     *                        explicit level, thread or logger field), the documents holding its field
     */
    record WindowStats(long documents, long exactMessages, boolean multiValued,
            Optional<String> noExactMessage, Map<String, Long> holding) {

        boolean exactlyGroupable() {
            return noExactMessage.isEmpty() && !multiValued;
        }

        String whyNotGroupable() {
            return noExactMessage.orElse("some documents hold several messages or projects");
        }
    }

    /**
     * The window's statistics, exact: whether it can be aggregated at all, and whether some document holds each
     * explicitly configured field that aggregation buckets do not tell, which the same search counts rather than one
     * search per field after the read.
     */
    private WindowStats stats(PointInTime pit, IndexLayout layout, Query query) {
        Optional<String> exactMessage = layout.message().exact();
        Optional<String> exactProject = layout.project().exact();
        Optional<String> problem = Optional.empty();
        if (exactMessage.isEmpty()) {
            problem = Optional.of("the message field '" + layout.message().name() + "' has no keyword value to "
                    + "group on");
        } else if (layout.project().mapped() && exactProject.isEmpty()) {
            problem = Optional.of("the project field '" + layout.project().name() + "' has no keyword value to "
                    + "group on");
        }
        List<String> unkeyed = settings.heldFields().keySet().stream().filter(key -> !KEYED_FIELDS.contains(key))
                .toList();
        SearchResponse<Void> response = search(pit, "count the documents of the window", Void.class, request -> {
            request.size(0).query(query).trackTotalHits(t -> t.enabled(true));
            exactMessage.ifPresent(field -> request.aggregations("messages", a -> a
                    .filter(f -> f.exists(e -> e.field(field)))
                    .aggregations("values", c -> c.valueCount(vc -> vc.field(field)))));
            exactProject.ifPresent(field -> request.aggregations("projects", a -> a
                    .filter(f -> f.exists(e -> e.field(field)))
                    .aggregations("values", c -> c.valueCount(vc -> vc.field(field)))));
            for (int i = 0; i < unkeyed.size(); i++) {
                String field = settings.heldFields().get(unkeyed.get(i));
                request.aggregations("holding" + i, a -> a.filter(f -> f.exists(e -> e.field(field))));
            }
        });
        long documents = response.hits().total() == null ? 0 : response.hits().total().value();
        long exactMessages = 0;
        boolean multiValued = false;
        Aggregate messages = response.aggregations().get("messages");
        if (messages != null) {
            FilterAggregate filter = messages.filter();
            exactMessages = filter.docCount();
            multiValued = filter.aggregations().get("values").valueCount().value() > exactMessages;
        }
        Aggregate projects = response.aggregations().get("projects");
        if (projects != null) {
            FilterAggregate filter = projects.filter();
            multiValued |= filter.aggregations().get("values").valueCount().value() > filter.docCount();
        }
        Map<String, Long> holding = new LinkedHashMap<>();
        for (int i = 0; i < unkeyed.size(); i++) {
            holding.put(unkeyed.get(i), response.aggregations().get("holding" + i).filter().docCount());
        }
        return new WindowStats(documents, exactMessages, multiValued, problem, Map.copyOf(holding));
    }

    // ---- auto: how often messages repeat, from a sample

    /** Documents a probe hashes at most: the cost of a probe stays that of a few thousand documents' doc values. */
    static final int PROBE_SAMPLE = 5_000;
    /**
     * The messages a probe's answer lists at most: every one of a sample, which exceeds {@value #PROBE_SAMPLE}
     * documents by a few percent at most, and of a window read whole (fewer than twice that many documents).
     */
    private static final int PROBE_MESSAGES = 2 * PROBE_SAMPLE;
    /** The Elasticsearch release that brought {@code random_sampler}, which the probe needs. */
    private static final String PROBE_MINIMUM_VERSION = "8.2";

    /**
     * What auto found in a window: whether it may be aggregated at all, and how often its messages repeat, from a
     * random sample of its documents.
     *
     * @param documents     the matching documents
     * @param exactMessages those whose message has a keyword value
     * @param stackTraces   why the window's stack traces rule aggregation out, or empty: the {@code template} and
     *                      {@code fingerprint} aggregators key on the stack trace, which a bucket does not carry, so
     *                      a kind aggregated in one window and streamed in the next would change its key
     * @param probability   the share of the keyword messages sampled; 1 when all were
     * @param sampled       the keyword messages in the sample
     * @param distinct      the distinct messages in the sample
     * @param seenOnce      the sampled documents whose message no other sampled document has
     */
    record DistinctProbe(long documents, long exactMessages, Optional<String> stackTraces, double probability,
            long sampled, long distinct, long seenOnce) {

        /**
         * Whether to aggregate: the window holds at least {@code auto.min-documents} documents, none with a stack
         * trace, and at most {@code auto.max-distinct-percent} % of its messages are distinct. With every document
         * sampled the distinct share is exact. A smaller sample cannot tell a window whose messages each appear twice
         * from one whose messages appear once (both show nearly every sampled message once), nor weigh a few hot
         * messages against a tail of unique ones; what it bounds is this: the documents whose message it holds once
         * may all be distinct in the window, while the messages it holds several times are few. So the share of
         * sampled documents seen once stands for the distinct share: it counts an id-carrying tail whole however hot
         * the other messages are, and overstates windows whose messages repeat only a few times, which stream.
         */
        boolean worthAggregating(SourceSettings settings) {
            int percent = settings.autoMaxDistinctPercent();
            if (stackTraces.isPresent() || documents < settings.autoMinDocuments() || sampled == 0 || percent == 0) {
                return false;
            }
            long distinctShown = probability >= 1 ? distinct : seenOnce;
            return distinctShown * 100 <= (long) percent * sampled;
        }
    }

    /**
     * The auto decision's statistics, in at most two size-0 searches that never build global ordinals on the message
     * keyword, as the default {@code cardinality} did (53 s on ~950,000 distinct messages after a refresh, and memory
     * on every node until the next) and a default {@code terms} would. The first counts the documents, those with a keyword
     * message and those holding a stack trace. Only when that leaves aggregation possible does the second count how
     * often each message occurs among at most about {@value #PROBE_SAMPLE} documents that {@code random_sampler}
     * picks, with a {@code terms} aggregation that hashes the sampled values as it reads them
     * ({@code execution_hint: map}) and answers with the counts alone.
     */
    private DistinctProbe probe(PointInTime pit, IndexLayout layout, Query query) {
        Optional<String> exactMessage = layout.message().exact();
        String stackTrace = settings.fields().stackTrace();
        // an exists query does not find a field that is mapped but not indexed: there it cannot be asked
        boolean tracesCountable = layout.stackTraceUnindexed().isEmpty();
        SearchResponse<Void> counted = search(pit, "count the documents of the window", Void.class, request -> {
            request.size(0).query(query).trackTotalHits(t -> t.enabled(true));
            exactMessage.ifPresent(field -> request.aggregations("messages", a -> a
                    .filter(f -> f.exists(e -> e.field(field)))));
            if (tracesCountable) {
                request.aggregations("traces", a -> a.filter(f -> f.exists(e -> e.field(stackTrace))));
            }
        });
        long documents = counted.hits().total() == null ? 0 : counted.hits().total().value();
        Aggregate messages = counted.aggregations().get("messages");
        long exactMessages = messages == null ? 0 : messages.filter().docCount();
        Optional<String> stackTraces;
        if (!tracesCountable) {
            stackTraces = Optional.of("the stack-trace field '" + stackTrace + "' is not indexed in "
                    + IndexLayout.describeIndices(layout.stackTraceUnindexed()) + ", so whether a document holds one "
                    + "cannot be counted");
        } else {
            long traced = counted.aggregations().get("traces").filter().docCount();
            stackTraces = traced == 0 ? Optional.empty()
                    : Optional.of(traced + " documents hold a stack trace in '" + stackTrace + "'");
        }
        if (stackTraces.isPresent() || exactMessage.isEmpty() || exactMessages == 0
                || documents < settings.autoMinDocuments()) {
            return new DistinctProbe(documents, exactMessages, stackTraces, 1, 0, 0, 0);
        }
        // random_sampler takes a probability up to 0.5, or 1 for every document
        double wanted = (double) PROBE_SAMPLE / exactMessages;
        double probability = wanted > 0.5 ? 1 : wanted;
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", false);
        body.set("query", queryJson(query));
        ObjectNode counts = JSON.createObjectNode();
        counts.putObject("terms").put("field", exactMessage.get()).put("size", PROBE_MESSAGES)
                .put("execution_hint", "map");
        ObjectNode aggregations = body.putObject("aggs");
        String path = "aggregations.";
        if (probability < 1) {
            // a fixed seed: the same window gets the same decision when read again
            ObjectNode sample = aggregations.putObject("sample");
            sample.putObject("random_sampler").put("probability", probability).put("seed", 42);
            sample.putObject("aggs").set("messages", counts);
            path += "sample.";
        } else {
            aggregations.set("messages", counts);
        }
        path += "messages.";
        JsonNode answer;
        try {
            // the counts without the keys, which would make the answer as large as the sampled messages
            answer = searchJson(pit, "sample the messages of the window", body,
                    path + "buckets.doc_count," + path + "sum_other_doc_count");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogSourceException(name, "interrupted while reading a window", e);
        } catch (LogSourceException e) {
            if (Failures.status(e) == 400) {
                // the count before it ran the same query: what the node refuses is the sample's aggregations
                throw new LogSourceException(name, "'" + SourceSettings.MODE + "' is auto, whose probe needs "
                        + "Elasticsearch " + PROBE_MINIMUM_VERSION + " or later (random_sampler), and Elasticsearch at "
                        + settings.hostList() + " refused it (HTTP 400)" + Failures.reason(e) + ". Set '"
                        + SourceSettings.MODE + "' to stream (or aggregate) for an older cluster", e);
            }
            throw e;
        }
        JsonNode terms = answer.path("aggregations");
        if (probability < 1) {
            terms = terms.path("sample");
        }
        terms = terms.path("messages");
        long sampled = 0;
        long distinct = 0;
        long seenOnce = 0;
        for (JsonNode bucket : terms.path("buckets")) {
            // a bucket holds one sampled document at least, however its count was scaled
            long count = Math.max(1, unscaled(bucket.path("doc_count").asLong(), probability));
            sampled += count;
            distinct++;
            if (count == 1) {
                seenOnce++;
            }
        }
        // messages beyond the listed ones, if the sample was unusually large: taken as seen once, the cautious side
        long beyond = unscaled(terms.path("sum_other_doc_count").asLong(), probability);
        return new DistinctProbe(documents, exactMessages, stackTraces, probability, sampled + beyond,
                distinct + beyond, seenOnce + beyond);
    }

    /**
     * The sampled documents behind a count that {@code random_sampler} scaled up to the whole window (by
     * {@code 1 / probability}, checked by {@code AutoProbeIT}).
     */
    private static long unscaled(long count, double probability) {
        return Math.round(count * probability);
    }

    // ---- stream: sliced search_after on the point in time

    /** A streamed document: its {@code _source} for the presence check, and its event. */
    private record Streamed(JsonNode source, LogEvent event) {
    }

    /**
     * Hands every document of {@code query} to {@code consumer}, reading the point in time in slices, as many as its
     * shards up to {@code max-slices}, fetched in parallel; the consumer is called on this thread only, and takes
     * the slices' pages in round robin, so unchanged segments read twice come in the same order. Documents come
     * sorted by {@code _shard_doc} within a slice (the cheapest order to resume), not by time, so the timestamp comes
     * from the field's doc values rather than from a sort value.
     */
    private void stream(PointInTime pit, IndexLayout layout, Query query, Consumer<LogEvent> consumer,
            Documents.Presence presence) {
        int slices = Math.max(1, Math.min(settings.maxSlices(), pit.shards));
        ObjectNode template = streamRequest(query);
        String operation = "read a page of documents";
        SlicedScan<Streamed> scan = new SlicedScan<>("logalert-" + name + "-slice", slices,
                settings.requestTimeout(), e -> new LogSourceException(name, "interrupted while reading a window", e));
        scan.run((slice, of, after) -> streamPage(pit, template, slice, of, after, operation),
                streamed -> {
                    presence.document(streamed.source());
                    consumer.accept(streamed.event());
                });
    }

    /**
     * The body every page request shares: the window's query, sorted by {@code _shard_doc} only, with the fields
     * the events are made of and nothing else.
     */
    private ObjectNode streamRequest(Query query) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", settings.pageSize());
        body.put("track_total_hits", false);
        body.set("query", queryJson(query));
        body.putArray("sort").addObject().put("_shard_doc", "asc");
        // the text fields come from _source, the one place that keeps them as written: doc values are sorted and
        // deduplicated, miss values beyond ignore_above and go through normalizers, and the stored _source block
        // is read for the message in any case
        body.putObject("_source").set("includes", JSON.valueToTree(sourceFields()));
        // the timestamp as the store indexed it, nanoseconds kept for date_nanos and read the same way for date
        body.putArray("docvalue_fields").addObject().put("field", settings.fields().timestamp())
                .put("format", "strict_date_optional_time_nanos");
        return body;
    }

    private JsonNode queryJson(Query query) {
        try {
            return JSON.readTree(JsonpUtils.toJsonString(query, mapper));
        } catch (IOException e) {
            throw new IllegalStateException("the window's query does not serialize: " + e, e);
        }
    }

    private SlicedScan.Page<Streamed> streamPage(PointInTime pit, ObjectNode template, int slice, int slices,
            Optional<Object> after, String operation) throws InterruptedException {
        ObjectNode body = template.deepCopy();
        if (slices > 1) {
            body.putObject("slice").put("id", slice).put("max", slices);
        }
        after.ifPresent(value -> body.set("search_after", (JsonNode) value));
        // only what is read: no _index, _score or totals in every hit of every page
        JsonNode answer = searchJson(pit, operation, body, "hits.hits._id,hits.hits._source,hits.hits.fields,"
                + "hits.hits.sort");
        JsonNode hits = answer.path("hits").path("hits");
        List<Streamed> page = new ArrayList<>(hits.size());
        String timestampField = settings.fields().timestamp();
        for (JsonNode hit : hits) {
            JsonNode document = hit.path("_source");
            if (!document.isObject()) {
                document = JsonNodeFactory.instance.objectNode();
            }
            JsonNode timestamp = hit.path("fields").path(timestampField).path(0);
            if (!timestamp.isTextual()) {
                // the range query matched the document on this field, so it has a value: never guess one
                throw new LogSourceException(name, "Elasticsearch at " + settings.hostList() + " answered a document"
                        + " of the window without a value of '" + timestampField + "' (id " + hit.path("_id").asText()
                        + "); could not " + operation);
            }
            page.add(new Streamed(document, Documents.event(document, settings.fields())
                    .id(hit.path("_id").asText("")).timestamp(Instant.parse(timestamp.asText())).build()));
        }
        Optional<Object> next = hits.size() < settings.pageSize() ? Optional.empty()
                : Optional.of(hits.get(hits.size() - 1).path("sort"));
        return new SlicedScan.Page<>(page, next);
    }

    /**
     * Runs one search on {@code pit} through the low-level client, as {@link #search} does (no partial results, an
     * answer missing shards refused), with {@code body} as JSON and the answer trimmed to {@code filterPath}: for
     * requests that are sent many times, or that the typed client cannot read.
     */
    private JsonNode searchJson(PointInTime pit, String operation, ObjectNode body, String filterPath)
            throws InterruptedException {
        body.putObject("pit").put("id", pit.id).put("keep_alive", keepAlive.time());
        Request request = new Request("POST", "/_search");
        request.addParameter("allow_partial_search_results", "false");
        request.addParameter("filter_path", "pit_id,timed_out,_shards," + filterPath);
        request.setJsonEntity(body.toString());
        JsonNode answer;
        try {
            Response response = perform(request);
            try (var content = response.getEntity().getContent()) {
                answer = JSON.readTree(content);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failures.of(operation, e);
        }
        JsonNode shards = answer.path("_shards");
        if (shards.path("failed").asLong(0) > 0 || answer.path("timed_out").asBoolean(false)) {
            failures.requireComplete(operation, JsonData.of(shards).to(ShardStatistics.class, mapper),
                    answer.path("timed_out").asBoolean(false));
        }
        if (answer.hasNonNull("pit_id")) {
            pit.id = answer.get("pit_id").asText();
        }
        return answer;
    }

    /**
     * Sends {@code request} and waits for its answer, at most about one {@code request-timeout}. An interrupt (the
     * scan failed elsewhere) does not abort the request: the search would go on holding the point in time's readers
     * on the node after the close, so the page is let finish, dropped, and the interrupt reported.
     */
    private Response perform(Request request) throws Exception {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        restClient.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                answer.complete(response);
            }

            @Override
            public void onFailure(Exception exception) {
                answer.completeExceptionally(exception);
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                Response response = answer.get();
                if (interrupted) {
                    throw new InterruptedException("interrupted while a page was fetched; the page is dropped");
                }
                return response;
            } catch (InterruptedException e) {
                if (interrupted || answer.isDone()) {
                    throw e;
                }
                interrupted = true;
            } catch (ExecutionException e) {
                if (interrupted) {
                    throw new InterruptedException("interrupted while a page was fetched; the page is dropped");
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private PointInTime openPointInTime(IndexLayout layout) {
        String operation = "open a point in time on " + IndexLayout.describeIndices(layout.indices());
        OpenPointInTimeResponse response;
        try {
            response = client.openPointInTime(o -> o.index(layout.indices()).keepAlive(keepAlive)
                    .ignoreUnavailable(true).allowPartialSearchResults(false));
        } catch (Exception e) {
            throw failures.of(operation, e);
        }
        PointInTime pit = new PointInTime(response.id(),
                response.shards() == null || response.shards().total() == null ? 1 : response.shards().total().intValue());
        try {
            failures.requireComplete(operation, response.shards(), false);
        } catch (RuntimeException e) {
            closePointInTime(pit.id, e);
            throw e;
        }
        return pit;
    }

    private void closePointInTime(String pit, Throwable failure) {
        try {
            client.closePointInTime(c -> c.id(pit));
        } catch (Exception e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                // the window was read completely; the point in time expires by itself after its keep-alive
                LOG.warn("{}: could not close a point in time, it expires after {}", name, keepAlive.time(), e);
            }
        }
    }

    private List<String> sourceFields() {
        SourceSettings.Fields f = settings.fields();
        return List.of(f.level(), f.project(), f.thread(), f.message(), f.logger(), f.stackTrace());
    }

    // ---- aggregate: composite aggregation on project + message

    private void aggregate(PointInTime pit, IndexLayout layout, Query query, WindowStats stats,
            Consumer<LogEvent> consumer, Documents.Presence presence) {
        stats.holding().forEach(presence::counted);
        String exactMessage = layout.message().exact().orElseThrow();
        Query grouped = Queries.withExactMessage(query, exactMessage);
        List<Map<String, CompositeAggregationSource>> sources = new ArrayList<>();
        layout.project().exact().ifPresent(field -> sources.add(Map.of(PROJECT_KEY,
                CompositeAggregationSource.of(s -> s.terms(t -> t.field(field).missingBucket(true))))));
        sources.add(Map.of(MESSAGE_KEY, CompositeAggregationSource.of(s -> s.terms(t -> t.field(exactMessage)))));
        String timestamp = settings.fields().timestamp();
        // first and last seen stay per bucket: an aggregator merges buckets into groups (one group may hold thousands
        // of distinct messages), and only min/max over every bucket gives a group's true first and last seen, which
        // a later lookup of its one sample bucket could not. A sample document per bucket is not needed: top_hits
        // loads and parses a _source for every bucket, so the samples digests show are loaded afterwards, in one
        // request, by details()
        Map<String, Aggregation> perBucket = new LinkedHashMap<>();
        perBucket.put("first", Aggregation.of(a -> a.min(m -> m.field(timestamp).format(Queries.BOUND_FORMAT))));
        perBucket.put("last", Aggregation.of(a -> a.max(m -> m.field(timestamp).format(Queries.BOUND_FORMAT))));

        Map<String, FieldValue> after = null;
        while (true) {
            Map<String, FieldValue> afterKey = after;
            SearchResponse<Void> page = search(pit, "aggregate the documents of the window", Void.class, s -> s
                    .size(0).query(grouped).trackTotalHits(t -> t.enabled(false))
                    .aggregations("groups", a -> a.composite(c -> {
                        c.size(settings.pageSize()).sources(sources);
                        if (afterKey != null) {
                            c.after(afterKey);
                        }
                        return c;
                    }).aggregations(perBucket)));
            CompositeAggregate groups = page.aggregations().get("groups").composite();
            List<CompositeBucket> buckets = groups.buckets().array();
            for (CompositeBucket bucket : buckets) {
                consumer.accept(bucketEvent(bucket, presence));
            }
            if (buckets.size() < settings.pageSize() || groups.afterKey() == null || groups.afterKey().isEmpty()) {
                break;
            }
            after = groups.afterKey();
        }
        // documents whose message has no keyword value (too long for ignore_above, text only, or missing)
        // fall outside every bucket: read them one by one so that they still count
        if (stats.documents() > stats.exactMessages()) {
            stream(pit, layout, Queries.withoutExactMessage(query, exactMessage), consumer, presence);
        }
    }

    /**
     * The pre-counted event of one bucket, its details (thread, logger, stack trace, and the level when several are
     * read) pending: the pipeline asks {@link #details(List)} for those of the groups its digests show.
     */
    private LogEvent bucketEvent(CompositeBucket bucket, Documents.Presence presence) {
        Map<String, Aggregate> aggs = bucket.aggregations();
        FieldValue project = bucket.key().get(PROJECT_KEY);
        // every document of the bucket has the message of its key, and the project of its key or none; the store
        // counted the other fields in the window's statistics
        presence.bucket(bucket.docCount(), Map.of(SourceSettings.FIELD_MESSAGE, true,
                SourceSettings.FIELD_PROJECT, project != null && !project.isNull()));
        return LogEvent.builder()
                .project(keyText(project).orElse(LogEvent.NO_PROJECT))
                .level(bucketLevel())
                .message(keyText(bucket.key().get(MESSAGE_KEY)).orElse(Documents.NO_MESSAGE))
                .timestamp(Instant.parse(aggs.get("first").min().valueAsString()))
                .lastTimestamp(Instant.parse(aggs.get("last").max().valueAsString()))
                .occurrences(bucket.docCount())
                .detailsPending(true)
                .build();
    }

    /**
     * The level of every document of a bucket when the window's query admits one level (the default, {@code ERROR},
     * as configured: the match ignores case); otherwise a placeholder until the sample's level comes with its details.
     */
    private String bucketLevel() {
        return settings.levels().size() == 1 && !settings.anyLevel() ? settings.levels().get(0) : Documents.NO_LEVEL;
    }

    // ---- details of the samples digests show

    /**
     * The thread, logger, stack trace and level of the newest document of each request's window, project and message,
     * for the events {@code aggregate} handed over with their details pending: one search per window (the pipeline
     * asks for one), whose query keeps only the requested messages and whose composite aggregation on project and
     * message carries a {@code top_hits(1)} per bucket, so that the samples cost about what the requested buckets
     * would have cost in the read, not a search each. When every request knows when its newest record was logged,
     * the query keeps only records logged at those instants: about one per kind rather than all of the busiest kinds,
     * which digests show and which hold most of the window. An instant is matched as the millisecond it falls in:
     * {@code max} on a {@code date_nanos} field answers in milliseconds, and the newest record of that millisecond is
     * the one kept. The field capabilities of the window are the read's when it is the window just read.
     *
     * @throws io.logalert.spi.SourceUnavailableException when the node is unreachable or a shard failed
     * @throws LogSourceException                         when it refuses the search
     */
    @Override
    public synchronized Map<SampleRequest, SampleDetails> details(List<SampleRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        Map<TimeWindow, Set<SampleRequest>> byWindow = new LinkedHashMap<>();
        requests.forEach(r -> byWindow.computeIfAbsent(r.window(), w -> new LinkedHashSet<>()).add(r));
        Map<SampleRequest, SampleDetails> details = new HashMap<>();
        byWindow.forEach((window, wanted) -> samples(window, wanted, details));
        return details;
    }

    private void samples(TimeWindow window, Set<SampleRequest> wanted, Map<SampleRequest, SampleDetails> into) {
        IndexLayout layout = window.equals(lastReadWindow) && lastReadLayout != null ? lastReadLayout : layout(window);
        Optional<String> exactMessage = layout.message().exact();
        if (layout.indices().isEmpty() || exactMessage.isEmpty()) {
            return;
        }
        List<FieldValue> messages = wanted.stream().map(SampleRequest::message).distinct().map(FieldValue::of)
                .toList();
        Map<String, SampleRequest> byKey = new HashMap<>();
        wanted.forEach(r -> byKey.put(r.project() + '\u0000' + r.message(), r));
        List<Instant> newest = wanted.stream().allMatch(r -> r.newest().isPresent())
                ? wanted.stream().map(r -> r.newest().get()).distinct().toList() : List.of();
        String timestamp = settings.fields().timestamp();
        Query query = Query.of(q -> q.bool(b -> {
            b.filter(Queries.window(settings, layout, window))
                    .filter(f -> f.terms(t -> t.field(exactMessage.get()).terms(v -> v.value(messages))));
            // bounded below the default limit of clauses in a query; beyond it, every record of the kinds is looked at
            if (!newest.isEmpty() && newest.size() <= MAX_INSTANTS) {
                b.filter(f -> f.bool(o -> {
                    newest.forEach(at -> o.should(m -> m.range(r -> r.date(d -> d.field(timestamp)
                            .gte(at.toString()).lt(at.plusMillis(1).toString()).format(Queries.BOUND_FORMAT)))));
                    return o.minimumShouldMatch("1");
                }));
            }
            return b;
        }));
        List<Map<String, CompositeAggregationSource>> sources = new ArrayList<>();
        layout.project().exact().ifPresent(field -> sources.add(Map.of(PROJECT_KEY,
                CompositeAggregationSource.of(s -> s.terms(t -> t.field(field).missingBucket(true))))));
        sources.add(Map.of(MESSAGE_KEY, CompositeAggregationSource.of(s -> s.terms(t -> t.field(exactMessage.get())))));
        SourceSettings.Fields fields = settings.fields();
        // the project and message are the bucket's key
        List<String> detailFields = List.of(fields.thread(), fields.logger(), fields.stackTrace(), fields.level());
        Aggregation sample = Aggregation.of(a -> a.topHits(t -> t.size(1)
                .source(s -> s.filter(f -> f.includes(detailFields)))
                .sort(s -> s.field(f -> f.field(timestamp).order(SortOrder.Desc)
                        .unmappedType(FieldType.Date)))));
        // the requested messages may also occur in projects not asked for: room for those in the same answer
        int size = Math.min(10_000, Math.max(settings.pageSize(), 2 * wanted.size()));
        String operation = "load the sample documents of " + wanted.size() + " groups";
        Map<String, FieldValue> after = null;
        while (true) {
            Map<String, FieldValue> afterKey = after;
            SearchResponse<Void> response;
            try {
                response = client.search(s -> s.index(layout.indices()).ignoreUnavailable(true).allowNoIndices(true)
                        .allowPartialSearchResults(false).size(0).query(query).trackTotalHits(t -> t.enabled(false))
                        .aggregations("groups", a -> a.composite(c -> {
                            c.size(size).sources(sources);
                            if (afterKey != null) {
                                c.after(afterKey);
                            }
                            return c;
                        }).aggregations("sample", sample)), Void.class);
            } catch (Exception e) {
                throw failures.of(operation, e);
            }
            failures.requireComplete(operation, response.shards(), response.timedOut());
            CompositeAggregate groups = response.aggregations().get("groups").composite();
            List<CompositeBucket> buckets = groups.buckets().array();
            for (CompositeBucket bucket : buckets) {
                SampleRequest request = byKey.get(keyText(bucket.key().get(PROJECT_KEY)).orElse(LogEvent.NO_PROJECT)
                        + '\u0000' + keyText(bucket.key().get(MESSAGE_KEY)).orElse(Documents.NO_MESSAGE));
                List<Hit<JsonData>> hits = bucket.aggregations().get("sample").topHits().hits().hits();
                if (request != null && !hits.isEmpty() && hits.get(0).source() != null) {
                    JsonNode document = hits.get(0).source().to(JsonNode.class, mapper);
                    into.putIfAbsent(request, new SampleDetails(Documents.text(document, fields.thread()).orElse(""),
                            Documents.text(document, fields.logger()).orElse(""),
                            Documents.text(document, fields.stackTrace()).orElse(""),
                            Documents.text(document, fields.level()).orElse("")));
                }
            }
            if (buckets.size() < size || groups.afterKey() == null || groups.afterKey().isEmpty()) {
                return;
            }
            after = groups.afterKey();
        }
    }

    /** A bucket key as text, empty when missing or blank, as {@link Documents#text} reads a document. */
    private static Optional<String> keyText(FieldValue value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        Object raw = value._get();
        String text = raw == null ? "" : Documents.wellFormed(raw.toString());
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }
}
