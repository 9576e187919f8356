package io.logalert.runner;

import io.logalert.config.ConfigLoader;
import io.logalert.config.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code logalert} program: runs the pipelines of a YAML file from cron or as a service, validates the file,
 * manages silences, replays past windows, and emulates a DingTalk robot.
 *
 * <pre>
 * java -jar logalert.jar run --config alert.yml --once     # from cron: 0 all delivered, 1 something owed, 2 bad file
 * java -jar logalert.jar run --config alert.yml            # as a service, until SIGTERM
 * java -jar logalert.jar validate --config alert.yml
 * </pre>
 *
 * <p>{@link #main(String[])} is the only place that executes the command line and exits; tests build the same
 * command line with {@link #commandLine(Main)} and call {@code execute} with their own output.
 */
@Command(name = "logalert", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Reads error logs, groups them into kinds, and delivers digests to chat robots.",
        subcommands = {RunCommand.class, ValidateCommand.class, SilenceCommand.class, ReplayCommand.class,
                RobotEmulatorCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    /** Exit code: everything was read and delivered (or the command did what it was asked). */
    static final int OK = 0;
    /** Exit code: something is pending or failed, or a resource is unavailable. */
    static final int FAILED = 1;
    /** Exit code: the configuration or the command line is wrong. */
    static final int CONFIG = 2;

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Clock clock;
    private final ZoneId zone;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** The program as {@code java -jar} runs it: the process's environment, the system clock and time zone. */
    public Main() {
        this(System.getenv(), Clock.systemUTC(), ZoneId.systemDefault());
    }

    Main(Map<String, String> env, Clock clock, ZoneId zone) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine(new Main()).execute(args));
    }

    /** The command line of {@code main}, set up as {@link #main(String[])} runs it. */
    static CommandLine commandLine(Main main) {
        CommandLine commandLine = new CommandLine(main);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            // an unexpected failure: one line a person can act on, the trace in the log
            log.debug("command failed", e);
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            cl.getErr().println("logalert: " + message);
            return FAILED;
        });
        return commandLine;
    }

    /** Without a command: says which there are. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: run, validate, silence, replay or robot-emulator (see logalert help)");
    }

    Map<String, String> env() {
        return env;
    }

    Clock clock() {
        return clock;
    }

    ZoneId zone() {
        return zone;
    }

    /** Reads {@code file} with this program's environment. */
    ConfigLoader.Loaded load(Path file) {
        return ConfigLoader.load(file, env);
    }

    /**
     * Prints every problem of {@code loaded} to {@code err} and returns the exit code: 2 when the file is wrong, 1
     * when only something it names is unavailable.
     */
    static int printProblems(ConfigLoader.Loaded loaded, PrintWriter err) {
        return printProblems(loaded, List.of(), err);
    }

    /**
     * Prints every problem of {@code loaded} and {@code more} (those the runner finds in the file itself, such as
     * its {@code http:} section's), in the order of the file, and returns the exit code as
     * {@link #printProblems(ConfigLoader.Loaded, PrintWriter)} does.
     */
    static int printProblems(ConfigLoader.Loaded loaded, List<Problems.Problem> more, PrintWriter err) {
        List<Problems.Problem> all = new ArrayList<>(loaded.problems().all());
        all.addAll(more);
        List<String> lines = loaded.locator().lines(all);
        err.println(loaded.file() + ": " + lines.size() + (lines.size() == 1 ? " problem" : " problems"));
        lines.forEach(err::println);
        err.flush();
        boolean onlyUnavailable = !all.isEmpty()
                && all.stream().allMatch(problem -> problem.kind() == Problems.Kind.UNAVAILABLE);
        return onlyUnavailable ? FAILED : CONFIG;
    }

    /**
     * Blocks until the program is asked to stop, then closes {@code resource}. In the real program the stop is
     * SIGTERM or SIGINT: the JVM then runs its shutdown hooks, so the hook registered here closes
     * {@code resource} (a pipeline lets its run in progress finish and saves its state) before the JVM exits with
     * 128 + the signal (143 for SIGTERM). Tests stop with {@link #stop()}.
     *
     * @return {@link #OK} when stopped by {@link #stop()}
     */
    int serveUntilStopped(AutoCloseable resource) {
        Thread hook = onShutdown(resource);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            removeShutdownHook(hook);
        }
        closeQuietly(resource);
        return OK;
    }

    /** Closes {@code resource} when the JVM shuts down (SIGTERM, SIGINT, System.exit); the returned hook undoes it. */
    Thread onShutdown(AutoCloseable resource) {
        Thread hook = new Thread(() -> {
            log.info("stopping: letting runs in progress finish and saving state");
            closeQuietly(resource);
            log.info("stopped");
        }, "logalert-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it closes what it was given
        }
    }

    /** Ends {@link #serveUntilStopped(AutoCloseable)}, as SIGTERM would. */
    void stop() {
        stop.countDown();
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("cannot close {}: {}", resource, e.toString());
        }
    }

    /** The version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"logalert " + properties.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
