package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch._types.ShardFailure;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.SourceUnavailableException;
import jakarta.json.stream.JsonParser;
import java.io.IOException;
import java.io.StringReader;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.http.ConnectionClosedException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.ResponseException;

/**
 * Turns what the client throws into the source failures the pipeline understands: unreachable, slow or overloaded →
 * {@link SourceUnavailableException} (the window is read again next run); refused credentials → a
 * {@link LogSourceException} naming the user and the hosts, never the password or the API key; a certificate the
 * configured trust refuses → a {@link LogSourceException} naming the host and why, without the TLS stack's noise.
 */
final class Failures {

    /** Parses the error bodies of 5xx answers, which the typed client leaves to the low-level one. */
    private static final JacksonJsonpMapper ERRORS = new JacksonJsonpMapper();
    private static final Pattern NO_ACTIVE_COPY = Pattern.compile("index \\[([^\\]]+)\\] has no active shard copy");
    private static final Pattern MISSING_SHARDS = Pattern.compile("missing shards \\[\\[([^\\]]+)\\]");

    /** Statuses that say "not now" rather than "never". */
    private static final Set<Integer> PASSING = Set.of(408, 429, 502, 503, 504);

    /** Error types of an index or shard that cannot be read now but may be again: a red index, a lost node. */
    private static final Set<String> PASSING_TYPES = Set.of("no_shard_available_action_exception",
            "unavailable_shards_exception", "node_not_connected_exception", "node_disconnected_exception",
            "node_closed_exception", "es_rejected_execution_exception", "circuit_breaking_exception",
            "search_phase_execution_exception", "shard_not_found_exception", "primary_missing_action_exception",
            "connect_transport_exception", "receive_timeout_transport_exception");

    private final String source;
    private final String hosts;
    private final String principal;
    private final Duration requestTimeout;

    /**
     * @param source         the source's name
     * @param hosts          the hosts, for messages
     * @param principal      who the source authenticates as, e.g. "user 'bob'"; never a secret
     * @param requestTimeout the {@code request-timeout} that a request without an answer waited
     */
    Failures(String source, String hosts, String principal, Duration requestTimeout) {
        this.source = source;
        this.hosts = hosts;
        this.principal = principal;
        this.requestTimeout = requestTimeout;
    }

    /** The failure of {@code operation} (e.g. "open a point in time on [logs-a]") caused by {@code e}. */
    LogSourceException of(String operation, Exception e) {
        Optional<String> tls = tlsProblem(e, hosts);
        if (tls.isPresent()) {
            // a configuration (or an impostor), not an outage: no retry makes the certificate trusted
            return new LogSourceException(source, tls.get() + "; could not " + operation, null);
        }
        int status = status(e);
        if (status == 401) {
            return new LogSourceException(source, "Elasticsearch at " + hosts + " did not accept " + principal
                    + " (HTTP 401): check the credentials" + unsuccessfulCredentials(e), null);
        }
        if (status == 403) {
            return new LogSourceException(source, "Elasticsearch at " + hosts + " forbids " + principal
                    + " to " + operation + " (HTTP 403): grant the read and view_index_metadata privileges on "
                    + "the indices" + reason(e), null);
        }
        if (PASSING.contains(status)) {
            return new SourceUnavailableException(source, "Elasticsearch at " + hosts + " could not " + operation
                    + " now (HTTP " + status + ")" + reason(e), e);
        }
        if (status > 0) {
            return new LogSourceException(source, "Elasticsearch at " + hosts + " refused to " + operation
                    + " (HTTP " + status + ")" + reason(e), e);
        }
        if (e instanceof IOException) {
            if (noAnswer(e)) {
                return new SourceUnavailableException(source, "Elasticsearch at " + hosts + " did not answer within "
                        + "the request timeout of " + describe(requestTimeout) + " ('"
                        + ConnectionSettings.REQUEST_TIMEOUT + "') to " + operation + ": " + rootCauses(e), e);
            }
            // connection refused, reset, timed out, unknown host: the store is not there right now
            return new SourceUnavailableException(source, "cannot reach Elasticsearch at " + hosts + " to "
                    + operation + ": " + rootCauses(e) + plainHttpHint(e, hosts), e);
        }
        return new LogSourceException(source, "failed to " + operation + ": " + rootCause(e), e);
    }

