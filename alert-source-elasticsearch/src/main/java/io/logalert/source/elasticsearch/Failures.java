package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import io.logalert.spi.LogSourceException;
import io.logalert.spi.SourceUnavailableException;
import java.io.IOException;
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
        if (e instanceof LogSourceException known) {
            return known;
        }
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

    private static int status(Throwable e) {
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

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee && ee.error() != null) {
                String reason = ee.error().reason();
                return ": " + ee.error().type() + (reason == null ? "" : ": " + reason);
            }
        }
        return "";
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
