package io.logalert.source.elasticsearch;

/**
 * How {@link ElasticsearchLogSource} reads a window. Every mode counts every matching document exactly; they differ
 * in where the counting happens.
 */
public enum ReadMode {

    /**
     * Decide per window: aggregate when the window is large, no document holds a stack trace, and its messages
     * repeat verbatim (judged from a sample), stream otherwise. The default; needs Elasticsearch 8.2 or later.
     */
    AUTO,

    /**
     * Page through every document with a point in time and {@code search_after}; one event per document. Best when
     * messages carry ids, so that nearly every message is distinct.
     */
    STREAM,

    /**
     * Count inside Elasticsearch with a composite aggregation on project and message; one pre-counted event per
     * distinct message. Documents whose message has no keyword value are streamed in addition. Grouping does not see
     * stack traces, so an aggregator that keys on them gives other kinds than in {@link #STREAM}.
     */
    AGGREGATE
}
