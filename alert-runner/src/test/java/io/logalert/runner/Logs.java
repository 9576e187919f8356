package io.logalert.runner;

import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.PipelineState;
import io.logalert.spi.StateCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The integration tests' data: documents as the old script's logs look, on the shared node, and saved state. */
final class Logs {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern EVENTS = Pattern.compile("^RunReport\\[.*?, (\\d+) events in ");

    private Logs() {
    }

    static ElasticsearchNode node() {
        return ElasticsearchNode.shared();
    }

    /** The node as the {@code hosts} key takes it. */
    static String hosts() {
        return "http://127.0.0.1:" + node().uri().getPort();
    }

    /** A fresh index name with {@code prefix}. */
    static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** One document: what the script's applications log. */
    static Map<String, Object> doc(Instant at, String project, String level, String message) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@timestamp", at.toString());
        doc.put("loglevel", level);
        doc.put("projectname", project);
        doc.put("threadname", "http-nio-8080-exec-" + (message.length() % 9));
        doc.put("msg", message);
        doc.put("logger_name", "com.example." + project + ".Service");
        return doc;
    }

    /** {@code count} ERROR documents of {@code project}, "order N failed", spread over [from, to). */
    static List<Map<String, Object>> errors(String project, int count, Instant from, Instant to) {
        List<Map<String, Object>> docs = new ArrayList<>();
        long span = to.toEpochMilli() - from.toEpochMilli();
        for (int i = 0; i < count; i++) {
            docs.add(doc(from.plusMillis(span * i / count), project, "ERROR", "order " + (8_800 + i * 17)
                    + " failed: payment declined"));
        }
        return docs;
    }

    static void load(String index, List<Map<String, Object>> docs) {
        BulkLoader.loadDocuments(node(), index, docs.stream());
    }

    /** The state a file store saved for {@code pipeline} under {@code directory}. */
    static Optional<PipelineState> state(Path directory, String pipeline) {
        Path file = directory.resolve(pipeline + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StateCodec.read(Files.readAllBytes(file), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events each report line of {@code output} counted, in order. */
    static List<Long> events(List<String> output) {
        List<Long> events = new ArrayList<>();
        for (String line : output) {
            Matcher m = EVENTS.matcher(line);
            if (m.find()) {
                events.add(Long.parseLong(m.group(1)));
            }
        }
        return events;
    }
}
