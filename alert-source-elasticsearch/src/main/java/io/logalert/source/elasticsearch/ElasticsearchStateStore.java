package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch.core.DeleteRequest;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexRequest;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.SharedBudgets;
import io.logalert.spi.StateCodec;
import io.logalert.spi.StateConflictException;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps pipeline state in an Elasticsearch index, one document per pipeline ({@code _id} = the pipeline id), so that
 * state survives restarts and can be shared by several instances of an application. Type {@value #TYPE}.
 *
 * <pre>{@code
 * StateStore store = ElasticsearchStateStore.create(PluginConfig.of(Map.of(
 *         "hosts", "https://es.example.com:9200",
 *         "username", "logalert", "password", secret)));
 * }</pre>
 *
 * <p>Keys: {@code hosts}, {@code username}/{@code password} or {@code api-key}, {@code ca-certificate}/
 * {@code ca-fingerprint}/{@code verify-tls} and {@code request-timeout}, as the Elasticsearch source reads them, and
 * {@code index} (default {@value #DEFAULT_INDEX}). The index is created on first use with a strict mapping; the
 * state itself is stored, not indexed. The user needs the {@code read}, {@code write} and {@code create_index} (or
 * {@code manage}) privileges on it.
 *
 * <p>Every write is conditional, so that two writers never overwrite each other: a save replaces the document only
 * if it is still the one this store last loaded or saved ({@code if_seq_no}/{@code if_primary_term}), and creates it
 * ({@code op_type=create}) when this store saw none; otherwise it throws a {@link StateConflictException}. Reads are
 * realtime GETs, so writes need no refresh.
 *
 * <p>Failures (an unreachable node, refused credentials, a document that is not a state) are
 * {@link StateStoreException}s naming the hosts and the index, never a secret. Thread-safe: operations on different
 * pipelines run in parallel, operations on one pipeline one at a time.
 */
public final class ElasticsearchStateStore implements StateStore {

    /** The type users configure this store by. */
    public static final String TYPE = "elasticsearch";

    /** The index the state is kept in unless {@code index} says otherwise. */
    public static final String DEFAULT_INDEX = ".logalert-state";

    static final String INDEX = "index";

    /** The subject of configuration errors. */
    static final String SUBJECT = "elasticsearch state store";

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchStateStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FORBIDDEN_INDEX_CHARACTERS = Pattern.compile("[\\\\/*?\"<>|,#:\\s]");
    private static final int CONFLICT = 409;

    private final String index;
    private final String hosts;
    private final String principal;
    private final String name;
    private final Duration requestTimeout;
    private final Clock clock;
    private final RestClient restClient;
    private final ElasticsearchClient client;
    /** What this store last saw of each pipeline's document; one lock per pipeline. */
    private final ConcurrentMap<String, Seen> seen = new ConcurrentHashMap<>();
    private final Object indexLock = new Object();
    /** Conditional writes tried per slot before a busy budget is reported as full for a moment. */
    private static final int MAX_BUDGET_ATTEMPTS = 8;
    private static final int SERVICE_UNAVAILABLE = 503;
    /** Reads of a document while its new index's shard starts, and the pause between them. */
    private static final int MAX_STARTING_READS = 20;
    private static final Duration STARTING_SHARD_PAUSE = Duration.ofMillis(100);

    private volatile boolean indexReady;

    ElasticsearchStateStore(ConnectionSettings connection, Duration requestTimeout, String index, Clock clock) {
        this.index = index;
        this.hosts = connection.hostList();
        this.principal = connection.principal();
        this.name = TYPE + "[" + hosts + "/" + index + "]";
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.restClient = connection.restClient(requestTimeout, SUBJECT);
        this.client = new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper(JSON)));
        connection.insecureWarning().ifPresent(warning -> LOG.warn("{}: {}", name, warning));
    }

    /**
     * Creates a store from {@code config}. Connects lazily: the first load, save or reset reaches the node.
     *
     * @throws ConfigException listing every problem of {@code config}
     */
    public static ElasticsearchStateStore create(PluginConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** A store that stamps documents with {@code clock}'s time. */
    static ElasticsearchStateStore create(PluginConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        ConfigValidator v = config.validator(SUBJECT);
        ConnectionSettings connection = ConnectionSettings.read(v);
        String index = v.string(INDEX, DEFAULT_INDEX);
        indexNameProblem(index).ifPresent(v::problem);
        Duration requestTimeout = ConnectionSettings.requestTimeout(v);
        v.validate();
        return new ElasticsearchStateStore(connection, requestTimeout, index, clock);
    }

    /**
     * The state saved for {@code pipelineId}, read with a realtime GET; remembers the document's version so that the
     * next save can be conditional on it.
     *
     * @throws StateStoreException naming the index and the id when the document is not a state, or the node cannot
     *                             be reached or refuses the request
     */
    @Override
    public Optional<PipelineState> load(String pipelineId) {
        Objects.requireNonNull(pipelineId, "pipelineId");
        ensureIndex();
        Seen entry = entry(pipelineId);
        synchronized (entry) {
            GetResponse<JsonNode> response;
            try {
                response = get(pipelineId);
            } catch (Exception e) {
                if (isIndexMissing(e)) {
                    // deleted behind this store's back: nothing saved, and the next write recreates it
                    indexReady = false;
                    entry.forget();
                    return Optional.empty();
                }
                throw failure("load the state of pipeline '" + pipelineId + "'", e);
            }
            if (!response.found()) {
                entry.forget();
                return Optional.empty();
            }
            // remembered before decoding: a reset then deletes exactly the document that could not be read
            entry.remember(response.seqNo(), response.primaryTerm());
            String origin = index + "/" + pipelineId;
            JsonNode document = response.source();
            PipelineState state;
            try {
                state = StateCodec.fromTree(document == null ? null : document.get("state"), origin);
            } catch (StateStoreException e) {
                throw new StateStoreException(name + ": " + e.getMessage(), e);
            }
            if (!state.pipelineId().equals(pipelineId)) {
                throw new StateStoreException(name + ": the document " + origin + " holds the state of pipeline '"
                        + state.pipelineId() + "', not of '" + pipelineId + "'; fix or delete it, or reset the "
                        + "pipeline to start over");
            }
            return Optional.of(state);
        }
    }

    /**
     * Writes {@code state} as the document of its pipeline, conditionally: it replaces the document this store last
     * loaded or saved, or creates one when this store saw none.
     *
     * @throws StateConflictException when another writer saved this pipeline's state since this store loaded or
     *                                saved it (or, when this store saw none, saved one first)
     * @throws StateStoreException    when the node cannot be reached or refuses the write
     */
    @Override
    public void save(PipelineState state) {
        Objects.requireNonNull(state, "state");
        String pipelineId = state.pipelineId();
        ensureIndex();
        ObjectNode document = JSON.createObjectNode();
        document.put("pipeline", pipelineId);
        document.put("version", StateCodec.VERSION);
        document.put("saved_at", clock.instant().toString());
        document.set("state", StateCodec.toTree(state));
        Seen entry = entry(pipelineId);
        synchronized (entry) {
            boolean sawDocument = entry.sawDocument();
            IndexRequest.Builder<JsonNode> request = new IndexRequest.Builder<JsonNode>().index(index)
                    .id(pipelineId).document(document).refresh(Refresh.False);
            if (sawDocument) {
                request.ifSeqNo(entry.seqNo).ifPrimaryTerm(entry.primaryTerm);
            } else {
                request.opType(OpType.Create);
            }
            IndexResponse response;
            try {
                response = client.index(request.build());
            } catch (Exception e) {
                if (Failures.status(e) == CONFLICT) {
                    throw new StateConflictException(name + ": another writer saved the state of pipeline '"
                            + pipelineId + "' since this one loaded it" + (sawDocument ? ""
                            : " (this store saw no state of it, and now there is one)")
                            + "; not overwriting it: the next load reads the newer state");
                }
                throw failure("save the state of pipeline '" + pipelineId + "'", e);
            }
            entry.remember(response.seqNo(), response.primaryTerm());
        }
    }

    /**
     * Deletes the document of {@code pipelineId}: conditionally when this store saw one, so that it never deletes a
     * state saved since; a pipeline with no document is reset already.
     *
     * @throws StateConflictException when another writer saved this pipeline's state since this store loaded it
     * @throws StateStoreException    when the node cannot be reached or refuses the delete
     */
    @Override
    public void reset(String pipelineId) {
        Objects.requireNonNull(pipelineId, "pipelineId");
        ensureIndex();
        Seen entry = entry(pipelineId);
        synchronized (entry) {
            boolean sawDocument = entry.sawDocument();
            DeleteRequest.Builder request = new DeleteRequest.Builder().index(index).id(pipelineId)
                    .refresh(Refresh.False);
            if (sawDocument) {
                request.ifSeqNo(entry.seqNo).ifPrimaryTerm(entry.primaryTerm);
            }
            try {
                // a missing document answers 404 with result not_found, which the client returns, not throws
                client.delete(request.build());
            } catch (Exception e) {
                if (Failures.status(e) == CONFLICT) {
                    throw new StateConflictException(name + ": another writer saved the state of pipeline '"
                            + pipelineId + "' since this one loaded it; not deleting it: load the state again, "
                            + "then reset");
                }
                if (!isIndexMissing(e)) {
                    throw failure("reset the state of pipeline '" + pipelineId + "'", e);
                }
                indexReady = false;
            }
            entry.forget();
        }
    }

    /**
     * Rate budgets in this index, shared by every process that uses it: one document per key (id {@code budget~key},
     * which no pipeline id can be) holding the send times of the last period, changed only by conditional writes.
     */
    @Override
    public Optional<SharedBudgets> budgets() {
        return Optional.of(this::take);
    }

    private Optional<Instant> take(String key, int limit, Duration per, Instant now) {
        ensureIndex();
        String id = "budget~" + key;
        for (int attempt = 0; attempt < MAX_BUDGET_ATTEMPTS; attempt++) {
            GetResponse<JsonNode> current;
            try {
                current = get(id);
            } catch (Exception e) {
                throw failure("read the shared budget '" + key + "'", e);
            }
            List<Long> sends = new ArrayList<>();
            long since = now.minus(per).toEpochMilli();
            if (current.found() && current.source() != null) {
                for (JsonNode send : current.source().path("state").path("sends")) {
                    if (send.asLong() > since) {
                        sends.add(send.asLong());
                    }
                }
            }
            Collections.sort(sends);
            if (sends.size() >= limit) {
                return Optional.of(Instant.ofEpochMilli(sends.get(sends.size() - limit)).plus(per));
            }
            sends.add(now.toEpochMilli());
            ObjectNode document = JSON.createObjectNode();
            document.put("pipeline", id);
            document.put("version", StateCodec.VERSION);
            document.put("saved_at", now.toString());
            sends.forEach(document.putObject("state").putArray("sends")::add);
            IndexRequest.Builder<JsonNode> request = new IndexRequest.Builder<JsonNode>().index(index).id(id)
                    .document(document).refresh(Refresh.False);
            if (current.found()) {
                request.ifSeqNo(current.seqNo()).ifPrimaryTerm(current.primaryTerm());
            } else {
                request.opType(OpType.Create);
            }
            try {
                client.index(request.build());
                return Optional.empty();
            } catch (Exception e) {
                if (Failures.status(e) != CONFLICT) {
                    throw failure("take a slot of the shared budget '" + key + "'", e);
                }
                // another process took a slot meanwhile: read again
            }
        }
        // so busy that every try lost the race: wait a moment rather than risk the limit
        return Optional.of(now.plusSeconds(1));
    }

    /** Several instances share it: its writes are conditional, so a pipeline on it runs under a lease. */
    @Override
    public boolean isShared() {
        return true;
    }

    /** {@code elasticsearch[<hosts>/<index>]}; never holds a credential. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
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

    /**
     * The document {@code id}, read in real time. A shard that another process's store has just created may still be
     * starting (HTTP 503, no shard available) for a moment after the index exists: read again, briefly, rather than
     * fail a run on it.
     */
    private GetResponse<JsonNode> get(String id) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.get(g -> g.index(index).id(id).realtime(true), JsonNode.class);
            } catch (IOException | RuntimeException e) {
                if (Failures.status(e) != SERVICE_UNAVAILABLE || attempt >= MAX_STARTING_READS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(STARTING_SHARD_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the index " + index + " was starting", e);
            }
        }
    }

    // ---- the index

    /**
     * Creates the index with its mapping unless it exists, once per store. A strict mapping, because the state is
     * stored, not searched: a dynamic mapping of it could fail on a later state whose values change type.
     */
    private void ensureIndex() {
        if (indexReady) {
            return;
        }
        synchronized (indexLock) {
            if (indexReady) {
                return;
            }
            try {
                if (!client.indices().exists(e -> e.index(index)).value()) {
                    createIndex();
                }
                // an index another instance created a moment ago may not have its primary yet: a read would be a 503
                client.cluster().health(h -> h.index(index).waitForStatus(HealthStatus.Yellow)
                        .timeout(t -> t.time("10s")));
            } catch (Exception e) {
                throw failure("create the index " + index, e);
            }
            indexReady = true;
        }
    }

    /** Creates the index; one that exists already, created by another writer meanwhile, is fine. */
    void createIndex() throws IOException {
        try {
            client.indices().create(c -> c.index(index)
                    .settings(s -> {
                        s.numberOfShards("1").autoExpandReplicas("0-1");
                        // a dot index that is not hidden draws a deprecation warning on every node since 8.0
                        return index.startsWith(".") ? s.hidden(true) : s;
                    })
                    .mappings(m -> m.dynamic(DynamicMapping.Strict)
                            .properties("pipeline", p -> p.keyword(k -> k))
                            .properties("version", p -> p.integer(i -> i))
                            .properties("saved_at", p -> p.date(d -> d))
                            .properties("state", p -> p.object(o -> o.enabled(false)))));
            LOG.info("{}: created the index {}", name, index);
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(Failures.error(e).map(ErrorCause::type).orElse(""))) {
                throw e;
            }
            // another writer created it meanwhile
        }
    }

    // ---- helpers

    private Seen entry(String pipelineId) {
        return seen.computeIfAbsent(pipelineId, id -> new Seen());
    }

    private StateStoreException failure(String operation, Exception e) {
        Optional<String> tls = Failures.tlsProblem(e, hosts);
        if (tls.isPresent()) {
            return new StateStoreException(name + ": " + tls.get() + "; could not " + operation);
        }
        int status = Failures.status(e);
        String where = "Elasticsearch at " + hosts;
        if (status == 401) {
            return new StateStoreException(name + ": " + where + " did not accept " + principal
                    + " (HTTP 401): check the credentials" + Failures.unsuccessfulCredentials(e));
        }
        if (status == 403) {
            return new StateStoreException(name + ": " + where + " forbids " + principal + " to " + operation
                    + " (HTTP 403): grant the read, write and create_index privileges on the index " + index
                    + Failures.reason(e));
        }
        if (status > 0) {
            return new StateStoreException(name + ": " + where + " refused to " + operation + " in the index "
                    + index + " (HTTP " + status + ")" + Failures.reason(e), e);
        }
        if (e instanceof IOException) {
            if (Failures.noAnswer(e)) {
                return new StateStoreException(name + ": " + where + " did not answer within the request timeout of "
                        + Failures.describe(requestTimeout) + " ('" + ConnectionSettings.REQUEST_TIMEOUT + "') to "
                        + operation + ": " + Failures.rootCauses(e), e);
            }
            return new StateStoreException(name + ": cannot reach " + where + " to " + operation + ": "
                    + Failures.rootCauses(e), e);
        }
        return new StateStoreException(name + ": failed to " + operation + ": " + Failures.rootCause(e), e);
    }

    private static boolean isIndexMissing(Exception e) {
        return Failures.missingIndex(e).isPresent();
    }

    /** Why {@code index} cannot name an index, after Elasticsearch's rules; empty when it can. */
    static Optional<String> indexNameProblem(String index) {
        String rule = null;
        if (!index.equals(index.toLowerCase(Locale.ROOT))) {
            rule = "must be lower case";
        } else if (index.equals(".") || index.equals("..")) {
            rule = "cannot be . or ..";
        } else if (index.startsWith("-") || index.startsWith("_") || index.startsWith("+")) {
            rule = "cannot start with -, _ or +";
        } else if (FORBIDDEN_INDEX_CHARACTERS.matcher(index).find()) {
            rule = "cannot hold blanks or any of \\ / * ? \" < > | , # :";
        } else if (index.getBytes(StandardCharsets.UTF_8).length > 255) {
            rule = "must be at most 255 bytes long";
        }
        // the value is not echoed whole: it may be a secret typed into the wrong key
        return Optional.ofNullable(rule).map(r -> "'" + INDEX + "' (" + ConfigValidator.redact(index)
                + ") is not an index name: an index name " + r + " (default: " + DEFAULT_INDEX + ")");
    }

    /** The version of a pipeline's document this store last saw; guarded by its own monitor. */
    private static final class Seen {
        private boolean present;
        private long seqNo;
        private long primaryTerm;

        boolean sawDocument() {
            return present;
        }

        void remember(Long seqNo, Long primaryTerm) {
            if (seqNo == null || primaryTerm == null) {
                // an answer without them cannot back a conditional write: the next save creates, and conflicts
                forget();
                return;
            }
            this.present = true;
            this.seqNo = seqNo;
            this.primaryTerm = primaryTerm;
        }

        void forget() {
            present = false;
        }
    }
}
