package io.logalert.guarantees;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link FaultChild} in a JVM of its own, on this JVM's class path: its stdout lines are collected as they come, its
 * stderr (the library's log) goes to a file that failure messages quote.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private boolean readerDone;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::readStdout, "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code FaultChild} with {@code args}; its log goes to {@code log}. */
    static ChildJvm start(Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FaultChild.class.getName()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            return new ChildJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The stdout lines so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits for a stdout line starting with {@code marker} and returns it.
     *
     * @throws AssertionError when the child exits or {@code timeout} passes first, with its output and log
     */
    synchronized String await(String marker, Duration timeout) throws InterruptedException {
        return line(awaitLine(0, line -> line.startsWith(marker), "'" + marker + "'", timeout));
    }

    /** How many stdout lines the child printed so far. */
    synchronized int lineCount() {
        return lines.size();
    }

    /**
     * Waits for a stdout line, the {@code from}-th (from 0) or a later one, that {@code wanted} accepts, and returns
     * its index.
     *
     * @throws AssertionError when the child exits or {@code timeout} passes first, with its output and log
     */
    synchronized int awaitLine(int from, Predicate<String> wanted, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        while (true) {
            for (; next < lines.size(); next++) {
                if (wanted.test(lines.get(next))) {
                    return next;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || (!process.isAlive() && readerDone)) {
                throw new AssertionError("the child printed no " + what + " line within " + timeout + describe());
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    /** Stdout line {@code index} (from 0). */
    synchronized String line(int index) {
        return lines.get(index);
    }

    /** Writes {@code line} to the child's stdin. */
    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the child's stdin" + describe(), e);
        }
    }

    /**
     * Waits for the child to exit and returns its exit code.
     *
     * @throws AssertionError when it is still running after {@code timeout}
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not exit within " + timeout + describe());
        }
        return process.exitValue();
    }

    /** Kills the child with SIGKILL (on Linux) and waits until it is gone. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** Its output and log, for a failure message. */
    String describe() {
        String stderr;
        try {
            stderr = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            stderr = "(no log: " + e + ")";
        }
        return "\n--- child stdout:\n" + String.join("\n", lines()) + "\n--- child log:\n" + stderr;
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
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the child died: what it printed is in lines
        } finally {
            synchronized (this) {
                readerDone = true;
                notifyAll();
            }
        }
    }
}
