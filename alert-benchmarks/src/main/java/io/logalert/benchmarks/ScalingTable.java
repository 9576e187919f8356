package io.logalert.benchmarks;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * How reading the {@code ids} window scales with shards: the same documents in indices of 1, 2 and 4 shards, each
 * read by the bare single-stream scan (e) and by the pipeline in stream mode, with the source's {@code max-slices}
 * at each value of {@code slices} (none given: one variant with the source's default, for a source that does not
 * know the setting). Runs are interleaved across indices and variants, after an unmeasured run of each that
 * verifies it. The first index is loaded; the others are split from it when their shard count is a multiple of its.
 */
final class ScalingTable {

    /** Settings of the scaling table. */
    record Options(int errors, int noise, List<Integer> shards, List<Integer> slices, int reps, int pageSize) {
    }

    /** One variant on one index. */
    record Row(int shards, String variant, String description, List<Double> seconds, List<Long> cpuMillis,
            long events, boolean exact, String exactness) {

        double median() {
            return Stats.median(seconds);
        }

        double medianCpu() {
            return Stats.median(cpuMillis.stream().map(x -> x / 1e3).toList());
        }
    }

    private ScalingTable() {
    }

    /**
     * Splits {@code source} into {@code target} of {@code shards} shards: the same documents, routed as an index
     * created with that many shards routes them, without loading them again (a load of 330,000 documents took 40 s
     * on the shared machine; a split and a force-merge a few). The force-merge that follows expunges the documents
     * each shard's hard-linked copy holds for the other shards, so every shard is one segment of its own documents.
     */
    private static void split(ElasticsearchNode node, String source, String target, int shards) {
        node.request("PUT", "/" + source + "/_settings", "{\"index.blocks.write\":true}");
        node.request("POST", "/" + source + "/_split/" + target + "?wait_for_active_shards=all",
                "{\"settings\":{\"index.number_of_shards\":" + shards + ",\"index.number_of_replicas\":0,"
                        + "\"index.blocks.write\":null}}");
        node.request("GET", "/_cluster/health/" + target + "?wait_for_status=green&timeout=120s", null);
    }

    static List<Row> run(ElasticsearchNode node, Options options) {
        TimeWindow window = new TimeWindow(EndToEnd.FROM, EndToEnd.FROM.plus(EndToEnd.WINDOW));
        MixGenerator generator = new MixGenerator(42, MixGenerator.Mix.IDS, options.errors(), options.noise(),
                window);
        Truth truth = Truth.of(generator, window.to());
        // the harness's own scan and pipeline, with this table's page size
        EndToEnd harness = new EndToEnd(new EndToEnd.Options(options.errors(), options.noise(), options.reps(),
                options.pageSize(), List.of(MixGenerator.Mix.IDS), Integer.MAX_VALUE, options.reps(), List.of(),
                0, List.of(), 0, List.of(), Map.of()));
        NodeCost cost = new NodeCost(node);
        String hosts = node.uri().toString().replaceAll("/$", "");
        List<ElasticsearchLogSource> sources = new ArrayList<>();
        Map<String, EndToEnd.Variant> variants = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        Map<String, Integer> shardsOf = new LinkedHashMap<>();
        try (RestClient rest = RestClient.builder(HttpHost.create(hosts))
                .setRequestConfigCallback(c -> c.setSocketTimeout(300_000).setConnectTimeout(10_000)).build()) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper()));
            int base = options.shards().get(0);
            for (int shards : options.shards()) {
                String index = "scaling-" + shards;
                long started = System.nanoTime();
                if (shards != base && shards % base == 0) {
                    split(node, "scaling-" + base, index, shards);
                } else {
                    node.request("PUT", "/" + index, EndToEnd.index(shards, false));
                    long loaded = EndToEnd.load(node, index, generator);
                    Main.log("scaling: loaded %,d documents into %d shard(s)", loaded, shards);
                }
                EndToEnd.forceMerge(node, index);
                Main.log("scaling: %s ready in %.1f s", index, (System.nanoTime() - started) / 1e9);
                String scan = shards + "/e";
                variants.put(scan, verify -> harness.scan(client, index, window, truth, verify));
                descriptions.put(scan, "bare PIT + search_after scan, one stream");
                shardsOf.put(scan, shards);
                List<Integer> slices = options.slices().isEmpty() ? java.util.Collections.singletonList(null)
                        : options.slices();
                for (Integer slice : slices) {
                    ElasticsearchLogSource source = EndToEnd.source(hosts, index, "stream", options.pageSize(),
                            slice == null ? Map.of() : Map.of("max-slices", Integer.toString(slice)));
                    sources.add(source);
                    String key = shards + "/c" + (slice == null ? "" : "-" + slice);
                    variants.put(key, verify -> harness.pipeline(source, window, truth, verify));
                    descriptions.put(key, "pipeline, stream mode, " + (slice == null ? "the source's default"
                            : "max-slices " + slice));
                    shardsOf.put(key, shards);
                }
            }
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            Map<String, List<Long>> cpu = new LinkedHashMap<>();
            Map<String, EndToEnd.Outcome> verified = new LinkedHashMap<>();
            // round 0 verifies each variant and is not measured: the first read of a freshly loaded index (files not
            // yet in the page cache, the client's code not yet compiled) took 3-5 times a later one
            for (int rep = 0; rep <= options.reps(); rep++) {
                for (Map.Entry<String, EndToEnd.Variant> variant : variants.entrySet()) {
                    String key = variant.getKey();
                    boolean verify = rep == 0;
                    double[] time = new double[1];
                    NodeCost.Measured<EndToEnd.Outcome> measured = cost.during(() -> {
                        long start = System.nanoTime();
                        EndToEnd.Outcome outcome = variant.getValue().run(verify);
                        time[0] = (System.nanoTime() - start) / 1e9;
                        return outcome;
                    });
                    Main.log("scaling %-7s %s: %.2f s, node CPU %.2f s; %s", key, verify ? "warm-up" : "run " + rep,
                            time[0], measured.cost().cpuMillis() / 1e3, verify ? measured.result().check().text() : "");
                    if (verify) {
                        verified.put(key, measured.result());
                        continue;
                    }
                    seconds.computeIfAbsent(key, k -> new ArrayList<>()).add(time[0]);
                    cpu.computeIfAbsent(key, k -> new ArrayList<>()).add(measured.cost().cpuMillis());
                }
            }
            List<Row> rows = new ArrayList<>();
            for (String key : variants.keySet()) {
                EndToEnd.Outcome outcome = verified.get(key);
                rows.add(new Row(shardsOf.get(key), key.substring(key.indexOf('/') + 1), descriptions.get(key),
                        seconds.get(key), cpu.get(key), outcome.events(), outcome.check().exact(),
                        outcome.check().text()));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sources.forEach(ElasticsearchLogSource::close);
            for (int shards : options.shards()) {
                node.send("DELETE", "/scaling-" + shards, null);
            }
        }
    }
}
