package io.logalert.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar logalert.jar …} in a process of its own, as cron or systemd runs it: its standard output is
 * collected line by line as it comes, its standard error (the log) goes to a file that failure messages quote.
 */
final class LogalertProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private final CountDownLatch outputRead = new CountDownLatch(1);

    private LogalertProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readStdout, "logalert-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar {@code mvn package} built; the failsafe configuration names it. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("logalert.jar", "target/logalert.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run the integration tests with mvn verify");
        }
        return jar;
    }

    /** Starts {@code java -jar logalert.jar args} with {@code env} added to this process's environment. */
    static LogalertProcess start(Path log, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().putAll(env);
        try {
            return new LogalertProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs {@code args} to the end and returns the exit code; its output is in {@link #lines()}. */
    static LogalertProcess runToEnd(Path log, Map<String, String> env, String... args) throws InterruptedException {
        LogalertProcess process = start(log, env, args);
        process.awaitExit(Duration.ofSeconds(60));
        return process;
    }

    /** The standard output lines so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines());
    }

    /** Waits until a line of standard output contains {@code text}. */
    String await(String text, Duration timeout) {
        Poll.until(() -> lines().stream().anyMatch(l -> l.contains(text)) || !process.isAlive(), timeout,
                "'" + text + "' from the process", this::describe);
        return lines().stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("the process exited without '" + text + "'" + describe()));
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("logalert did not exit within " + timeout + describe());
        }
        // every line it printed, not only those read so far
        outputRead.await(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Sends SIGTERM (on Linux, what {@link Process#destroy()} does), as systemd stops a service. */
    void terminate() {
        process.destroy();
    }

    /** Its log so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Its output and log, for a failure message. */
    String describe() {
        return "\n--- stdout:\n" + output() + "\n--- log:\n" + log();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process is gone: what it printed is in lines
        } finally {
            outputRead.countDown();
        }
    }
}
