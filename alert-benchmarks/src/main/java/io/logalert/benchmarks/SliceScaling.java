package io.logalert.benchmarks;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.source.elasticsearch.LogGenerator;
import io.logalert.spi.PluginConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Stream mode in point-in-time slices against the bare single-stream scan it is measured by, side by side in one
 * process on one node: the {@code ids} mix on indices of 1, 2 and 4 shards, the bare scan (timestamp sort, one
 * request stream, what stream mode did before slices) and the source's stream mode with {@code max-slices} 1, 2
 * and 4, interleaved, medians of {@code reps}; plus the auto probe (a count, then a sampled cardinality) beside
 * them. Not wired into {@link Main}; run it as
 * {@code java -Xmx2g -cp alert-benchmarks/target/benchmarks.jar io.logalert.benchmarks.SliceScaling [errors] [reps] [shards,…]}.
 */
public final class SliceScaling {

    private static final Instant FROM = Instant.parse("2025-01-06T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(FROM, FROM.plusSeconds(3_600));
    private static final int PAGE_SIZE = 1_000;

    private SliceScaling() {
    }

    public static void main(String[] args) throws IOException {
        int errors = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 300_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Integer> shardCounts = args.length > 2 ? java.util.Arrays.stream(args[2].split(","))
                .map(Integer::parseInt).toList() : List.of(1, 2, 4);
        try (ElasticsearchNode node = ElasticsearchNode.start();
                RestClient rest = RestClient.builder(HttpHost.create(node.uri().toString().replaceAll("/$", "")))
                        .setRequestConfigCallback(c -> c.setSocketTimeout(300_000)).build()) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper()));
            String hosts = node.uri().toString().replaceAll("/$", "");
            System.out.printf(Locale.ROOT, "| shards | bare scan (s) | slices 1 (s) | slices 2 (s) | slices 4 (s) "
                    + "| best / bare | auto probe (s) | probe / slices 1 |%n|---|---|---|---|---|---|---|---|%n");
            for (int shards : shardCounts) {
                String index = "slices-" + shards;
                MixGenerator generator = new MixGenerator(42, MixGenerator.Mix.IDS, errors, errors / 10, WINDOW);
                node.request("PUT", "/" + index, "{\"settings\":{\"number_of_shards\":" + shards
                        + ",\"number_of_replicas\":0,\"refresh_interval\":\"-1\",\"requests.cache.enable\":false}}");
                BulkLoader.loadDocuments(node, index, java.util.stream.Stream.concat(generator.errorDocs(),
                        generator.noiseDocs()).map(LogGenerator.Log::document));
                node.request("POST", "/" + index + "/_forcemerge?max_num_segments=1", null);
                node.request("POST", "/" + index + "/_refresh", null);
                Map<String, LongSupplier> variants = new LinkedHashMap<>();
                variants.put("bare", () -> bareScan(client, index));
                for (int slices : List.of(1, 2, 4)) {
                    variants.put("slices " + slices, () -> stream(hosts, index, slices));
                }
                variants.put("probe", () -> probe(rest, index));
                Map<String, List<Double>> seconds = new LinkedHashMap<>();
                for (int rep = -1; rep < reps; rep++) {
                    for (Map.Entry<String, LongSupplier> variant : variants.entrySet()) {
                        long start = System.nanoTime();
                        long read = variant.getValue().getAsLong();
                        double took = (System.nanoTime() - start) / 1e9;
                        if (read != errors) {
                            throw new IllegalStateException(variant.getKey() + " on " + shards + " shards read "
                                    + read + " documents of " + errors);
                        }
                        if (rep >= 0) {
                            seconds.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(took);
                        }
                    }
                }
                double bare = median(seconds.get("bare"));
                double best = Math.min(median(seconds.get("slices 1")), Math.min(median(seconds.get("slices 2")),
                        median(seconds.get("slices 4"))));
                System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.1f %% |%n", shards,
                        bare, median(seconds.get("slices 1")), median(seconds.get("slices 2")),
                        median(seconds.get("slices 4")), best / bare, median(seconds.get("probe")),
                        100 * median(seconds.get("probe")) / median(seconds.get("slices 1")));
                node.request("DELETE", "/" + index, null);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Query errorsOfTheWindow() {
        return Query.of(q -> q.bool(b -> b
                .filter(f -> f.range(r -> r.date(d -> d.field("@timestamp").gte(WINDOW.from().toString())
                        .lt(WINDOW.to().toString()))))
                .filter(f -> f.term(t -> t.field("loglevel.keyword").value(FieldValue.of("ERROR"))
                        .caseInsensitive(true)))));
    }

