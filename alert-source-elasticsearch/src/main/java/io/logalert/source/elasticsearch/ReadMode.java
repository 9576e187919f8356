package io.logalert.source.elasticsearch;

/**
 * How {@link ElasticsearchLogSource} reads a window. Every mode counts every matching document exactly; they differ
 * in where the counting happens.
 */
public enum ReadMode {

    /**
     * Decide per window: aggregate when the window is large and its messages repeat verbatim, stream otherwise.
     * The default.
     */
    AUTO,

    /**
     * Page through every document with a point in time and {@code search_after}; one event per document. Best when
     * messages carry ids, so that nearly every message is distinct.
     */
    STREAM,

    /**
     * Count inside Elasticsearch with a composite aggregation on project and message; one pre-counted event per
     * distinct message. Documents whose message has no keyword value are streamed in addition.
     */
    AGGREGATE
}
