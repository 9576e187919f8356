package io.logalert.benchmarks;

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
 * java -jar alert-benchmarks/target/benchmarks.jar [all|jmh|e2e|dingtalk] [--key=value ...]
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
 *   --out=benchmark-results.md
 * </pre>
 */
public final class Main {

    private static final long STARTED = System.nanoTime();

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
        StringBuilder out = new StringBuilder();
        out.append("# logalert benchmark results\n\n").append(Machine.describe()).append('\n');
        out.append("Command: `java ").append(String.join(" ", java.lang.management.ManagementFactory
                .getRuntimeMXBean().getInputArguments())).append(" -jar benchmarks.jar ")
                .append(String.join(" ", args)).append("`\n\n");
        if (what.equals("all") || what.equals("jmh")) {
            out.append(jmh(opts));
            write(opts, out);
        }
        if (what.equals("all") || what.equals("e2e")) {
            out.append(e2e(opts));
            write(opts, out);
        }
        if (what.equals("all") || what.equals("dingtalk")) {
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

    private static String e2e(Map<String, String> opts) {
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
                integer(opts, "capped-heap-mb", 64));
        log("end to end: %s (load average %s)", options, Machine.loadAverage());
        EndToEnd.Report report = new EndToEnd(options).run();
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
        log("end to end done");
        return text.append('\n').toString();
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