    /** Stream mode through the source, {@code slices} at most. */
    private static long stream(String hosts, String index, int slices) {
        long[] events = {0};
        try (ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", hosts,
                "index", index, "mode", "stream", "max-slices", Integer.toString(slices),
                "page-size", Integer.toString(PAGE_SIZE))))) {
            source.read(WINDOW, event -> events[0] += event.occurrences());
        }
        return events[0];
    }

    /** The single-stream scan stream mode made before slices: timestamp order, the source fields, typed client. */
    private static long bareScan(ElasticsearchClient client, String index) {
        Time keepAlive = Time.of(t -> t.time("2m"));
        List<SortOptions> sort = List.of(
                SortOptions.of(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Asc))),
                SortOptions.of(s -> s.field(f -> f.field("_shard_doc").order(SortOrder.Asc))));
        Query query = errorsOfTheWindow();
        long hits = 0;
        try {
            String pit = client.openPointInTime(o -> o.index(index).keepAlive(keepAlive)).id();
            try {
                List<FieldValue> after = null;
                while (true) {
                    List<FieldValue> searchAfter = after;
                    String pitId = pit;
                    SearchResponse<JsonNode> page = client.search(s -> {
                        s.pit(p -> p.id(pitId).keepAlive(keepAlive)).size(PAGE_SIZE).query(query).sort(sort)
                                .trackTotalHits(t -> t.enabled(false)).source(c -> c.filter(f -> f.includes(
                                        "loglevel", "projectname", "threadname", "msg", "logger_name",
                                        "stack_trace")));
                        if (searchAfter != null) {
                            s.searchAfter(searchAfter);
                        }
                        return s;
                    }, JsonNode.class);
                    pit = page.pitId() == null ? pit : page.pitId();
                    hits += page.hits().hits().size();
                    if (page.hits().hits().size() < PAGE_SIZE) {
                        break;
                    }
                    after = page.hits().hits().get(page.hits().hits().size() - 1).sort();
                }
            } finally {
                String pitId = pit;
                client.closePointInTime(c -> c.id(pitId));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    /**
     * The auto probe as the source sends it: a count, then the cardinality of the message keyword hashed from doc
     * values in a {@code random_sampler} sample of about 5,000 documents.
     */
    private static long probe(RestClient rest, String index) {
        try {
            Request count = new Request("POST", "/" + index + "/_search");
            count.addParameter("filter_path", "hits.total.value,aggregations.messages.doc_count");
            count.setJsonEntity("{\"size\":0,\"track_total_hits\":true,\"query\":" + ERRORS_JSON + ","
                    + "\"aggs\":{\"messages\":{\"filter\":{\"exists\":{\"field\":\"msg.keyword\"}}}}}");
            JsonNode counted = JSON.readTree(rest.performRequest(count).getEntity().getContent());
            long messages = counted.path("aggregations").path("messages").path("doc_count").asLong();
            double probability = Math.min(0.5, 5_000.0 / messages);
            Request sample = new Request("POST", "/" + index + "/_search");
            sample.addParameter("filter_path", "aggregations");
            sample.setJsonEntity("{\"size\":0,\"track_total_hits\":false,\"query\":" + ERRORS_JSON + ","
                    + "\"aggs\":{\"sample\":{\"random_sampler\":{\"probability\":" + probability + ",\"seed\":42},"
                    + "\"aggs\":{\"messages\":{\"filter\":{\"exists\":{\"field\":\"msg.keyword\"}},\"aggs\":"
                    + "{\"distinct\":{\"cardinality\":{\"field\":\"msg.keyword\",\"precision_threshold\":10000,"
                    + "\"execution_hint\":\"direct\"}}}}}}}}");
            JSON.readTree(rest.performRequest(sample).getEntity().getContent());
            return counted.path("hits").path("total").path("value").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #errorsOfTheWindow()} as JSON, for the low-level requests. */
    private static final String ERRORS_JSON = "{\"bool\":{\"filter\":[{\"range\":{\"@timestamp\":{\"gte\":\""
            + WINDOW.from() + "\",\"lt\":\"" + WINDOW.to() + "\"}}},{\"term\":{\"loglevel.keyword\":{\"value\":"
            + "\"ERROR\",\"case_insensitive\":true}}}]}}";
    private static final ObjectMapper JSON = new ObjectMapper();
}
