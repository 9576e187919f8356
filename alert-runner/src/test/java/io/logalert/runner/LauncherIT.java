package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/logalert}, the launcher {@code mvn package} writes next to the jar, with its class-data sharing
 * archive: written by the build, used when it fits, written again by the first successful {@code run --once} when it
 * does not, and never the reason a run fails.
 */
class LauncherIT {

    private static final String TOKEN = "launcher-token";

    @TempDir
    Path dir;

    private final DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(TOKEN).start();
    private Path launcher;
    private Path config;

    /** The jar and the launcher, installed elsewhere as an operator would: without the build's archive. */
    @BeforeEach
    void install() throws IOException {
        Path built = LogalertProcess.jar();
        Files.copy(built, dir.resolve("logalert.jar"));
        launcher = Files.copy(built.resolveSibling("logalert"), dir.resolve("logalert"));
        String index = Logs.unique("launcher");
        Instant now = Instant.now();
        Logs.load(index, Logs.errors("checkout", 3, now.minusSeconds(200), now.minusSeconds(100)));
        config = Files.writeString(dir.resolve("alert.yml"), """
                pipelines:
                  - id: launcher-errors
                    query-delay: 1s
                    source: {type: elasticsearch, hosts: "${ES_HOSTS}", index: "%s"}
                    state: {type: file, path: "%s"}
                    sinks:
                      - {name: robot, type: dingtalk, base-url: "${ROBOT_URL}", access-token: "%s", max-attempts: 1}
                """.formatted(index, dir.resolve("state"), TOKEN));
    }

    @AfterEach
    void stopRobot() {
        robot.close();
    }

    @Test
    void theBuildWritesAnArchiveThatTheLauncherNextToItUses() throws Exception {
        Path built = LogalertProcess.jar().resolveSibling("logalert");

        Path classes = dir.resolve("classes.txt");
        Run version = run(built, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes), "--version");

