package io.logalert.benchmarks;

import io.logalert.source.elasticsearch.ElasticsearchNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints Markdown tables (also written to {@code --out}, default
 * {@code benchmark-results.md}).
 *
 * <pre>
 * java -jar alert-benchmarks/target/benchmarks.jar [all|smoke|jmh|e2e|scaling|latency|dingtalk] [--key=value ...]
 *   smoke                every part at small sizes (see {@link #SMOKE}); options given still win
 *   --events=1000000     JMH: messages per window
 *   --errors=1000000     e2e: ERROR documents in the window, per mix
 *   --noise=100000       e2e: other documents (INFO/WARN, and errors outside the window), per mix
 *   --reps=5             e2e: measured repetitions per variant (after one verifying run)
 *   --slow-seconds=30 --slow-reps=2   e2e: a variant whose verifying run took longer gets only slow-reps runs
 *   --half=verbatim --half-reps=3   e2e: mixes where stream mode also reads half the window (heap vs.
 *                        volume), and its measured runs
 *   --sub=verbatim       e2e: mixes where the diagnostic a-sub runs (composite with aggregate mode's sub-aggregations)
 *   --page-size=5000     e2e: documents or buckets per page, every variant
 *   --mixes=verbatim,ids e2e: which mixes
 *   --projects=1000      dingtalk: projects erroring at once
 *   --jmh-mixes=ids      JMH: mixes (ids, verbatim)
 *   --warmups=4 --warmup-seconds=4 --iterations=5 --iteration-seconds=4 --forks=1   JMH
 *   --capped-heap-mb=64  e2e: -Xmx of the separate stream-mode run over the whole window
 *   --cold=b,c,f         e2e: variants read once more right after a refresh that adds a segment (auto through
 *                        the recording proxy, which times its probe); empty for none
 *   --source-settings=max-slices=4;...   e2e: extra settings for every pipeline source (keys the source knows)
 *   --scaling-errors=300000 --scaling-noise=30000 --scaling-reps=3 --shards=1,2,4   scaling: the ids window
 *   --slices=1,2,4       scaling: pipeline variants with max-slices (default 1,2,4; empty: the source's default only)
 *   --latency=default,short --latency-errors=50   latency: settings (default = interval 1 min / queryDelay 30 s,
 *                        short = 10 s / 5 s) and errors per setting, spread over one interval
 *   --out=benchmark-results.md
 * </pre>
 */
public final class Main {

    private static final long STARTED = System.nanoTime();

    /** The smoke run's sizes: every part, under three minutes with the build. */
    static final Map<String, String> SMOKE = Map.ofEntries(Map.entry("events", "100000"),
            Map.entry("warmups", "1"), Map.entry("warmup-seconds", "2"), Map.entry("iterations", "2"),
            Map.entry("iteration-seconds", "2"), Map.entry("errors", "50000"), Map.entry("noise", "5000"),
            Map.entry("reps", "2"), Map.entry("half-reps", "1"), Map.entry("slow-reps", "1"),
            Map.entry("scaling-errors", "30000"), Map.entry("scaling-noise", "3000"), Map.entry("scaling-reps", "1"),
            Map.entry("latency", "short"), Map.entry("latency-errors", "10"), Map.entry("projects", "300"));

    private Main() {
    }

    public static void main(String[] args) throws RunnerException {
        String what = "all";
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                opts.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                what = arg;
            }
        }
        List<String> parts = List.of("all", "smoke", "jmh", "e2e", "dingtalk", "scaling", "latency");
        if (!parts.contains(what)) {
            throw new IllegalArgumentException("unknown part '" + what + "'; parts: " + String.join(", ", parts));
        }
        if (what.equals("smoke")) {
            SMOKE.forEach(opts::putIfAbsent);
        }
        boolean every = what.equals("all") || what.equals("smoke");
        StringBuilder out = new StringBuilder();
        out.append("# logalert benchmark results\n\n").append(Machine.describe()).append('\n');
        out.append("Command: `java ").append(String.join(" ", java.lang.management.ManagementFactory
                .getRuntimeMXBean().getInputArguments())).append(" -jar benchmarks.jar ")
                .append(String.join(" ", args)).append("`\n\n");
        if (what.equals("smoke")) {
            out.append("Smoke sizes: ").append(opts).append("\n\n");
        }
        if (every || what.equals("jmh")) {
            out.append(jmh(opts));
            write(opts, out);
        }
        boolean e2e = every || what.equals("e2e");
        boolean scaling = every || what.equals("scaling");
        boolean latency = every || what.equals("latency");
        if (e2e || scaling || latency) {
            // one node for every part that needs one: starting it takes ~20 s
            try (ElasticsearchNode node = ElasticsearchNode.start()) {
                if (e2e) {
                    out.append(e2e(node, opts));
                    write(opts, out);
                }
                if (every || what.equals("dingtalk")) {
                    // needs no node, but keeps the sections in order
                    out.append(dingtalk(opts));
                    write(opts, out);
                }
                if (scaling) {
                    out.append(scaling(node, opts));
                    write(opts, out);
                }
                if (latency) {
                    out.append(latency(node, opts));
                    write(opts, out);
                }
            }
        }
        if (what.equals("dingtalk")) {
            out.append(dingtalk(opts));
        }
        out.append(String.format(Locale.ROOT, "%nTotal runtime: %.1f min; load average at the end: %s%n",
                (System.nanoTime() - STARTED) / 60e9, Machine.loadAverage()));
        write(opts, out);
        System.out.println();
        System.out.println(out);
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%s +%4.0fs] %s%n", LocalTime.now().withNano(0),
                (System.nanoTime() - STARTED) / 1e9, String.format(Locale.ROOT, format, args));
    }

    private static void write(Map<String, String> opts, CharSequence text) {
        try {
            Files.writeString(Path.of(opts.getOrDefault("out", "benchmark-results.md")), text,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int integer(Map<String, String> opts, String key, int defaultValue) {
        return Integer.parseInt(opts.getOrDefault(key, Integer.toString(defaultValue)).replace("_", ""));
    }

    // ---- 1. JMH

    private static String jmh(Map<String, String> opts) throws RunnerException {
        int events = integer(opts, "events", 1_000_000);
        log("JMH: %,d messages per window (load average %s)", events, Machine.loadAverage());
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(GroupingBenchmark.class.getName() + ".*")
                .param("events", Integer.toString(events))
                .param("mix", opts.getOrDefault("jmh-mixes", "ids").split(","))
                .forks(integer(opts, "forks", 1))
                // Until the million events of the setup are promoted, every young collection copies them: the first
                // iterations of a fork ran at half speed, whatever the benchmark. A full collection before each
                // iteration promotes them at once, and a longer warm-up reaches the steady state.
                .shouldDoGC(true)
                .warmupIterations(integer(opts, "warmups", 4))
                .warmupTime(TimeValue.seconds(integer(opts, "warmup-seconds", 4)))
                .measurementIterations(integer(opts, "iterations", 5))
                .measurementTime(TimeValue.seconds(integer(opts, "iteration-seconds", 4)))
                .jvmArgsAppend("-Xms3g", "-Xmx3g")
                .shouldFailOnError(true)
                .build()).run();
        Map<String, RunResult> byMixAndName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            byMixAndName.put(result.getParams().getParam("mix") + "/" + name, result);
        }
        StringBuilder table = new StringBuilder();
        table.append("## 1. Grouping throughput (JMH)\n\n")
                .append(String.format(Locale.ROOT, "%,d messages per window, one thread; score = messages/s "
                        + "(± 99.9 %% confidence half-width).%n%n", events))
                .append("| mix | benchmark | messages/s | ± | ratio to HashMap | goal |\n|---|---|---:|---:|---:|---|\n");
        for (String mix : List.of("ids", "verbatim")) {
            RunResult baseline = byMixAndName.get(mix + "/hashMapBaseline");
            if (baseline == null) {
                continue;
            }
            double base = baseline.getPrimaryResult().getScore() * events;
            for (String name : List.of("hashMapBaseline", "exact", "fingerprint", "template")) {
                RunResult result = byMixAndName.get(mix + "/" + name);
                double score = result.getPrimaryResult().getScore() * events;
                double error = result.getPrimaryResult().getScoreError() * events;
                String goal = switch (name) {
                    case "fingerprint" -> "≥ 2,000,000: " + mark(score >= 2_000_000);
                    case "template" -> "≥ 1,000,000: " + mark(score >= 1_000_000);
                    default -> "";
                };
                table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f | %s |%n", mix,
                        name.equals("hashMapBaseline") ? "HashMap<String,Long>" : name, score,
                        Double.isNaN(error) ? 0 : error, score / base, goal));
            }
        }
        log("JMH done");
        return table.append('\n').toString();
    }

    // ---- 2. end to end

    private static String e2e(ElasticsearchNode node, Map<String, String> opts) {
        List<MixGenerator.Mix> mixes = new ArrayList<>();
        for (String mix : opts.getOrDefault("mixes", "verbatim,ids").split(",")) {
            mixes.add(MixGenerator.Mix.valueOf(mix.strip().toUpperCase(Locale.ROOT)));
        }
        EndToEnd.Options options = new EndToEnd.Options(integer(opts, "errors", 1_000_000),
                integer(opts, "noise", 100_000), integer(opts, "reps", 5), integer(opts, "page-size", 5_000),
                mixes, integer(opts, "slow-seconds", 30), integer(opts, "slow-reps", 2),
                java.util.Arrays.stream(opts.getOrDefault("half", "verbatim").split(",")).filter(x -> !x.isBlank())
                        .map(x -> MixGenerator.Mix.valueOf(x.strip().toUpperCase(Locale.ROOT))).toList(),
                integer(opts, "half-reps", 3), mixes(opts.getOrDefault("sub", "verbatim")),
                integer(opts, "capped-heap-mb", 64), list(opts.getOrDefault("cold", "b,c,f")),
                settings(opts.getOrDefault("source-settings", "")));
        log("end to end: %s (load average %s)", options, Machine.loadAverage());
        EndToEnd.Report report = new EndToEnd(options).run(node);
        StringBuilder text = new StringBuilder("## 2. End to end on a real Elasticsearch node\n\n");
        text.append(report.node()).append(String.format(Locale.ROOT, "; page size %,d for every variant; "
                + "pipeline aggregator `%s`; up to %d measured runs per variant, interleaved, after one unmeasured "
                + "warm-up read (aggregate and stream); variants whose first run took over %d s get %d.%n%n",
                options.pageSize(), EndToEnd.AGGREGATOR, options.reps(), options.slowSeconds(),
                options.slowReps()));
        text.append("| mix | documents loaded | load + force-merge | store | ERROR events in window | keyword "
                + "(≤ 256 chars) | distinct (project, message) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (EndToEnd.Load load : report.loads()) {
            text.append(String.format(Locale.ROOT, "| %s | %,d | %.0f s | %,d MB | %,d | %,d | %,d |%n",
                    load.mix(), load.documents(), load.seconds(), load.storeBytes() / 1048576, load.truthEvents(),
                    load.keywordEvents(), load.truthGroups()));
        }
        for (String mix : mixes.stream().map(MixGenerator.Mix::label).toList()) {
            text.append("\n### ").append(mix).append("\n\n| variant | what | runs | median s | min s | max s | "
                    + "peak live heap MB, median (max) | events | groups | exact? |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            Map<String, EndToEnd.Result> byVariant = new LinkedHashMap<>();
            for (EndToEnd.Result result : report.results()) {
                if (result.mix().equals(mix)) {
                    byVariant.put(result.variant(), result);
                    text.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %.1f (%.1f) | %,d | %,d | %s |%n",
                            result.variant(), result.description(), result.seconds().size(), result.median(),
                            result.min(), result.max(), result.medianHeap() / 1048576.0,
                            result.maxHeap() / 1048576.0, result.events(), result.groups(),
                            result.exactness()));
                }
            }
            double a = byVariant.get("a").median();
            double b = byVariant.get("b").median();
            double c = byVariant.get("c").median();
            double e = byVariant.get("e").median();
            double f = byVariant.get("f").median();
            text.append(String.format(Locale.ROOT, "%nGoals (%s): b/a = %.2f (goal ≤ 1.5) %s; c/e = %.2f (goal ≤ "
                    + "1.3) %s; f / min(b, c) = %.2f (goal ≤ 1.1) %s%n", mix, b / a, mark(b / a <= 1.5), c / e,
                    mark(c / e <= 1.3), f / Math.min(b, c), mark(f / Math.min(b, c) <= 1.1)));
        }
        for (EndToEnd.Capped capped : report.capped()) {
            text.append(String.format(Locale.ROOT, "%nCapped heap (%s): the pipeline in stream mode over the whole "
                    + "window in a JVM of its own with -Xmx%dm: %s, %,d events, heap pools' peak %.1f MB, %.1f s "
                    + "(JVM start included).%n", capped.mix(), capped.heapMb(), capped.ok() ? "**completed**"
                    : "**failed (exit " + capped.exit() + ")**", capped.events(), capped.peakHeapBytes() / 1048576.0,
                    capped.seconds()));
        }
        text.append(cost(report, options));
        log("end to end done");
        return text.append('\n').toString();
    }

    private static String cost(EndToEnd.Report report, EndToEnd.Options options) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%n### Cost to the cluster%n%n"
                + "Node CPU from %s; node heap: the largest `heap_used` of `_nodes/stats/jvm` polled every 500 ms "
                + "during the run (the node refreshes it once a second), heap max %s; fielddata: "
                + "`_nodes/stats/indices/fielddata?fields=*` after less before (global ordinals included); global "
                + "ordinals: build time the node reports under fielddata.global_ordinals. Warm runs: the measured "
                + "runs above. The node idle: %.0f ms of CPU per second.%n%n", report.cpuSource(),
                report.node().replaceAll(".*heap (\\d+ MB).*", "$1"), report.idleCpuMillisPerSecond()));
        text.append("| mix | variant | what | median s | node CPU s (median) | node CPU / wall | node heap peak MB "
                + "(max) | fielddata added KB (max) | global ordinals built, ms (all runs) |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (EndToEnd.Result r : report.results()) {
            text.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %.0f | %.1f | %d |%n",
                    r.mix(), r.variant(), r.description(), r.median(), r.medianCpu(), r.medianCpu() / r.median(),
                    r.maxNodeHeap() / 1048576.0, r.maxFielddataAdded() / 1024.0, r.globalOrdinalsMillis()));
        }
        if (!report.cold().isEmpty()) {
            text.append("\n#### First read after a refresh\n\nBefore each: one document outside the window "
                    + "indexed and the index refreshed, a new segment as on a live index, so the node's per-reader "
                    + "caches (global ordinals) are rebuilt inside the read.\n\n"
                    + "| mix | variant | what | s | node CPU s | node heap peak MB | fielddata added KB | global "
                    + "ordinals built, ms | fields | exact |\n|---|---|---|---:|---:|---:|---:|---:|---|---|\n");
            for (EndToEnd.ColdRun r : report.cold()) {
                text.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.0f | %.1f | %d | %s | %s |%n",
                        r.mix(), r.variant(), r.description(), r.seconds(), r.cost().cpuMillis() / 1e3,
                        r.cost().peakHeap() / 1048576.0, r.cost().fielddataAdded() / 1024.0,
                        r.cost().globalOrdinalsMillis(), r.cost().globalOrdinalsFields(), r.exact() ? "yes" : "NO"));
            }
        }
        if (!report.probes().isEmpty()) {
            text.append("\n#### auto's probe\n\nThe searches `auto` sends before it reads the window, through "
                    + "the recording proxy, each costed alone (node CPU before and after it); compared with a stream "
                    + "read of the same window (c: median of the warm runs). Goal: < 2 % of the stream read in "
                    + "time and CPU, and no global-ordinals build where most messages are distinct.\n\n| mix | when | searches | probe s | probe node CPU ms | global "
                    + "ordinals built, ms | probe / stream time | probe / stream CPU | whole auto run s (CPU s) | "
                    + "goal |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (EndToEnd.Probe p : report.probes()) {
                EndToEnd.Result stream = report.results().stream().filter(r -> r.mix().equals(p.mix())
                        && r.variant().equals("c")).findFirst().orElseThrow();
                double time = p.seconds() / stream.median();
                double cpu = p.cpuMillis() / 1e3 / Math.max(stream.medianCpu(), 1e-3);
                // the build the issue forbids is on a high-cardinality message field: most messages distinct
                boolean highCardinality = report.loads().stream().anyMatch(l -> l.mix().equals(p.mix())
                        && l.truthGroups() * 2L > l.truthEvents());
                text.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %d | %d%s | %.1f %% | %.1f %% | "
                        + "%.2f (%.2f) | %s |%n", p.mix(), p.when(), p.searches(), p.seconds(), p.cpuMillis(),
                        p.globalOrdinalsMillis(), p.globalOrdinalsFields().isEmpty() ? "" : " (" + p
                                .globalOrdinalsFields() + ")", 100 * time, 100 * cpu, p.runSeconds(),
                        p.runCpuMillis() / 1e3, mark(time < 0.02 && cpu < 0.02
                                && !(highCardinality && p.globalOrdinalsMillis() > 0))));
            }
        }
        return text.toString();
    }

    // ---- 4. scaling with shards and slices

    private static String scaling(ElasticsearchNode node, Map<String, String> opts) {
        ScalingTable.Options options = new ScalingTable.Options(integer(opts, "scaling-errors", 300_000),
                integer(opts, "scaling-noise", 30_000), integers(opts.getOrDefault("shards", "1,2,4")),
                integers(opts.getOrDefault("slices", "1,2,4")), integer(opts, "scaling-reps", 3),
                integer(opts, "page-size", 5_000));
        log("scaling: %s (load average %s)", options, Machine.loadAverage());
        List<ScalingTable.Row> rows = ScalingTable.run(node, options);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "## 4. Scaling with shards and slices%n%n"
                + "The `ids` mix, %,d errors + %,d noise documents (a smaller window than section 2, so that three "
                + "more loads fit the run), in indices of %s shard(s), each force-merged to one segment per shard; "
                + "page size %,d; %d measured runs per variant, interleaved, after one unmeasured run of each that "
                + "verifies it.%n%n", options.errors(),
                options.noise(), options.shards(), options.pageSize(), options.reps()));
        text.append("| shards | variant | what | runs | median s | min s | max s | node CPU s (median) | vs e, 1 shard "
                + "| vs e, same index | events | exact? |\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        double base = rows.stream().filter(r -> r.variant().equals("e")).findFirst().map(ScalingTable.Row::median)
                .orElse(Double.NaN);
        for (ScalingTable.Row r : rows) {
            double sameIndex = rows.stream().filter(x -> x.shards() == r.shards() && x.variant().equals("e"))
                    .findFirst().map(ScalingTable.Row::median).orElse(Double.NaN);
            text.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %,d "
                    + "| %s |%n", r.shards(), r.variant(), r.description(), r.seconds().size(), r.median(),
                    r.seconds().stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    r.seconds().stream().mapToDouble(Double::doubleValue).max().orElse(0), r.medianCpu(),
                    r.median() / base, r.median() / sameIndex, r.events(), r.exactness()));
        }
        log("scaling done");
        return text.append('\n').toString();
    }

    // ---- 5. latency

    private static String latency(ElasticsearchNode node, Map<String, String> opts) {
        int errors = integer(opts, "latency-errors", 50);
        StringBuilder text = new StringBuilder("## 5. Latency: indexed to accepted by the robot\n\n"
                + "A started `AlertPipeline` on the real clock (Elasticsearch source with its default settings, "
                + "index refreshed every second, `DingTalkSink` to the DingTalk emulator); errors indexed one at a "
                + "time, spread over one interval (every phase of the schedule), each in a project of its own; latency = the emulator's receipt "
                + "of the message naming the project less the index request's acknowledgement.\n\n"
                + "| interval | queryDelay | errors | delivered | median s | max s | goal ≤ interval + queryDelay + 2 s "
                + "| wall time |\n|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (String name : list(opts.getOrDefault("latency", "default,short"))) {
            Latency.Setting setting = switch (name) {
                case "default" -> new Latency.Setting(Duration.ofMinutes(1), Duration.ofSeconds(30), errors,
                        Duration.ofMinutes(1));
                case "short" -> new Latency.Setting(Duration.ofSeconds(10), Duration.ofSeconds(5), errors,
                        Duration.ofSeconds(10));
                default -> throw new IllegalArgumentException("--latency takes default and/or short, not " + name);
            };
            log("latency: %s (load average %s)", setting, Machine.loadAverage());
            Latency.Result r = Latency.run(node, setting);
            log("latency: %d of %d delivered, median %s, max %s", r.latencies().size(), errors, r.median(), r.max());
            text.append(String.format(Locale.ROOT, "| %d s | %d s | %d | %d | %.1f | %.1f | ≤ %d s: %s | %.0f s |%n",
                    setting.interval().toSeconds(), setting.queryDelay().toSeconds(), errors, r.latencies().size(),
                    r.median().toMillis() / 1e3, r.max().toMillis() / 1e3, setting.goal().toSeconds(),
                    mark(r.met()), r.seconds()));
        }
        return text.append('\n').toString();
    }

    private static List<String> list(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static List<Integer> integers(String value) {
        return list(value).stream().map(Integer::valueOf).toList();
    }

    /** {@code key=value;key=value}: settings passed by key to the sources. */
    private static Map<String, String> settings(String value) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : value.split(";")) {
            if (!pair.isBlank()) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--source-settings takes key=value;key=value, not " + pair);
                }
                settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return settings;
    }

    private static List<MixGenerator.Mix> mixes(String list) {
        return java.util.Arrays.stream(list.split(",")).filter(x -> !x.isBlank())
                .map(x -> MixGenerator.Mix.valueOf(x.strip().toUpperCase(Locale.ROOT))).toList();
    }

    private static String mark(boolean met) {
        return met ? "**met**" : "**missed**";
    }

    // ---- 3. DingTalk

    private static String dingtalk(Map<String, String> opts) {
        int projects = integer(opts, "projects", 1_000);
        log("DingTalk: %,d projects", projects);
        long started = System.nanoTime();
        DingTalkPath.Result r = DingTalkPath.run(projects);
        double wall = (System.nanoTime() - started) / 1e9;
        log("DingTalk done");
        return "## 3. The DingTalk path\n\n"
                + String.format(Locale.ROOT, "%,d projects erroring in one window (%,d events), pipeline runs "
                        + "every simulated minute, emulator and sink on one manual clock.%n%n", r.projects(),
                        r.events())
                + "| digests | pipeline runs | requests | messages accepted | bytes/message min / median / max | "
                + "time to drain (emulator clock) | max requests in any 60 s | throttles | other errors | rejected | "
                + "wall time |\n|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n"
                + String.format(Locale.ROOT, "| %,d | %d | %d | %d | %,d / %,d / %,d | %s | %d | %d %s | %d | %d | "
                        + "%.1f s |%n%n", r.digests(), r.runs(), r.requests(), r.accepted(), r.minBytes(),
                        r.medianBytes(), r.maxBytes(), human(r.drain()), r.maxPerMinute(), r.throttles(),
                        r.throttles() == 0 ? "(goal 0: **met**)" : "(goal 0: **missed**)", r.otherErrors(),
                        r.rejected(), wall);
    }

    private static String human(Duration duration) {
        return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }
}
