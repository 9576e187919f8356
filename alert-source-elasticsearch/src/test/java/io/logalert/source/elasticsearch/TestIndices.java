package io.logalert.source.elasticsearch;

import io.logalert.LogEvent;
import io.logalert.spi.PluginConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers shared by the integration tests: unique index names, documents of events, sources on the node. */
final class TestIndices {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestIndices() {
    }

    /** A fresh index name with {@code prefix}. */
    static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** The document the script's logs look like for {@code event}. */
    static Map<String, Object> document(LogEvent event) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("@timestamp", event.timestamp().toString());
        document.put("projectname", event.project());
        document.put("loglevel", event.level());
        document.put("threadname", event.thread());
        document.put("msg", event.message());
        if (!event.logger().isEmpty()) {
            document.put("logger_name", event.logger());
        }
        if (!event.stackTrace().isEmpty()) {
            document.put("stack_trace", event.stackTrace());
        }
        return document;
    }

    /**
     * An ERROR document at {@code at} holding {@code keysAndValues} (field, value, field, value, …) as given: values of
     * any JSON type, so that tests can write what the event-shaped {@link #document} cannot.
     */
    static Map<String, Object> errorDocument(Instant at, Object... keysAndValues) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("@timestamp", at.toString());
        document.put("loglevel", "ERROR");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            document.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return document;
    }

    /** A source reading {@code index} on {@code node} with {@code extra} settings. */
    static ElasticsearchLogSource source(ElasticsearchNode node, String index, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("hosts", hosts(node));
        config.put("index", index);
        config.putAll(extra);
        return ElasticsearchLogSource.create(PluginConfig.of(config));
    }

    /** The node's address as the {@code hosts} key takes it. */
    static String hosts(ElasticsearchNode node) {
        return "http://127.0.0.1:" + node.uri().getPort();
    }

    static void load(ElasticsearchNode node, String index, List<LogEvent> events) {
        BulkLoader.loadDocuments(node, index, events.stream().map(TestIndices::document));
    }
}