        assertThat(archives(built.getParent())).hasSize(1);
        assertThat(version.code()).as(version.output()).isZero();
        assertThat(loadedFromTheArchive(classes)).isTrue();
    }

    @Test
    void onlyASuccessfulRunOnceWritesTheArchiveAndTheNextRunsLoadClassesFromIt() throws Exception {
        Run version = run(launcher, Map.of(), "--version");
        assertThat(version.code()).as(version.output()).isZero();
        assertThat(version.output()).startsWith("logalert 0.");
        assertThat(dirFiles()).as("--version trains nothing").noneMatch(name -> name.contains(".jsa"));

        Run failed = run(launcher, Map.of("ES_HOSTS", "http://127.0.0.1:9"), "run", "--once", "--config",
                config.toString());
        assertThat(failed.code()).as(failed.output()).isEqualTo(1);
        assertThat(dirFiles()).as("a run that fails trains nothing").noneMatch(name -> name.contains(".jsa"));

        Run succeeded = runOnce(Map.of());
        assertThat(succeeded.code()).as(succeeded.output()).isZero();
        assertThat(robot.accepted()).hasSize(1);
        List<Path> archives = archives(dir);
        assertThat(archives).hasSize(1);
        assertThat(Files.size(archives.get(0))).isGreaterThan(1_000_000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archives.get(0)))).isEqualTo(
                "rw-r--r--");
        assertThat(dirFiles()).noneMatch(name -> name.endsWith(".tmp"));

        Path classes = dir.resolve("classes.txt");
        Run next = run(launcher, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes), "--version");
        assertThat(next.code()).as(next.output()).isZero();
        assertThat(next.output()).contains("logalert 0.");
        assertThat(loadedFromTheArchive(classes)).isTrue();
        assertThat(archives(dir)).isEqualTo(archives);
    }

    @Test
    void aDamagedArchiveIsNotUsedAndTheNextRunOnceReplacesIt() throws Exception {
        assertThat(runOnce(Map.of()).code()).isZero();
        Path archive = archives(dir).get(0);
        Files.writeString(archive, "not an archive");

        Path classes = dir.resolve("classes.txt");
        Run damaged = run(launcher, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes), "--version");
        Run again = runOnce(Map.of());

        assertThat(damaged.code()).as(damaged.output()).isZero();
        assertThat(damaged.output()).contains("logalert 0.").doesNotContainIgnoringCase("warning")
                .doesNotContainIgnoringCase("archive");
        assertThat(loadedFromTheArchive(classes)).isFalse();
        assertThat(again.code()).as(again.output()).isZero();
        assertThat(archives(dir)).hasSize(1).doesNotContain(archive);
        assertThat(Files.size(archives(dir).get(0))).isGreaterThan(1_000_000);
    }

    @Test
    void anArchiveWrittenWithOtherJavaOptionsIsNotUsedAndIsReplaced() throws Exception {
        assertThat(runOnce(Map.of()).code()).isZero();
        List<Path> before = archives(dir);
        Path classes = dir.resolve("classes.txt");

        Run other = run(launcher, Map.of("LOGALERT_JAVA_OPTS", "-Xmx300m -Xlog:class+load:file=" + classes),
                "--version");
        assertThat(other.code()).as(other.output()).isZero();
        assertThat(loadedFromTheArchive(classes)).isFalse();
        Run trained = runOnce(Map.of("LOGALERT_JAVA_OPTS", "-Xmx300m"));

        assertThat(trained.code()).as(trained.output()).isZero();
        assertThat(archives(dir)).hasSize(1).doesNotContainAnyElementsOf(before);
    }

    @Test
    void anArchiveCopiedWithItsJarToAnotherDirectoryIsReplacedThere() throws Exception {
        assertThat(runOnce(Map.of()).code()).isZero();
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Path copied = archives(dir).get(0);
        // sizes and times kept: only the jar's path tells the copy from the original
        for (Path file : List.of(launcher, dir.resolve("logalert.jar"), copied)) {
            Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }

        Run there = run(copy.resolve("logalert"), Map.of(), "run", "--once", "--config", config.toString());

        assertThat(there.code()).as(there.output()).isZero();
        assertThat(archives(copy)).hasSize(1).doesNotContain(copy.resolve(copied.getFileName()));
    }

    @Test
    void anArchiveAnotherUserOwnsIsNotUsed() throws Exception {
        assumeThat(System.getProperty("user.name")).as("only root can give a file to another user").isEqualTo("root");
        assertThat(runOnce(Map.of()).code()).isZero();
        Path archive = archives(dir).get(0);
        Files.setOwner(archive, archive.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(
                "nobody"));
        Path classes = dir.resolve("classes.txt");

        Run version = run(launcher, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes), "--version");

        assertThat(version.code()).as(version.output()).isZero();
        assertThat(loadedFromTheArchive(classes)).isFalse();
    }

    @Test
    void startedThroughALinkItFindsTheJarAndTheArchiveNextToTheScript() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("usr/local/bin"));
        Path link = Files.createSymbolicLink(bin.resolve("logalert"), bin.relativize(launcher));
        Path classes = dir.resolve("classes.txt");

        Run trained = run(link, Map.of(), "run", "--once", "--config", config.toString());
        Run version = run(link, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes), "--version");

        assertThat(trained.code()).as(trained.output()).isZero();
        assertThat(archives(dir)).hasSize(1);
        assertThat(archives(bin)).isEmpty();
        assertThat(version.code()).as(version.output()).isZero();
        assertThat(loadedFromTheArchive(classes)).isTrue();
    }

    @Test
    void ctrlCDuringATrainingRunStopsTheJvmGracefullyAndKeepsNoArchive() throws Exception {
        // the robot holds its reply: the run is in the middle of its delivery when the signals come
        robot.delayNext(1, Duration.ofSeconds(5));
        Path out = dir.resolve("interrupted.txt");
        Process process = builder(launcher, environment(Map.of()), "run", "--once", "--config", config.toString())
                .redirectOutput(out.toFile()).start();
        try {
            Poll.until(() -> !robot.exchanges().isEmpty(), Duration.ofSeconds(60), "the run to deliver",
                    () -> read(out));
            List<ProcessHandle> jvm = process.descendants().toList();

            // as a terminal's Ctrl-C, twice: the second must not let the launcher exit before the JVM
            signal("INT", process.pid());
            signal("INT", process.pid());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(read(out)).isTrue();

            assertThat(jvm).isNotEmpty().noneMatch(ProcessHandle::isAlive);
            // 128 + SIGTERM: the JVM's exit after its shutdown hooks let the run finish
            assertThat(process.exitValue()).as(read(out)).isEqualTo(143);
            assertThat(Logs.state(dir.resolve("state"), "launcher-errors")).as(read(out)).isPresent();
            assertThat(dirFiles()).noneMatch(name -> name.contains(".jsa"));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void temporaryArchivesADayOldAreDeletedAtStart() throws Exception {
        Path stale = Files.writeString(dir.resolve("logalert.jsa.4242.tmp"), "left by a killed run");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path writing = Files.writeString(dir.resolve("logalert.jsa.4343.tmp"), "a run still writing");

        Run version = run(launcher, Map.of(), "--version");

        assertThat(version.code()).as(version.output()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(writing).exists();
    }

    @Test
    void offMeansNeitherUsedNorWritten() throws Exception {
        Run off = runOnce(Map.of("LOGALERT_CDS", "off"));

        assertThat(off.code()).as(off.output()).isZero();
        assertThat(dirFiles()).noneMatch(name -> name.contains(".jsa"));
    }

    private record Run(int code, String output) {
    }

    private Run runOnce(Map<String, String> env) throws Exception {
        return run(launcher, env, "run", "--once", "--config", config.toString());
    }

    private Run run(Path script, Map<String, String> env, String... args) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process process = builder(script, environment(env), args).redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s: " + read(out));
        }
        return new Run(process.exitValue(), read(out).strip());
    }

    private ProcessBuilder builder(Path script, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("LOGALERT_JAVA_OPTS");
        builder.environment().remove("LOGALERT_CDS");
        builder.environment().putAll(env);
        return builder;
    }

    /** What every launcher run here sees: this JVM, the node and the robot, and {@code env} over them. */
    private Map<String, String> environment(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"), "ES_HOSTS",
                Logs.hosts(), "ROBOT_URL", robot.baseUrl().toString()));
        merged.putAll(env);
        return merged;
    }

    /** Whether the class-load log shows the runner's main class mapped from the dynamic archive. */
    private static boolean loadedFromTheArchive(Path classes) throws IOException {
        // the top layer is the dynamic archive, above the JDK's own
        return Files.readAllLines(classes).stream().anyMatch(line -> line.contains("io.logalert.runner.Main ")
                && line.contains("shared objects file (top)"));
    }

    private static List<Path> archives(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches("logalert-\\d+\\.jsa")).sorted().toList();
        }
    }

    private List<String> dirFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static String read(Path out) {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
