package io.logalert.benchmarks;

import io.logalert.FileStateStore;
import io.logalert.TimeWindow;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.source.elasticsearch.LogGenerator;
import io.logalert.spi.PipelineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The runner as cron and systemd run it: whole {@code java} processes, timed from outside, against a real node.
 *
 * <p>One node holds a 10-minute window of {@code --errors} ERROR records (the IDS mix by default, 50 projects); each
 * {@code run --once} starts from a saved checkpoint at the window's start, so every process reads the same window and
 * delivers its digests to a DingTalk emulator. Each variant (JVM flags, the class-data sharing archive, the launcher)
 * runs {@code --runs} times after one warm-up; the table gives the median and range of the wall time and the peak
 * resident memory (GNU time's maximum resident set size), and the CPU time (user + system), steadier than the wall
 * time on a shared machine. Then the resident memory of {@code run} as a service with
 * 1 and with 20 idle pipelines (VmRSS and VmHWM from {@code /proc}, after their first runs), started with
 * {@code java -jar} and with the launcher.
 *
 * <pre>
 * java -Dlogalert.elasticsearch.home=… -cp benchmarks.jar io.logalert.benchmarks.RunnerFootprint \
 *     --dist=alert-runner/target [--errors=51746] [--mix=ids|verbatim] [--runs=5] [--variants=launcher,…]
 *     [--idle=false] [--hold]
 * </pre>
 *
 * {@code --variants} keeps the {@code --once} variants whose label holds one of the given words (all by default), so
 * that a large window ({@code --errors=1000000}) can be timed with only the ones that matter; {@code --idle=false}
 * leaves out the service rows.
 *
 * {@code --hold} keeps the node and the emulator up after the table and prints the commands, so that other tools can
 * time them; stop it with Ctrl-C.
 */
public final class RunnerFootprint {

    private static final String PIPELINE = "footprint";
    private static final String TOKEN = "footprint-token";
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private RunnerFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            opts.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Path dist = Path.of(opts.getOrDefault("dist", "alert-runner/target")).toAbsolutePath();
        int errors = Integer.parseInt(opts.getOrDefault("errors", "51746"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
        MixGenerator.Mix mix = MixGenerator.Mix.valueOf(opts.getOrDefault("mix", "ids").toUpperCase(Locale.ROOT));
        Path jar = dist.resolve("logalert.jar");
        Optional<Path> archive = buildArchive(dist);
        Path launcher = dist.resolve("logalert");
        Path dir = Files.createTempDirectory("runner-footprint");
        // a hook, not a finally: --hold ends with Ctrl-C, and the directory holds a copy of the jar and an archive
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "footprint-cleanup"));
        try (ElasticsearchNode node = ElasticsearchNode.start();
                DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(TOKEN).messagesPerMinute(1_000_000)
                        .start()) {
            // --hold ends with Ctrl-C: the node is a separate process and must not outlive this one
            Runtime.getRuntime().addShutdownHook(new Thread(node::close, "footprint-node-shutdown"));
            String hosts = node.uri().toString().replaceAll("/$", "");
            // every run reads from the saved checkpoint to now (max-window and interval 1 h, so one run, never
            // behind): the same 51,746 errors however long the variants take, nothing else
            Instant from = Instant.now().minus(WINDOW.plusMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
            TimeWindow window = new TimeWindow(from, from.plus(WINDOW));
            MixGenerator generator = new MixGenerator(42, mix, errors, 0, window);
            String index = "app-prod-footprint";
            long loaded = BulkLoader.loadDocuments(node, index, generator.errorDocs().map(LogGenerator.Log::document));
            node.request("POST", "/" + index + "/_refresh", null);
            log("loaded %,d errors into %s, window %s", loaded, index, window);

            Path base = Files.createDirectories(dir.resolve("base"));
            try (FileStateStore store = new FileStateStore(base)) {
                store.save(PipelineState.initial(PIPELINE, from));
            }
            Path state = Files.createDirectories(dir.resolve("state"));
            Path once = Files.writeString(dir.resolve("once.yml"), config(1, index, state, "1h"));
            // the launcher runs the JVM the java -jar variants run, which is the one the build's archive fits
            Map<String, String> env = Map.of("ES_HOSTS", hosts, "ROBOT_URL", robot.baseUrl().toString(),
                    "ROBOT_TOKEN", TOKEN, "JAVA_HOME", System.getProperty("java.home"));

            Map<String, List<String>> variants = new LinkedHashMap<>();
            List<String> run = List.of("run", "--once", "--config", once.toString());
            variants.put("java -jar (JDK defaults)", java(List.of(), jar, run));
            variants.put("-Xshare:off (no CDS at all)", java(List.of("-Xshare:off"), jar, run));
            variants.put("-XX:TieredStopAtLevel=1", java(List.of("-XX:TieredStopAtLevel=1"), jar, run));
            variants.put("-XX:+UseSerialGC", java(List.of("-XX:+UseSerialGC"), jar, run));
            archive.ifPresent(a -> variants.put("-XX:SharedArchiveFile (AppCDS)", java(List.of(
                    "-XX:SharedArchiveFile=" + a, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"), jar, run)));
            if (Files.isExecutable(launcher)) {
                List<String> command = new ArrayList<>(List.of(launcher.toString()));
                command.addAll(run);
                variants.put("launcher: C1 only, serial GC, AppCDS", command);
                List<String> flagsOnly = new ArrayList<>(List.of("env", "LOGALERT_CDS=off"));
                flagsOnly.addAll(command);
                variants.put("launcher with LOGALERT_CDS=off: C1 only, serial GC", flagsOnly);
                // the jar and the launcher elsewhere: the build's archive does not fit a jar at another path, so
                // the warm-up run (this window) writes one there, as the first cron run does where logalert is
                // installed
                Path installed = Files.createDirectories(dir.resolve("installed"));
                Files.copy(jar, installed.resolve("logalert.jar"));
                Files.copy(launcher, installed.resolve("logalert"));
                List<String> trained = new ArrayList<>(List.of(installed.resolve("logalert").toString()));
                trained.addAll(run);
                variants.put("launcher, archive from a first real run", trained);
            }

            if (opts.containsKey("variants")) {
                List<String> wanted = List.of(opts.get("variants").split(","));
                variants.keySet().removeIf(label -> wanted.stream().noneMatch(label::contains));
            }
            StringBuilder table = new StringBuilder("| `run --once`, " + String.format(Locale.ROOT, "%,d", errors)
                    + " errors (" + mix.label() + ") | runs | wall median s | min | max | CPU (user+sys) median s "
                    + "| peak RSS median MB | exit codes |\n|---|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                List<Double> walls = new ArrayList<>();
                List<Double> peaks = new ArrayList<>();
                List<Double> cpus = new ArrayList<>();
                List<Integer> codes = new ArrayList<>();
                for (int i = 0; i <= runs; i++) {
                    Files.copy(base.resolve(PIPELINE + ".json"), state.resolve(PIPELINE + ".json"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Timed timed = timed(variant.getValue(), env, dir.resolve("out.txt"));
                    if (i == 0) {
                        continue; // warm-up: the page cache, the node's caches
                    }
                    walls.add(timed.wallSeconds());
                    peaks.add(timed.peakKb() / 1024.0);
                    cpus.add(timed.cpuSeconds());
                    codes.add(timed.exitCode());
                }
                log("%s: %s s", variant.getKey(), walls);
                table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %s |%n",
                        variant.getKey(), runs, Stats.median(walls),
                        walls.stream().mapToDouble(d -> d).min().orElse(0),
                        walls.stream().mapToDouble(d -> d).max().orElse(0), Stats.median(cpus), Stats.median(peaks),
                        codes.stream().distinct().toList()));
            }
            table.append("\n| `run` as a service | VmRSS MB | VmHWM MB | first runs done when read |\n"
                    + "|---|---|---|---|\n");
            for (int pipelines : Boolean.parseBoolean(opts.getOrDefault("idle", "true")) ? List.of(1, 20)
                    : List.<Integer>of()) {
                Map<String, List<String>> starts = new LinkedHashMap<>();
                starts.put("`java -jar`, JDK defaults", java(List.of(), jar, List.of()));
                if (Files.isExecutable(launcher)) {
                    starts.put("launcher", List.of(launcher.toString()));
                }
                for (Map.Entry<String, List<String>> start : starts.entrySet()) {
                    // a state directory of its own per start, so that each one's first runs read the same window
                    String name = "service-" + pipelines + "-" + (start.getKey().equals("launcher") ? "l" : "j");
                    Path config = Files.writeString(dir.resolve(name + ".yml"),
                            config(pipelines, index, Files.createDirectories(dir.resolve(name)), "1h"));
                    List<String> command = new ArrayList<>(start.getValue());
                    command.addAll(List.of("run", "--config", config.toString()));
                    Idle idle = idle(command, env, dir.resolve(name + ".log"), pipelines);
                    table.append(String.format(Locale.ROOT,
                            "| %d idle pipeline%s (%s) | %.0f | %.0f | %d of %d%s |%n", pipelines,
                            pipelines == 1 ? "" : "s", start.getKey(), idle.rssKb() / 1024.0,
                            idle.hwmKb() / 1024.0, idle.reports(), pipelines,
                            idle.reports() < pipelines ? " (**not idle**: runs still going after 60 s)" : ""));
                }
            }
            System.out.println(table);
            if (opts.containsKey("hold")) {
                System.out.println("node " + hosts + ", robot " + robot.baseUrl() + "; the state file to copy before "
                        + "each run: " + base.resolve(PIPELINE + ".json") + " -> " + state);
                variants.forEach((name, command) -> System.out.println(name + ": " + String.join(" ", command)));
                Thread.currentThread().join();
            }
        }
    }

    private static String config(int pipelines, String index, Path state, String interval) {
        StringBuilder yaml = new StringBuilder("pipelines:\n");
        for (int i = 0; i < pipelines; i++) {
            yaml.append("""
                      - id: %s
                        interval: %s
                        query-delay: 1s
                        initial-lookback: 10m
                        max-window: 1h
                        realert: off
                        source: {type: elasticsearch, hosts: "${ES_HOSTS}", index: "%s"}
                        state: {type: file, path: "%s"}
                        sinks:
                          - {name: robot, type: dingtalk, base-url: "${ROBOT_URL}", access-token: "${ROBOT_TOKEN}"}
                    """.formatted(pipelines == 1 ? PIPELINE : PIPELINE + "-" + i, interval, index, state));
        }
        return yaml.toString();
    }

    private static List<String> java(List<String> flags, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return command;
    }

    private record Timed(double wallSeconds, double cpuSeconds, long peakKb, int exitCode) {
    }

    /** One whole process under GNU time, which reports the child's maximum resident set size. */
    private static Timed timed(List<String> command, Map<String, String> env, Path out) throws Exception {
        Path rusage = out.resolveSibling("rusage.txt");
        List<String> wrapped = new ArrayList<>(List.of("/usr/bin/time", "-o", rusage.toString(), "-f", "%M %U %S"));
        wrapped.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(wrapped).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        int code = process.waitFor();
        double wall = (System.nanoTime() - started) / 1e9;
        List<String> lines = Files.readAllLines(rusage);
        String[] rusageFields = lines.get(lines.size() - 1).strip().split(" ");
        long peak = Long.parseLong(rusageFields[0]);
        double cpu = Double.parseDouble(rusageFields[1]) + Double.parseDouble(rusageFields[2]);
        if (code != 0) {
            log("exit %d: %s", code, Files.readString(out).lines().limit(5).toList());
        }
        return new Timed(wall, cpu, peak, code);
    }

    /** The resident memory of a service, and how many of its pipelines had reported their first run by then. */
    private record Idle(long rssKb, long hwmKb, long reports) {
    }

    /**
     * Starts {@code run} as a service, waits until every pipeline has logged its first run (60 s at most), reads
     * /proc.
     */
    private static Idle idle(List<String> command, Map<String, String> env, Path log, int pipelines)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && reports(log) < pipelines) {
                Thread.sleep(200); // a benchmark waiting for another process, not a test
            }
            Thread.sleep(2_000); // idle: the runs are over, the schedulers wait for the next interval
            if (!process.isAlive()) {
                throw new IllegalStateException("run stopped with exit code " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            String status = Files.readString(Path.of("/proc", Long.toString(process.pid()), "status"));
            long reports = reports(log);
            if (reports < pipelines) {
                log("%d pipelines: only %d had reported a run after 60 s; the row says so", pipelines, reports);
            }
            return new Idle(kb(status, "VmRSS:"), kb(status, "VmHWM:"), reports);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static long reports(Path log) throws IOException {
        return Files.readString(log).lines().filter(line -> line.contains("RunReport[")).count();
    }

    private static long kb(String status, String key) {
        Optional<String> line = status.lines().filter(l -> l.startsWith(key)).findFirst();
        return Long.parseLong(line.orElseThrow().substring(key.length()).replace("kB", "").strip());
    }

    /** The archive {@code mvn package} wrote next to the launcher, {@code logalert-<checksum>.jsa}, if any. */
    private static Optional<Path> buildArchive(Path dist) throws IOException {
        try (Stream<Path> files = Files.list(dist)) {
            return files.filter(f -> f.getFileName().toString().matches("logalert-\\d+\\.jsa")).findFirst();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log("could not delete %s: %s", root, e);
        }
    }


    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
