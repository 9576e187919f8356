package io.logalert.benchmarks;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.SourceConfig;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.source.elasticsearch.LogGenerator;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * The pipeline end to end against a real Elasticsearch node: loads each mix once, then measures every variant over
 * the same window, interleaved (a, e, b, c, f, d, c-half, then again), one unmeasured verifying run first; every
 * measured run also measures what it cost the node ({@link NodeCost}). Then the first read after a refresh of the
 * pipeline modes, auto's through a {@link RecordingProxy} that isolates its probe.
 */
final class EndToEnd {

    static final Instant FROM = Instant.parse("2025-01-06T10:00:00Z");
    static final Duration WINDOW = Duration.ofHours(1);
    static final String AGGREGATOR = "fingerprint";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The variants whose verifying run is an unmeasured warm-up. */
    private static final java.util.Set<String> WARM_UPS = java.util.Set.of("b", "c");
    /** After the first mix the client is warm: only the aggregation (global ordinals of the new index) warms up. */
    private static final java.util.Set<String> LATER_WARM_UPS = java.util.Set.of("b");
    /**
     * The field names and types a dynamic mapping gives the fields the source queries (text with a keyword
     * sub-field, {@code ignore_above: 256}); thread, logger and stack trace, only ever read from {@code _source},
     * are not analysed, which shortens the load. The shard request cache is off: every run reads the same window,
     * and a cached size-0 aggregation would answer from memory, as a new window in production never does.
     */
    private static final String INDEX = index(1, false);
    private static final List<String> FIELDS = List.of("loglevel", "projectname", "threadname", "msg",
            "logger_name", "stack_trace");

    /** Settings of one end-to-end run. */
    record Options(int errors, int noise, int reps, int pageSize, List<MixGenerator.Mix> mixes, int slowSeconds,
            int slowReps, List<MixGenerator.Mix> halfMixes, int halfReps, List<MixGenerator.Mix> subMixes,
            int cappedHeapMb, List<String> cold, Map<String, String> sourceSettings) {
    }

