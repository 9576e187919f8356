package io.logalert.benchmarks;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
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
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.LogSource;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import io.logalert.spi.SampleDetails;
import io.logalert.spi.SampleRequest;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Aggregate mode against Elasticsearch's own composite aggregation, side by side in one process on one real node
 * (issue #14, item 2): per mix, interleaved, the bare composite aggregation (a), the same with the per-bucket
 * min/max that aggregate mode keeps (a-minmax), with min/max and the {@code top_hits(1)} sample that it asked for
 * before (a-old, the old mode's request without its client work: a lower bound of the old pipeline), and the whole
 * pipeline in aggregate mode (b), which also times its one sample-detail request. Not wired into {@link Main}:
 *
 * <pre>
 * mvn -B -q -Pbenchmarks -pl alert-benchmarks -am -DskipTests package
 * java -Xms2g -Xmx2g -cp alert-benchmarks/target/benchmarks.jar io.logalert.benchmarks.AggregateCost \
 *     --errors=300000 --reps=5 --mixes=verbatim,ids
 * </pre>
 */
public final class AggregateCost {

    private static final Instant FROM = Instant.parse("2025-01-06T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(FROM, FROM.plus(Duration.ofHours(1)));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEYWORD = "{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\","
            + "\"ignore_above\":256}}}";
    /** As EndToEnd maps the benchmark index: one shard, one segment, the request cache off. */
    private static final String INDEX = "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
            + "\"refresh_interval\":\"-1\",\"requests.cache.enable\":false},\"mappings\":{\"properties\":{"
            + "\"@timestamp\":{\"type\":\"date\"},\"projectname\":" + KEYWORD + ",\"loglevel\":" + KEYWORD
            + ",\"msg\":" + KEYWORD + ",\"threadname\":{\"type\":\"keyword\",\"ignore_above\":256},"
            + "\"logger_name\":{\"type\":\"keyword\",\"ignore_above\":256},"
            + "\"stack_trace\":{\"type\":\"text\",\"index\":false}}}}";
    private static final List<String> FIELDS = List.of("loglevel", "projectname", "threadname", "msg",
            "logger_name", "stack_trace");
    private static final int PAGE = 1000;

    private AggregateCost() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            opts.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "" : arg.substring(eq + 1));
        }
        int errors = Integer.parseInt(opts.getOrDefault("errors", "300000"));
        int reps = Integer.parseInt(opts.getOrDefault("reps", "5"));
        List<MixGenerator.Mix> mixes = java.util.Arrays.stream(opts.getOrDefault("mixes", "verbatim,ids").split(","))
                .map(m -> MixGenerator.Mix.valueOf(m.trim().toUpperCase(Locale.ROOT))).toList();
        StringBuilder table = new StringBuilder("| mix | docs | buckets | variant | median s | min s | max s | "
                + "× a | exact |\n|---|---|---|---|---|---|---|---|---|\n");
        try (ElasticsearchNode node = ElasticsearchNode.start();
                RestClient rest = RestClient.builder(HttpHost.create(node.uri().toString().replaceAll("/$", "")))
                        .setRequestConfigCallback(c -> c.setSocketTimeout(300_000)).build()) {
            ElasticsearchClient client = new ElasticsearchClient(new RestClientTransport(rest,
                    new JacksonJsonpMapper(JSON)));
            String hosts = node.uri().toString().replaceAll("/$", "");
            for (MixGenerator.Mix mix : mixes) {
                String index = "cost-" + mix.label();
                MixGenerator generator = new MixGenerator(42, mix, errors, 0, WINDOW);
                node.request("PUT", "/" + index, INDEX);
                long loaded = BulkLoader.loadDocuments(node, index, generator.errorDocs(0, 1)
                        .map(LogGenerator.Log::document));
                node.request("POST", "/" + index + "/_forcemerge?max_num_segments=1", null);
                node.request("POST", "/" + index + "/_refresh", null);
                Truth truth = Truth.of(generator, WINDOW.to());
                Main.log("%s: %,d documents, %,d error events, %,d distinct (project, message)", mix.label(), loaded,
                        truth.events(), truth.groups());
                measure(mix, client, hosts, index, truth, reps, table);
                node.request("DELETE", "/" + index, null);
            }
        }
        System.out.println();
        System.out.print(table);
    }

    private static void measure(MixGenerator.Mix mix, ElasticsearchClient client, String hosts, String index,
            Truth truth, int reps, StringBuilder table) {
        Map<String, Aggregation> minMax = new LinkedHashMap<>();
        minMax.put("first", Aggregation.of(a -> a.min(m -> m.field("@timestamp"))));
        minMax.put("last", Aggregation.of(a -> a.max(m -> m.field("@timestamp"))));
        Map<String, Aggregation> old = new LinkedHashMap<>(minMax);
        old.put("sample", Aggregation.of(a -> a.topHits(t -> t.size(1).source(s -> s.filter(f -> f.includes(FIELDS)))
                .sort(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Desc))))));
        Map<String, Supplier<String>> variants = new LinkedHashMap<>();
        long[] buckets = {0};
        variants.put("a", () -> {
            long[] events = {0};
            buckets[0] = composite(client, index, Map.of(), b -> events[0] += b.docCount());
            return events[0] == truth.keywordEvents() ? "yes (keyword messages)" : "NO";
        });
        variants.put("a-minmax", () -> {
            long[] events = {0};
            composite(client, index, minMax, b -> events[0] += b.docCount());
            return events[0] == truth.keywordEvents() ? "yes (keyword messages)" : "NO";
        });
        variants.put("a-old", () -> {
            long[] events = {0};
            composite(client, index, old, b -> events[0] += b.docCount());
            return events[0] == truth.keywordEvents() ? "yes (keyword messages)" : "NO";
        });
        ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", hosts,
                "index", index, "mode", "aggregate", "page-size", Integer.toString(PAGE),
                "request-timeout", "120s")));
        TimedDetails timed = new TimedDetails(source);
        variants.put("b", () -> pipeline(timed, truth));
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, String> exact = new HashMap<>();
        List<Double> detailSeconds = new ArrayList<>();
        List<Double> readSeconds = new ArrayList<>();
        List<Integer> detailSamples = new ArrayList<>();
        try (source) {
            // round 0 warms the node (global ordinals of the new index) and the client up, unmeasured
            for (int rep = 0; rep <= reps; rep++) {
                for (Map.Entry<String, Supplier<String>> variant : variants.entrySet()) {
                    timed.reset();
                    long start = System.nanoTime();
                    String verdict = variant.getValue().get();
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    exact.merge(variant.getKey(), verdict, (a, b) -> a.equals(b) ? a : a + " / " + b);
                    if (rep == 0) {
                        Main.log("%s %-8s warm-up %.3f s: %s", mix.label(), variant.getKey(), elapsed, verdict);
                        continue;
                    }
                    seconds.computeIfAbsent(variant.getKey(), k -> new ArrayList<>()).add(elapsed);
                    if (variant.getKey().equals("b")) {
                        detailSeconds.add(timed.seconds);
                        readSeconds.add(timed.readSeconds);
                        detailSamples.add(timed.samples);
                    }
                    Main.log("%s %-8s run %d: %.3f s%s", mix.label(), variant.getKey(), rep, elapsed,
                            variant.getKey().equals("b") ? String.format(Locale.ROOT, " (source.read %.3f s, "
                                    + "details %.3f s)", timed.readSeconds, timed.seconds) : "");
                }
            }
        }
        double a = Stats.median(seconds.get("a"));
        seconds.forEach((key, list) -> table.append(String.format(Locale.ROOT,
                "| %s | %,d | %,d | %s | %.3f | %.3f | %.3f | %.2f | %s |%n", mix.label(), truth.events(), buckets[0],
                key, Stats.median(list), list.stream().mapToDouble(d -> d).min().orElse(0),
                list.stream().mapToDouble(d -> d).max().orElse(0), Stats.median(list) / a, exact.get(key))));
        table.append(String.format(Locale.ROOT, "| %s | | | b: source.read (consumer's grouping included) | %.3f | %.3f "
                + "| %.3f | %.2f | |%n", mix.label(), Stats.median(readSeconds),
                readSeconds.stream().mapToDouble(d -> d).min().orElse(0),
                readSeconds.stream().mapToDouble(d -> d).max().orElse(0), Stats.median(readSeconds) / a));
        table.append(String.format(Locale.ROOT, "| %s | | | b: its one sample request | %.3f | %.3f | %.3f "
                + "| %.2f | %s samples per run |%n", mix.label(), Stats.median(detailSeconds),
                detailSeconds.stream().mapToDouble(d -> d).min().orElse(0),
                detailSeconds.stream().mapToDouble(d -> d).max().orElse(0), Stats.median(detailSeconds) / a,
                detailSamples));
        Main.log("%s done:%n%s", mix.label(), table);
    }

    /** The whole pipeline in aggregate mode over the window, fingerprint aggregator, exact counts checked. */
    private static String pipeline(LogSource source, Truth truth) {
        RecordingAlertSink sink = new RecordingAlertSink();
        Duration length = WINDOW.duration();
        RunReport report;
        try (AlertPipeline pipeline = AlertPipeline.builder().id("cost").source(source)
                .aggregator(Plugins.create(AggregatorProvider.class, "fingerprint", PluginConfig.empty(),
                        AggregateCost.class.getClassLoader()))
                .addSink(sink).clock(new ManualClock(WINDOW.to())).queryDelay(Duration.ZERO).interval(length)
                .maxWindow(length).initialLookback(length).build()) {
            report = pipeline.runOnce();
        }
        if (report.sourceFailure().isPresent() || !report.window().equals(java.util.Optional.of(WINDOW))) {
            throw new IllegalStateException("the pipeline did not read " + WINDOW + ": " + report);
        }
        Map<String, Long> perProject = new HashMap<>();
        for (Digest digest : report.digests()) {
            perProject.merge(digest.project(), digest.totalEvents(), Long::sum);
        }
        long withThread = report.digests().stream().flatMap(d -> d.groups().stream())
                .filter(g -> !g.sampleThread().isEmpty()).count();
        long shown = report.digests().stream().mapToLong(d -> d.groups().size()).sum();
        boolean ok = report.eventsRead() == truth.events() && perProject.equals(truth.perProject());
        // the node's clock is the real one, the pipeline's the benchmark window's: that warning is expected
        List<String> warnings = report.warnings().stream().filter(w -> !w.contains("clock")).toList();
        return (ok ? "yes" : "NO") + String.format(Locale.ROOT, " (%,d events, %,d groups; %d/%d shown groups with "
                + "their sample's thread; warnings %s)", report.eventsRead(), report.groupCount(), withThread, shown,
                warnings);
    }

    /** Pages the composite aggregation on project (missing bucket) and message keyword over the window's errors. */
    private static long composite(ElasticsearchClient client, String index, Map<String, Aggregation> perBucket,
            Consumer<CompositeBucket> onBucket) {
        Query query = Query.of(q -> q.bool(b -> b
                .filter(f -> f.range(r -> r.date(d -> d.field("@timestamp").gte(WINDOW.from().toString())
                        .lt(WINDOW.to().toString()))))
                .filter(f -> f.term(t -> t.field("loglevel.keyword").value(FieldValue.of("ERROR"))
                        .caseInsensitive(true)))
                .filter(f -> f.exists(e -> e.field("msg.keyword")))));
        return EndToEnd.compositePages(client, index, query, PAGE, perBucket, onBucket);
    }


    /** The source, timing its one details call per run. */
    private static final class TimedDetails implements LogSource {
        private final ElasticsearchLogSource delegate;
        private double seconds;
        private double readSeconds;
        private int samples;

        TimedDetails(ElasticsearchLogSource delegate) {
            this.delegate = delegate;
        }

        void reset() {
            seconds = 0;
            readSeconds = 0;
            samples = 0;
        }

        @Override
        public void read(TimeWindow window, Consumer<LogEvent> consumer) {
            long start = System.nanoTime();
            try {
                delegate.read(window, consumer);
            } finally {
                readSeconds += (System.nanoTime() - start) / 1e9;
            }
        }

        @Override
        public Map<SampleRequest, SampleDetails> details(List<SampleRequest> requests) {
            long start = System.nanoTime();
            try {
                return delegate.details(requests);
            } finally {
                seconds += (System.nanoTime() - start) / 1e9;
                samples += requests.size();
            }
        }

        @Override
        public java.util.Optional<Instant> now() {
            return delegate.now();
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }
}
