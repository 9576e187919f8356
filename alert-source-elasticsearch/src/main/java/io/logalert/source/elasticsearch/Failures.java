package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ShardFailure;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.transport.TransportException;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.SourceUnavailableException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.elasticsearch.client.ResponseException;

/**
 * Turns what the client throws into the source failures the pipeline understands: unreachable, slow or overloaded →
 * {@link SourceUnavailableException} (the window is read again next run); refused credentials → a
 * {@link LogSourceException} naming the user and the hosts, never the password or the API key.
 */
final class Failures {

    /** Statuses that say "not now" rather than "never". */
    private static final Set<Integer> PASSING = Set.of(408, 429, 502, 503, 504);

    private final String source;
    private final String hosts;
    private final String principal;

    /**
     * @param source    the source's name
     * @param hosts     the hosts, for messages
     * @param principal who the source authenticates as, e.g. "user 'bob'"; never a secret
     */
    Failures(String source, String hosts, String principal) {
        this.source = source;
        this.hosts = hosts;
        this.principal = principal;
    }

    /** The failure of {@code operation} (e.g. "open a point in time on [logs-a]") caused by {@code e}. */
    LogSourceException of(String operation, Exception e) {
        int status = status(e);
        if (status == 401) {
            return new LogSourceException(source, "Elasticsearch at " + hosts + " did not accept " + principal
                    + " (HTTP 401): check the credentials", null);
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
            // connection refused, reset, timed out, unknown host: the store is not there right now
            return new SourceUnavailableException(source, "cannot reach Elasticsearch at " + hosts + " to "
                    + operation + ": " + rootCause(e), e);
        }
        return new LogSourceException(source, "failed to " + operation + ": " + rootCause(e), e);
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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee && ee.error() != null) {
                ErrorCause error = ee.error();
                String text = ": " + describe(error, true);
                // "search_phase_execution_exception: Partial shards failure" says nothing; its root cause does
                List<ErrorCause> roots = error.rootCause();
                if (roots != null && !roots.isEmpty() && !Objects.equals(roots.get(0).type(), error.type())) {
                    text += " (" + describe(roots.get(0), true) + ")";
                }
                return text;
            }
        }
        return "";
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
        return cause.type() + (cause.reason() == null ? "" : ": " + cause.reason()) + where;
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