    /** One variant's measurements in one mix. */
    record Result(String mix, String variant, String description, List<Double> seconds, List<Long> peakHeapBytes,
            long events, long groups, boolean exact, String exactness, List<NodeCost.Cost> costs) {

        /** The median of the node's CPU time over the measured runs, in seconds; NaN without a measured run. */
        double medianCpu() {
            return Stats.median(costs.stream().map(cost -> cost.cpuMillis() / 1e3).toList());
        }

        long maxNodeHeap() {
            return costs.stream().mapToLong(NodeCost.Cost::peakHeap).max().orElse(0);
        }

        long maxFielddataAdded() {
            return costs.stream().mapToLong(NodeCost.Cost::fielddataAdded).max().orElse(0);
        }

        long globalOrdinalsMillis() {
            return costs.stream().mapToLong(NodeCost.Cost::globalOrdinalsMillis).sum();
        }

        long medianHeap() {
            List<Long> sorted = peakHeapBytes.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        long maxHeap() {
            return peakHeapBytes.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** The median of the measured runs' times, in seconds; NaN without a measured run. */
        double median() {
            return Stats.median(seconds);
        }

        double min() {
            return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double max() {
            return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

    }

    /** What loading a mix took. */
    record Load(String mix, long documents, double seconds, long storeBytes, int truthGroups, long truthEvents,
            long keywordEvents) {
    }

    /** Everything measured. */
    record Report(List<Load> loads, List<Result> results, String node, List<Capped> capped, List<ColdRun> cold,
            List<Probe> probes, String cpuSource, double idleCpuMillisPerSecond) {
    }

    /** One read right after a refresh that added a segment: what a live index's next window meets. */
    record ColdRun(String mix, String variant, String description, double seconds, NodeCost.Cost cost,
            boolean exact) {
    }

    /**
     * Auto mode's probe (the searches it sends before reading the window), timed and costed through
     * {@link RecordingProxy}, beside the whole auto run it was part of.
     */
    record Probe(String mix, String when, int searches, double seconds, long cpuMillis, long globalOrdinalsMillis,
            String globalOrdinalsFields, double runSeconds, long runCpuMillis) {
    }

    /** A stream-mode run of the whole window in a JVM with a capped heap. */
    record Capped(String mix, int heapMb, boolean ok, long events, long peakHeapBytes, double seconds, int exit) {
    }

    /** What one run produced; {@code keep} holds its result alive until the heap is measured. */
    record Outcome(long events, long groups, Object keep, Check check) {
    }

    /** The exactness verdict of a verifying run. */
    record Check(boolean exact, String text) {
    }

    interface Variant {
        Outcome run(boolean verify);
    }

    private final Options options;

    EndToEnd(Options options) {
        this.options = options;
    }

    Report run(ElasticsearchNode node) {
        List<Load> loads = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        List<Capped> capped = new ArrayList<>();
        List<ColdRun> cold = new ArrayList<>();
        List<Probe> probes = new ArrayList<>();
        NodeCost cost = new NodeCost(node);
        String nodeInfo;
        double idle;
        try (RestClient rest = RestClient.builder(HttpHost.create(node.uri().toString().replaceAll("/$", "")))
                        .setRequestConfigCallback(c -> c.setSocketTimeout(300_000).setConnectTimeout(10_000))
                        .build();
                HeapMeter heap = new HeapMeter();
                RecordingProxy proxy = new RecordingProxy(node.uri(), Optional.of(cost))) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper(JSON)));
            nodeInfo = nodeInfo(node);
            // what the node spends doing nothing asked of it, to read the CPU figures against
            idle = cost.idleCpuMillisPerSecond(3);
            String hosts = node.uri().toString().replaceAll("/$", "");
            for (MixGenerator.Mix mix : options.mixes()) {
                TimeWindow window = new TimeWindow(FROM, FROM.plus(WINDOW));
                MixGenerator generator = new MixGenerator(42, mix, options.errors(), options.noise(), window);
                String index = "bench-" + mix.label();
                Main.log("loading %s: %,d errors + %,d noise into %s", mix.label(), options.errors(),
                        options.noise(), index);
                long started = System.nanoTime();
                node.request("PUT", "/" + index, INDEX);
                long loaded = load(node, index, generator);
                forceMerge(node, index);
                double loadSeconds = (System.nanoTime() - started) / 1e9;
                Truth truth = Truth.of(generator, window.to());
                TimeWindow half = new TimeWindow(FROM, FROM.plus(WINDOW.dividedBy(2)));
                Truth halfTruth = Truth.of(generator, half.to());
                loads.add(new Load(mix.label(), loaded, loadSeconds, storeBytes(node, index), truth.groups(),
                        truth.events(), truth.keywordEvents()));
                Main.log("loaded %,d documents in %.1f s; %,d error events, %,d distinct (project, message)",
                        loaded, loadSeconds, truth.events(), truth.groups());
                results.addAll(measure(mix, client, hosts, index, window, truth, half, halfTruth, heap, cost));
                coldAndProbe(mix, node, hosts, index, window, truth, cost, proxy, cold, probes);
                if (options.halfMixes().contains(mix)) {
                    capped.add(capped(mix, hosts, index, window, truth));
                }
                node.request("DELETE", "/" + index, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Report(loads, results, nodeInfo, capped, cold, probes, cost.cpuSource(), idle);
    }

    /** Stream mode over the whole window in a JVM whose heap is capped at {@code options.cappedHeapMb()}. */
    private Capped capped(MixGenerator.Mix mix, String hosts, String index, TimeWindow window, Truth truth) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(javaBin, "-Xmx" + options.cappedHeapMb() + "m", "-cp",
                System.getProperty("java.class.path"), CappedRun.class.getName(), hosts, index,
                window.from().toString(), window.to().toString(), "stream", Integer.toString(options.pageSize()));
        try {
            long start = System.nanoTime();
            Path errors = java.nio.file.Files.createTempFile("capped-run", ".log");
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .strip();
            int exit = process.waitFor();
            String err = java.nio.file.Files.readString(errors);
            java.nio.file.Files.deleteIfExists(errors);
            double seconds = (System.nanoTime() - start) / 1e9;
            String[] parts = out.isEmpty() ? new String[0] : out.split(" ");
            boolean ok = exit == 0 && parts.length == 3 && Long.parseLong(parts[0]) == truth.events();
            Main.log("%s capped stream run (-Xmx%dm): exit %d, %s %s", mix.label(), options.cappedHeapMb(), exit, out,
                    ok ? "" : err.lines().filter(l -> l.contains("Error") || l.contains("Exception")).findFirst()
                            .orElse(""));
            return new Capped(mix.label(), options.cappedHeapMb(), ok, parts.length == 3 ? Long.parseLong(parts[0]) : 0,
                    parts.length == 3 ? Long.parseLong(parts[2]) : 0, seconds, exit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Result> measure(MixGenerator.Mix mix, ElasticsearchClient client, String hosts, String index,
            TimeWindow window, Truth truth, TimeWindow half, Truth halfTruth, HeapMeter heap, NodeCost cost) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        Map<String, Variant> variants = new LinkedHashMap<>();
        descriptions.put("a", "Elasticsearch composite aggregation (limit)");
        variants.put("a", verify -> composite(client, index, window, truth, verify));
        if (options.subMixes().contains(mix)) {
            descriptions.put("a-sub", "composite + min/max/top_hits(1) per bucket, as aggregate mode asked before issue 14 (diagnostic)");
            variants.put("a-sub", verify -> compositeWithSubAggregations(client, index, window, truth));
        }
        descriptions.put("e", "bare PIT + search_after scan (limit)");
        variants.put("e", verify -> scan(client, index, window, truth, verify));
        List<ElasticsearchLogSource> sources = new ArrayList<>();
        for (String[] mode : new String[][] {{"b", "aggregate"}, {"c", "stream"}, {"f", "auto"}}) {
            ElasticsearchLogSource source = source(hosts, index, mode[1]);
            sources.add(source);
            descriptions.put(mode[0], "pipeline, source mode " + mode[1]);
            variants.put(mode[0], verify -> pipeline(source, window, truth, verify));
        }
        descriptions.put("d", "original script: one search, size 10000");
        variants.put("d", verify -> script(client, index, window, truth));
        if (options.halfMixes().contains(mix)) {
            ElasticsearchLogSource halfSource = source(hosts, index, "stream");
            sources.add(halfSource);
            descriptions.put("c-half", "pipeline, stream mode, first half of the window");
            variants.put("c-half", verify -> pipeline(halfSource, half, halfTruth, verify));
        }

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<Long>> peaks = new HashMap<>();
        Map<String, List<NodeCost.Cost>> costs = new HashMap<>();
        Map<String, Outcome> verified = new HashMap<>();
        Map<String, Integer> wanted = new HashMap<>();
        try {
            // round 0 warms the client and the node up with one unmeasured, verifying read of each kind (aggregate
            // and stream); every other variant verifies on its first measured run (the check costs one hash per
            // event, about 1 % of a run)
            for (int rep = 0; rep <= options.reps(); rep++) {
                for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                    String key = variant.getKey();
                    boolean warmUp = rep == 0;
                    if (warmUp && !(mix == options.mixes().get(0) ? WARM_UPS : LATER_WARM_UPS).contains(key)) {
                        continue;
                    }
                    int want = wanted.getOrDefault(key, options.reps());
                    if (key.equals("c-half")) {
                        want = Math.min(want, options.halfReps());
                    }
                    if (!warmUp && seconds.getOrDefault(key, List.of()).size() >= want) {
                        continue;
                    }
                    boolean verify = !verified.containsKey(key);
                    heap.begin();
                    double[] time = new double[1];
                    NodeCost.Measured<Outcome> measured = cost.during(() -> {
                        long start = System.nanoTime();
                        Outcome result = variant.getValue().run(verify);
                        time[0] = (System.nanoTime() - start) / 1e9;
                        return result;
                    });
                    Outcome outcome = measured.result();
                    double elapsed = time[0];
                    long peak = heap.end();
                    if (verify) {
                        verified.put(key, new Outcome(outcome.events(), outcome.groups(), null, outcome.check()));
                        // a variant too slow for the time budget gets fewer measured runs; the report says so
                        wanted.put(key, elapsed > options.slowSeconds()
                                ? Math.min(options.slowReps(), options.reps()) : options.reps());
                        Main.log("%s %-6s verified: %s", mix.label(), key, outcome.check().text());
                    } else if (!outcome.check().exact() && verified.get(key).check().exact()) {
                        throw new IllegalStateException(key + " counted differently in run " + rep + ": "
                                + outcome.check().text());
                    }
                    if (warmUp) {
                        Main.log("%s %-6s warm-up: %.2f s", mix.label(), key, elapsed);
                        continue;
                    }
                    seconds.computeIfAbsent(key, k -> new ArrayList<>()).add(elapsed);
                    peaks.computeIfAbsent(key, k -> new ArrayList<>()).add(peak);
                    costs.computeIfAbsent(key, k -> new ArrayList<>()).add(measured.cost());
                    Main.log("%s %-6s run %d: %.2f s, peak live heap +%.1f MB; node: %s", mix.label(), key, rep,
                            elapsed, peak / 1048576.0, measured.cost());
                }
            }
        } finally {
            sources.forEach(ElasticsearchLogSource::close);
        }
        List<Result> results = new ArrayList<>();
        for (String key : variants.keySet()) {
            Outcome outcome = verified.get(key);
            results.add(new Result(mix.label(), key, descriptions.get(key), seconds.get(key), peaks.get(key),
                    outcome.events(), outcome.groups(), outcome.check().exact(), outcome.check().text(),
                    costs.get(key)));
        }
        return results;
    }

    // ---- the first read after a refresh, and auto's probe

    /**
     * For each variant of {@code options.cold()}: adds a segment (one document outside the window, then a refresh, as
     * a live index does every second) and reads the window once, so that whatever the node caches per reader (global
     * ordinals above all) is built again within the measured read. Auto mode reads through the recording proxy, so
     * that its probe is timed and costed on its own; it then reads once more without a refresh (warm).
     */
    private void coldAndProbe(MixGenerator.Mix mix, ElasticsearchNode node, String hosts, String index,
            TimeWindow window, Truth truth, NodeCost cost, RecordingProxy proxy, List<ColdRun> cold,
            List<Probe> probes) {
        Map<String, String> modes = Map.of("b", "aggregate", "c", "stream", "f", "auto");
        for (String key : options.cold()) {
            String mode = modes.get(key);
            if (mode == null) {
                throw new IllegalArgumentException("--cold takes variants among b, c, f, not " + key);
            }
            boolean auto = key.equals("f");
            try (ElasticsearchLogSource source = source(auto ? proxy.hosts() : hosts, index, mode)) {
                for (String when : auto ? List.of("first read after a refresh", "next read, no refresh")
                        : List.of("first read after a refresh")) {
                    boolean refreshed = when.startsWith("first");
                    if (refreshed) {
                        newSegment(node, index);
                    }
                    proxy.newRun();
                    double[] time = new double[1];
                    NodeCost.Measured<Outcome> measured = cost.during(() -> {
                        long start = System.nanoTime();
                        Outcome result = pipeline(source, window, truth, false);
                        time[0] = (System.nanoTime() - start) / 1e9;
                        return result;
                    });
                    Main.log("%s %-6s %s: %.2f s; node: %s", mix.label(), key, when, time[0], measured.cost());
                    if (refreshed) {
                        cold.add(new ColdRun(mix.label(), key, "pipeline, source mode " + mode
                                + (auto ? " (through the recording proxy)" : ""), time[0], measured.cost(),
                                measured.result().check().exact()));
                    }
                    if (auto) {
                        List<RecordingProxy.Exchange> probe = proxy.probe();
                        double seconds = probe.stream().mapToDouble(RecordingProxy.Exchange::seconds).sum();
                        List<NodeCost.Cost> costs = probe.stream().map(x -> x.cost().orElseThrow()).toList();
                        long cpu = costs.stream().mapToLong(NodeCost.Cost::cpuMillis).sum();
                        long ordinals = costs.stream().mapToLong(NodeCost.Cost::globalOrdinalsMillis).sum();
                        String fields = String.join("; ", costs.stream().map(NodeCost.Cost::globalOrdinalsFields)
                                .filter(f -> !f.isEmpty()).toList());
                        probes.add(new Probe(mix.label(), when, probe.size(), seconds, cpu, ordinals, fields,
                                time[0], measured.cost().cpuMillis()));
                        Main.log("%s probe (%s): %d searches, %.3f s, node CPU %d ms, global ordinals %d ms %s",
                                mix.label(), when, probe.size(), seconds, cpu, ordinals, fields);
                    }
                }
            }
        }
    }

    /** One document outside the window and a refresh: a new segment, so a new reader, as on a live index. */
    private static void newSegment(ElasticsearchNode node, String index) {
        node.request("POST", "/" + index + "/_doc?refresh=true", "{\"@timestamp\":\"" + FROM.minus(Duration.ofDays(1))
                + "\",\"loglevel\":\"INFO\",\"projectname\":\"bench\",\"msg\":\"a new segment at "
                + System.nanoTime() + "\"}");
    }

    // ---- (a) the composite aggregation alone

    private Outcome composite(ElasticsearchClient client, String index, TimeWindow window, Truth truth,
            boolean verify) {
        Truth.Multiset counted = new Truth.Multiset();
        long buckets = compositePages(client, index, windowQuery(window), options.pageSize(), Map.of(), bucket -> {
            if (verify) {
                FieldValue project = bucket.key().get("project");
                counted.add(project == null || project.isNull() ? LogEvent.NO_PROJECT : project.stringValue(),
                        bucket.key().get("message").stringValue(), bucket.docCount());
            } else {
                counted.add(0, bucket.docCount());
            }
        });
        boolean exact = counted.events() == truth.keywordEvents()
                && (!verify || counted.value() == truth.keywordDigest());
        long uncounted = truth.events() - counted.events();
        return new Outcome(counted.events(), buckets, null, new Check(exact, (exact
                ? "exact for the messages with a keyword value; "
                : "NOT exact even for keyword messages; ") + String.format(Locale.ROOT,
                "%,d events with a message over 256 characters not counted", uncounted)));
    }

    /** What the source's aggregate mode asks Elasticsearch for, without the client's work on the answer. */
    private Outcome compositeWithSubAggregations(ElasticsearchClient client, String index, TimeWindow window,
            Truth truth) {
        Query query = Query.of(q -> q.bool(b -> b.filter(windowQuery(window))
                .filter(f -> f.exists(x -> x.field("msg.keyword")))));
        Map<String, co.elastic.clients.elasticsearch._types.aggregations.Aggregation> perBucket = new LinkedHashMap<>();
        perBucket.put("first", co.elastic.clients.elasticsearch._types.aggregations.Aggregation.of(a -> a
                .min(m -> m.field("@timestamp").format("strict_date_optional_time_nanos"))));
        perBucket.put("last", co.elastic.clients.elasticsearch._types.aggregations.Aggregation.of(a -> a
                .max(m -> m.field("@timestamp").format("strict_date_optional_time_nanos"))));
        perBucket.put("sample", co.elastic.clients.elasticsearch._types.aggregations.Aggregation.of(a -> a
                .topHits(t -> t.size(1).source(s -> s.filter(f -> f.includes(FIELDS)))
                        .sort(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Desc))))));
        long[] events = {0};
        long buckets = compositePages(client, index, query, options.pageSize(), perBucket,
                bucket -> events[0] += bucket.docCount());
        boolean exact = events[0] == truth.keywordEvents();
        return new Outcome(events[0], buckets, null, new Check(exact, exact ? "keyword messages only, as (a)"
                : String.format(Locale.ROOT, "counted %,d of %,d keyword events", events[0],
                        truth.keywordEvents())));
    }

    /**
     * Pages a composite aggregation on project (missing bucket) and message keyword over {@code query}, with
     * {@code perBucket} sub-aggregations, handing every bucket to {@code onBucket}.
     *
     * @return the number of buckets
     */
    static long compositePages(ElasticsearchClient client, String index, Query query, int pageSize,
            Map<String, co.elastic.clients.elasticsearch._types.aggregations.Aggregation> perBucket,
            Consumer<CompositeBucket> onBucket) {
        List<Map<String, CompositeAggregationSource>> sources = List.of(
                Map.of("project", CompositeAggregationSource.of(s -> s.terms(t -> t.field("projectname.keyword")
                        .missingBucket(true)))),
                Map.of("message", CompositeAggregationSource.of(s -> s.terms(t -> t.field("msg.keyword")))));
        long buckets = 0;
        Map<String, FieldValue> after = null;
        try {
            while (true) {
                Map<String, FieldValue> afterKey = after;
                SearchResponse<Void> page = client.search(s -> s.index(index).size(0).query(query)
                        .trackTotalHits(t -> t.enabled(false))
                        .aggregations("groups", a -> {
                            var composite = a.composite(c -> {
                                c.size(pageSize).sources(sources);
                                if (afterKey != null) {
                                    c.after(afterKey);
                                }
                                return c;
                            });
                            return perBucket.isEmpty() ? composite : composite.aggregations(perBucket);
                        }), Void.class);
                CompositeAggregate groups = page.aggregations().get("groups").composite();
                List<CompositeBucket> list = groups.buckets().array();
                list.forEach(onBucket);
                buckets += list.size();
                if (list.size() < pageSize || groups.afterKey() == null || groups.afterKey().isEmpty()) {
                    return buckets;
                }
                after = groups.afterKey();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- (e) the bare scan

    Outcome scan(ElasticsearchClient client, String index, TimeWindow window, Truth truth, boolean verify) {
        Query query = windowQuery(window);
        Time keepAlive = Time.of(t -> t.time("2m"));
        SourceConfig source = SourceConfig.of(s -> s.filter(f -> f.includes(FIELDS)));
        List<SortOptions> sort = List.of(
                SortOptions.of(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Asc))),
                SortOptions.of(s -> s.field(f -> f.field("_shard_doc").order(SortOrder.Asc))));
        Truth.Multiset counted = new Truth.Multiset();
        long hits = 0;
        try {
            String pit = client.openPointInTime(o -> o.index(index).keepAlive(keepAlive)).id();
            try {
                List<FieldValue> after = null;
                while (true) {
                    String pitId = pit;
                    List<FieldValue> searchAfter = after;
                    SearchResponse<JsonNode> page = client.search(s -> {
                        s.pit(p -> p.id(pitId).keepAlive(keepAlive)).size(options.pageSize()).query(query)
                                .trackTotalHits(t -> t.enabled(false)).sort(sort).source(source);
                        if (searchAfter != null) {
                            s.searchAfter(searchAfter);
                        }
                        return s;
                    }, JsonNode.class);
                    if (page.pitId() != null) {
                        pit = page.pitId();
                    }
                    List<Hit<JsonNode>> list = page.hits().hits();
                    hits += list.size();
                    if (verify) {
                        for (Hit<JsonNode> hit : list) {
                            counted.add(hit.source().path("projectname").asText(), hit.source().path("msg").asText(),
                                    1);
                        }
                    }
                    if (list.size() < options.pageSize()) {
                        break;
                    }
                    after = list.get(list.size() - 1).sort();
                }
            } finally {
                String pitId = pit;
                client.closePointInTime(c -> c.id(pitId));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean exact = hits == truth.events() && (!verify || counted.value() == truth.digest());
        return new Outcome(hits, 0, null, new Check(exact, exact ? "every document read once"
                : String.format(Locale.ROOT, "read %,d documents of %,d", hits, truth.events())));
    }

    // ---- (d) the original script: one search of size 10000, counted in Java

    private Outcome script(ElasticsearchClient client, String index, TimeWindow window, Truth truth) {
        Query query = windowQuery(window);
        Map<Long, Long> counts = new HashMap<>();
        try {
            SearchResponse<JsonNode> response = client.search(s -> s.index(index).size(10_000).query(query)
                    .sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc)))
                    .source(c -> c.filter(f -> f.includes("projectname", "msg"))), JsonNode.class);
            for (Hit<JsonNode> hit : response.hits().hits()) {
                counts.merge(Truth.Multiset.key(hit.source().path("projectname").asText(),
                        hit.source().path("msg").asText()), 1L, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ScriptComparison comparison = ScriptComparison.of(counts, truth);
        return new Outcome(comparison.countedEvents(), counts.size(), counts, new Check(comparison.exact(),
                String.format(Locale.ROOT, "missed %,d of %,d events (%.1f %%); %,d of %,d groups never seen, "
                        + "%,d undercounted, %,d exact", comparison.missedEvents(), comparison.truthEvents(),
                        comparison.missedPercent(), comparison.missedGroups(), comparison.truthGroups(),
                        comparison.undercountGroups(), comparison.exactGroups())));
    }

    // ---- (b), (c), (f): the whole pipeline

    private ElasticsearchLogSource source(String hosts, String index, String mode) {
        return source(hosts, index, mode, options.pageSize(), options.sourceSettings());
    }

    /**
     * A source on {@code index}; {@code extra} settings (e.g. {@code max-slices}) are passed by key, only when asked
     * for, so that the harness runs against a source that does not know them yet.
     */
    static ElasticsearchLogSource source(String hosts, String index, String mode, int pageSize,
            Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("hosts", hosts, "index", index, "mode", mode,
                "page-size", Integer.toString(pageSize), "request-timeout", "120s"));
        settings.putAll(extra);
        return ElasticsearchLogSource.create(PluginConfig.of(settings));
    }

    Outcome pipeline(ElasticsearchLogSource source, TimeWindow window, Truth truth, boolean verify) {
        CheckingAggregator aggregator = new CheckingAggregator(Plugins.create(AggregatorProvider.class, AGGREGATOR,
                PluginConfig.empty(), EndToEnd.class.getClassLoader()), verify);
        RecordingAlertSink sink = new RecordingAlertSink();
        Duration length = window.duration();
        RunReport report;
        try (AlertPipeline pipeline = AlertPipeline.builder().id("bench").source(source).aggregator(aggregator)
                .addSink(sink).clock(new ManualClock(window.to())).queryDelay(Duration.ZERO).interval(length)
                .maxWindow(length).initialLookback(length).build()) {
            report = pipeline.runOnce();
        }
        if (report.sourceFailure().isPresent()) {
            throw new IllegalStateException("the pipeline could not read the window: " + report.sourceFailure()
                    .get());
        }
        if (!report.window().equals(java.util.Optional.of(window))) {
            throw new IllegalStateException("the pipeline read " + report.window() + ", not " + window);
        }
        Map<String, Long> perProject = new HashMap<>();
        for (Digest digest : report.digests()) {
            perProject.merge(digest.project(), digest.totalEvents(), Long::sum);
        }
        long grouped = 0;
        for (ErrorGroup group : aggregator.last.groups()) {
            grouped += group.count();
        }
        boolean exact = report.eventsRead() == truth.events() && grouped == truth.events()
                && perProject.equals(truth.perProject())
                && (!verify || aggregator.counted.value() == truth.digest());
        String text = exact
                ? (verify ? "exact: every (project, message) counted with its true count; " : "")
                        + String.format(Locale.ROOT, "%,d events in %,d %s groups, %d digests", report.eventsRead(),
                                report.groupCount(), AGGREGATOR, report.digests().size())
                : String.format(Locale.ROOT, "NOT exact: read %,d events, groups hold %,d, of %,d; per project %s",
                        report.eventsRead(), grouped, truth.events(),
                        perProject.equals(truth.perProject()) ? "equal" : "different");
        return new Outcome(report.eventsRead(), report.groupCount(), List.of(report, aggregator.last),
                new Check(exact, text));
    }

    /** Counts through the real aggregator and, on a verifying run, fingerprints what it was handed. */
    private static final class CheckingAggregator implements Aggregator {
        private final Aggregator delegate;
        private final boolean verify;
        private final Truth.Multiset counted = new Truth.Multiset();
        private Aggregation last;

        CheckingAggregator(Aggregator delegate, boolean verify) {
            this.delegate = delegate;
            this.verify = verify;
        }

        @Override
        public Aggregation start() {
            Aggregation inner = delegate.start();
            last = inner;
            if (!verify) {
                return inner;
            }
            return new Aggregation() {
                @Override
                public String add(LogEvent event) {
                    counted.add(event.project(), event.message(), event.occurrences());
                    return inner.add(event);
                }

                @Override
                public List<ErrorGroup> groups() {
                    return inner.groups();
                }
            };
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    // ---- helpers

    /**
     * The index: {@code shards} primaries, no replica; {@code live}: refreshed every second as the node does by
     * default (for latency), else refreshed only when the loader asks.
     */
    static String index(int shards, boolean live) {
        return "{\"settings\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0,"
                + (live ? "" : "\"refresh_interval\":\"-1\",") + "\"requests.cache.enable\":false},"
                + "\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"},"
                + "\"projectname\":" + textAndKeyword() + ",\"loglevel\":" + textAndKeyword() + ",\"msg\":"
                + textAndKeyword() + ",\"threadname\":{\"type\":\"keyword\",\"ignore_above\":256},"
                + "\"logger_name\":{\"type\":\"keyword\",\"ignore_above\":256},"
                + "\"stack_trace\":{\"type\":\"text\",\"index\":false}}}}";
    }

    private static String textAndKeyword() {
        return "{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\",\"ignore_above\":256}}}";
    }

    private static Query windowQuery(TimeWindow window) {
        return Query.of(q -> q.bool(b -> b
                .filter(f -> f.range(r -> r.date(d -> d.field("@timestamp").gte(window.from().toString())
                        .lt(window.to().toString()).format("strict_date_optional_time_nanos"))))
                .filter(f -> f.term(t -> t.field("loglevel.keyword").value(FieldValue.of("ERROR"))
                        .caseInsensitive(true)))));
    }

    /** Two bulk loaders at once (the first half of the errors, then the second half and the noise). */
    static long load(ElasticsearchNode node, String index, MixGenerator generator) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Long> first = pool.submit(() -> BulkLoader.loadDocuments(node, index,
                    generator.errorDocs(0, 2).map(LogGenerator.Log::document)));
            java.util.concurrent.Future<Long> second = pool.submit(() -> BulkLoader.loadDocuments(node, index,
                    Stream.concat(generator.errorDocs(1, 2), generator.noiseDocs()).map(LogGenerator.Log::document)));
            return first.get() + second.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("loading failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static void forceMerge(ElasticsearchNode node, String index) {
        try {
            String answer = node.request("POST", "/" + index + "/_forcemerge?max_num_segments=1"
                    + "&wait_for_completion=false", null);
            String task = JSON.readTree(answer).path("task").asText();
            while (true) {
                JsonNode status = JSON.readTree(node.request("GET", "/_tasks/" + task
                        + "?wait_for_completion=true&timeout=90s", null));
                if (status.path("completed").asBoolean()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node.request("POST", "/" + index + "/_refresh", null);
    }

    private static long storeBytes(ElasticsearchNode node, String index) {
        try {
            return JSON.readTree(node.request("GET", "/" + index + "/_stats/store", null)).path("_all")
                    .path("primaries").path("store").path("size_in_bytes").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nodeInfo(ElasticsearchNode node) {
        try {
            JsonNode nodes = JSON.readTree(node.request("GET", "/_nodes/jvm", null)).path("nodes");
            JsonNode first = nodes.elements().next();
            return "Elasticsearch " + first.path("version").asText() + ", heap "
                    + first.path("jvm").path("mem").path("heap_max_in_bytes").asLong() / 1048576 + " MB, JVM "
                    + first.path("jvm").path("version").asText() + ", 1 shard, 0 replicas, force-merged to 1 segment, "
                    + "shard request cache off";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