    /**
     * What Elasticsearch says about the credentials it could not use, e.g. {@code API key: api key [id] is expired}:
     * it names an API key by its id, the public half, never by its secret. Empty when it says nothing.
     */
    static String unsuccessfulCredentials(Throwable e) {
        return error(e).map(error -> error.metadata().get("additional_unsuccessful_credentials"))
                .map(value -> value.toJson().toString().replace("\"", ""))
                .map(text -> " (Elasticsearch: " + text + ")").orElse("");
    }

    /**
     * Whether {@code e} is a request that got no answer in time (a socket or connect timeout), rather than one that
     * was refused or answered: then the node may be hung, and another request to it would wait as long again.
     */
    static boolean noAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a TLS handshake with one of {@code hosts} failed, in words, or empty when {@code e} is no TLS failure: a
     * certificate the configured CA did not sign ({@link TlsTrust.UntrustedCertificateException}, which names the
     * host), one the JVM's default trust store does not trust (Elasticsearch 8's own CA, when neither
     * {@code ca-certificate} nor {@code ca-fingerprint} is set), or one that does not name the host.
     */
    static Optional<String> tlsProblem(Throwable e, String hosts) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsTrust.UntrustedCertificateException untrusted) {
                return Optional.of(untrusted.getMessage());
            }
            if (t instanceof SSLPeerUnverifiedException) {
                return Optional.of("the certificate of " + https(hosts) + " does not name the host it was reached "
                        + "at (" + t.getMessage() + "): reach the node by a name or address its certificate holds "
                        + "as a subject alternative name, or give it a certificate that holds the one in 'hosts'");
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return Optional.of("the certificate of " + https(hosts) + " is not trusted by the JVM's default "
                        + "trust store (" + t.getMessage() + "): set '" + ConnectionSettings.CA_CERTIFICATE
                        + "' to the CA that signed it (Elasticsearch 8 writes its own to config/certs/http_ca.crt) "
                        + "or '" + ConnectionSettings.CA_FINGERPRINT + "' to that CA's SHA-256 fingerprint");
            }
        }
        return Optional.empty();
    }

    /** The https hosts among {@code hosts}, where a certificate came from. */
    private static String https(String hosts) {
        List<String> secure = Arrays.stream(hosts.split(",")).filter(h -> h.startsWith("https://")).toList();
        if (secure.isEmpty()) {
            return hosts;
        }
        return secure.size() == 1 ? secure.get(0) : "one of " + String.join(", ", secure);
    }

    /**
     * A hint when a plain-http request was cut off: an Elasticsearch 8 node serves HTTPS by default and closes a
     * connection that speaks plain HTTP to it.
     */
    private static String plainHttpHint(Throwable e, String hosts) {
        if (!Arrays.stream(hosts.split(",")).anyMatch(h -> h.startsWith("http://"))) {
            return "";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionClosedException) {
                return " (if the node serves HTTPS, as Elasticsearch 8 does by default, write https:// in '"
                        + ConnectionSettings.HOSTS + "')";
            }
        }
        return "";
    }

    /**
     * The indices that a field capabilities answer could not read ({@code failures}, which Elasticsearch answers
     * with HTTP 200): a red index, whose documents of the window are not counted unless the read fails.
     *
     * @param operation what was asked, e.g. "read the mappings of 'logs-*'"
     * @param answer    the field capabilities answer as JSON
     * @throws SourceUnavailableException naming the indices and the first reason when an index could not be read for
     *                                    a passing reason (no active copy of a shard); {@link LogSourceException}
     *                                    for any other reason
     */
    void requireEveryIndexRead(String operation, JsonNode answer) {
        JsonNode failed = answer.path("failures");
        if (!failed.isArray() || failed.isEmpty()) {
            return;
        }
        List<String> indices = new ArrayList<>();
        String firstType = null;
        String firstReason = null;
        for (JsonNode failure : failed) {
            failure.path("indices").forEach(index -> indices.add(index.asText()));
            JsonNode error = failure.path("failure").has("error") ? failure.path("failure").path("error")
                    : failure.path("failure");
            if (firstType == null) {
                firstType = error.path("type").asText("unknown");
                firstReason = error.path("reason").asText("");
                JsonNode cause = error.path("caused_by");
                if (firstReason.isBlank() && cause.isObject()) {
                    firstReason = cause.path("reason").asText("");
                }
            }
        }
        String list = IndexLayout.describeIndices(indices);
        String message = "Elasticsearch at " + hosts + " could not " + operation + ": it cannot read "
                + list + " now (" + firstType + (firstReason.isBlank() ? "" : ": " + firstReason) + "). "
                + redIndex(indices.get(0));
        if (PASSING_TYPES.contains(firstType)) {
            throw new SourceUnavailableException(source, message, null);
        }
        throw new LogSourceException(source, message);
    }

    /**
     * The index, alias or data stream that {@code e} says does not exist (an {@code index_not_found_exception},
     * which a request with {@code ignore_unavailable=false} gets for a name that matches nothing), or empty when
     * {@code e} is another failure.
     */
    static Optional<String> missingIndex(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee && ee.error() != null) {
                ErrorCause error = ee.error();
                if (!"index_not_found_exception".equals(error.type())) {
                    return Optional.empty();
                }
                JsonData index = error.metadata().get("index");
                if (index == null) {
                    index = error.metadata().get("resource.id");
                }
                return Optional.of(index == null ? "?" : index.toJson().toString().replace("\"", ""));
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses a search answer that does not cover every shard: a failed shard or a timeout means missing documents,
     * and a window counted from them would move the checkpoint past records never read. Elasticsearch answers such
     * searches with HTTP 200; {@code allow_partial_search_results=false} makes it refuse most of them, this catches
     * the rest.
     *
     * @param operation what was asked, e.g. "read a page of documents"
     * @param shards    the answer's {@code _shards}, may be null when the answer has none
     * @param timedOut  the answer's {@code timed_out}
     * @throws SourceUnavailableException naming the failed shard count and the first reason, so the window is read
     *                                    again next run
     */
    void requireComplete(String operation, ShardStatistics shards, boolean timedOut) {
        long failed = shards == null || shards.failed() == null ? 0 : shards.failed().longValue();
        if (failed == 0 && !timedOut) {
            return;
        }
        String total = shards == null || shards.total() == null ? "?" : String.valueOf(shards.total());
        StringBuilder message = new StringBuilder("Elasticsearch at ").append(hosts).append(" could not ")
                .append(operation).append(" completely: ");
        if (failed > 0) {
            message.append(failed).append(" of ").append(total).append(" shards failed");
            if (shards.failures() != null && !shards.failures().isEmpty()) {
                ShardFailure first = shards.failures().get(0);
                message.append(", first: shard ").append(first.shard() == null ? "?" : first.shard())
                        .append(first.index() == null ? "" : " of " + first.index()).append(": ")
                        .append(describe(first.reason(), first.index() == null));
            }
            if (timedOut) {
                message.append("; ");
            }
        }
        if (timedOut) {
            message.append("the search timed out");
        }
        throw new SourceUnavailableException(source, message.append(
                "; the window is not counted from partial results").toString(), null);
    }

    /** The HTTP status in {@code e} or its causes; 0 when no answer came. */
    static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee) {
                return ee.status();
            }
            if (t instanceof TransportException te && te.statusCode() > 0) {
                return te.statusCode();
            }
            if (t instanceof ResponseException re) {
                return re.getResponse().getStatusLine().getStatusCode();
            }
        }
        return 0;
    }

    /** ": type: reason (root cause)" of the error Elasticsearch answered with; empty when none. */
    static String reason(Throwable e) {
        Optional<ErrorCause> answered = error(e);
        if (answered.isEmpty()) {
            return "";
        }
        ErrorCause error = answered.get();
        String text = ": " + describe(error, true);
        // "search_phase_execution_exception: Partial shards failure" says nothing; its root cause does
        List<ErrorCause> roots = error.rootCause();
        if (roots != null && !roots.isEmpty() && !Objects.equals(roots.get(0).type(), error.type())) {
            text += " (" + describe(roots.get(0), true) + ")";
        }
        return text + unavailableIndex(error).map(index -> ". " + redIndex(index)).orElse("");
    }

    /**
     * The error Elasticsearch answered with: the typed client parses 4xx answers into an
     * {@link ElasticsearchException}, and leaves 5xx ones (a 503 for a red index, say) to the low-level client's
     * {@link ResponseException}, whose body is parsed here.
     */
    static Optional<ErrorCause> error(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee && ee.error() != null) {
                return Optional.of(ee.error());
            }
            if (t instanceof ResponseException re && re.getResponse().getEntity() != null) {
                try {
                    String body = EntityUtils.toString(re.getResponse().getEntity(), StandardCharsets.UTF_8);
                    JsonParser parser = ERRORS.jsonProvider().createParser(new StringReader(body));
                    return Optional.ofNullable(ErrorResponse._DESERIALIZER.deserialize(parser, ERRORS).error());
                } catch (IOException | RuntimeException notAnError) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The index whose shards {@code error} says have no active copy (a red or partly unavailable index), or empty when
     * it is another error: {@code no_shard_available_action_exception: index [logs-a] has no active shard copy}, or
     * {@code Search rejected due to missing shards [[logs-a][1]]}, as 8.19 words them. {@code "?"} when the words
     * change but the type still tells.
     */
    static Optional<String> unavailableIndex(ErrorCause error) {
        List<ErrorCause> causes = new ArrayList<>();
        causes.add(error);
        if (error.causedBy() != null) {
            causes.add(error.causedBy());
        }
        if (error.rootCause() != null) {
            causes.addAll(error.rootCause());
        }
        boolean unavailable = false;
        for (ErrorCause cause : causes) {
            String reason = cause.reason() == null ? "" : cause.reason();
            Matcher named = NO_ACTIVE_COPY.matcher(reason);
            Matcher missing = MISSING_SHARDS.matcher(reason);
            if (named.find()) {
                return Optional.of(named.group(1));
            }
            if (missing.find()) {
                return Optional.of(missing.group(1));
            }
            unavailable |= "no_shard_available_action_exception".equals(cause.type());
        }
        return unavailable ? Optional.of("?") : Optional.empty();
    }

    /** What a red {@code index} means for the window, and the way out when it is lost for good. */
    static String redIndex(String index) {
        return "An index that is red (a primary shard without an active copy) or partly unavailable may hold "
                + "documents of the window, so the window is not counted without it; it is read again next run. If an "
                + "index is lost for good, exclude it from '" + SourceSettings.INDEX + "' (-" + index + ")";
    }

    /** "type: reason", with " in index" when {@code withIndex} and the cause names one. */
    private static String describe(ErrorCause cause, boolean withIndex) {
        if (cause == null) {
            return "no reason given";
        }
        String where = "";
        JsonData index = cause.metadata().get("index");
        if (withIndex && index != null) {
            where = " in " + index.toJson().toString().replace("\"", "");
        }
        String reason = cause.reason();
        if ((reason == null || reason.isBlank()) && cause.causedBy() != null) {
            // "search_phase_execution_exception" with an empty reason: what it says is in its cause, e.g. "Search
            // rejected due to missing shards [[logs-a][1]]" when an index of the point in time is red
            reason = cause.causedBy().reason();
        }
        return cause.type() + (reason == null || reason.isBlank() ? "" : ": " + reason) + where;
    }

    /** "30s", "250ms", "PT2M": a duration as users write it in the configuration. */
    static String describe(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        return duration.getSeconds() + "s";
    }

    /**
     * The innermost cause of {@code e} and of each exception suppressed by it: the low-level client tries each host
     * and keeps the earlier failures as suppressed ones, so the last host's "connection refused" does not hide that
     * another one did not answer.
     */
    static String rootCauses(Throwable e) {
        Set<String> causes = new LinkedHashSet<>();
        causes.add(rootCause(e));
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                causes.add(rootCause(suppressed));
            }
        }
        return String.join("; before that: ", causes);
    }

    /** The innermost cause of {@code e}: its class and message. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
