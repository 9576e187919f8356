package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/logalert}, the launcher {@code mvn package} writes next to the jar, with the class-data sharing
 * archive: written by the build, used when it fits, written again when it does not, and never the reason a run
 * fails.
 */
class LauncherIT {

    @TempDir
    Path dir;

    private Path launcher;
    private Path archive;
    private Path stamp;

    /** The jar and the launcher, installed elsewhere as an operator would: without the build's archive. */
    @BeforeEach
    void install() throws IOException {
        Path built = LogalertProcess.jar();
        Files.copy(built, dir.resolve("logalert.jar"));
        launcher = Files.copy(built.resolveSibling("logalert"), dir.resolve("logalert"));
        archive = dir.resolve("logalert.jsa");
        stamp = dir.resolve("logalert.jsa.stamp");
    }

    @Test
    void theBuildWritesAnArchiveAndAStampForTheJarItBuilt() throws IOException {
        Path built = LogalertProcess.jar();

        assertThat(built.resolveSibling("logalert.jsa")).isNotEmptyFile();
        assertThat(Files.readString(built.resolveSibling("logalert.jsa.stamp")))
                .contains(built.toRealPath().toString(), Path.of(System.getProperty("java.home")).toRealPath()
                        .toString());
    }

    @Test
    void theFirstRunWritesTheArchiveAndTheNextOnesLoadClassesFromIt() throws Exception {
        Run first = run(Map.of(), "--version");
        Path classes = dir.resolve("classes.txt");
        Run second = run(Map.of("LOGALERT_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--version");

        assertThat(first.code()).as(first.output()).isZero();
        assertThat(first.output()).startsWith("logalert 0.");
        assertThat(archive).isNotEmptyFile();
        assertThat(Files.readString(stamp)).contains(dir.resolve("logalert.jar").toRealPath().toString());
        assertThat(second.code()).as(second.output()).isZero();
        assertThat(second.output()).isEqualTo(first.output());
        // the top layer is the dynamic archive, above the JDK's own
        assertThat(Files.readAllLines(classes)).anyMatch(line -> line.contains("io.logalert.runner.Main ")
                && line.contains("shared objects file (top)"));
    }

    @Test
    void aDamagedArchiveThatTheStampVouchesForIsIgnoredSilently() throws Exception {
        assertThat(run(Map.of(), "--version").code()).isZero();
        // the JVM writes its archives read-only
        Files.delete(archive);
        Files.writeString(archive, "not an archive");

        Run damaged = run(Map.of(), "--version");

        assertThat(damaged.code()).as(damaged.output()).isZero();
        assertThat(damaged.output()).startsWith("logalert 0.").doesNotContainIgnoringCase("warning")
                .doesNotContainIgnoringCase("archive");
    }

    @Test
    void anArchiveOfAnotherJvmOrJarIsReplacedByTheNextRun() throws Exception {
        assertThat(run(Map.of(), "--version").code()).isZero();
        String current = Files.readString(stamp);
        Files.writeString(stamp, "/opt/another-jdk/bin/java|1 1|" + dir.resolve("logalert.jar") + "|1:1\n");
        Files.delete(archive);
        Files.writeString(archive, "written by another JVM");

        Run mismatched = run(Map.of(), "--version");

        assertThat(mismatched.code()).as(mismatched.output()).isZero();
        assertThat(mismatched.output()).startsWith("logalert 0.");
        assertThat(Files.readString(stamp)).isEqualTo(current);
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);
    }

    @Test
    void offMeansNeitherUsedNorWritten() throws Exception {
        Run off = run(Map.of("LOGALERT_CDS", "off"), "--version");

        assertThat(off.code()).as(off.output()).isZero();
        assertThat(off.output()).startsWith("logalert 0.");
        assertThat(archive).doesNotExist();
        assertThat(stamp).doesNotExist();
    }

    private record Run(int code, String output) {
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        ProcessBuilder builder = new ProcessBuilder(concat(launcher.toString(), args)).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("LOGALERT_JAVA_OPTS");
        builder.environment().remove("LOGALERT_CDS");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s: " + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.stream.Stream.of(rest))
                .toList();
    }
}
