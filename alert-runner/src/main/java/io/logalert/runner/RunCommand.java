package io.logalert.runner;

import io.logalert.AlertPipeline;
import io.logalert.RunReport;
import io.logalert.TimeWindow;
import io.logalert.config.Assembly;
import io.logalert.config.ConfigLoader;
import io.logalert.config.Durations;
import io.logalert.config.PipelineOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code logalert run}: runs the pipelines of a file, once (for cron) or until SIGTERM. */
@Command(name = "run", sortOptions = false,
        description = {"Runs the pipelines of a configuration file.",
                "Without --once: starts every pipeline and stays up until SIGTERM or SIGINT; a run in progress then "
                        + "finishes and its state is saved (exit 143 after SIGTERM).",
                "With --once: runs each pipeline until it has caught up, prints each report, and exits."},
        exitCodeListHeading = "Exit codes (--once):%n",
        exitCodeList = {"0:everything was read and delivered",
                "1:something is pending or failed (a window could not be read, a digest was not delivered, the state "
                        + "is in use or cannot be saved)",
                "2:the configuration or the command line is wrong"})
final class RunCommand implements Callable<Integer> {

    /** The most runs one pipeline makes in one --once: a week of 10-minute windows; the next --once goes on. */
    static final int MAX_RUNS = 1_008;

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--once", description = "Run each pipeline until it has caught up, then exit (for cron).")
    boolean once;

    @Option(names = "--pipeline", paramLabel = "ID", description = "Run only this pipeline (repeatable).")
    List<String> only = List.of();

    @Option(names = "--http-port", paramLabel = "PORT", description = {"Serve GET /metrics (Prometheus text) and GET "
            + "/health (JSON: 200 when every pipeline is up, else 503) on this port while running as a service; 0 "
            + "picks a free port.", "Default: http.port of the file; without either, no port is opened."})
    Integer httpPort;

    @Option(names = "--http-address", paramLabel = "ADDRESS", description = "The address the port listens on. "
            + "Default: http.address of the file, else 127.0.0.1 (this machine only).")
    String httpAddress;

    @Mixin
    PrintConfigOption printConfig;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigLoader.Loaded loaded = main.load(config.file);
        if (printConfig.on) {
            return PrintConfigOption.print(loaded, out, err);
        }
        checkHttpOptions();
        HttpOptions http = HttpOptions.of(loaded, httpPort, httpAddress);
        Assembly.Options options = Assembly.Options.defaults(main.clock()).only(new LinkedHashSet<>(only))
                .onReport(RunCommand::log);
        Assembly assembly = Assembly.of(loaded, options);
        if (!loaded.problems().isEmpty() || !http.problems().isEmpty()) {
            assembly.close();
            return Main.printProblems(loaded, http.problems(), err);
        }
        List<String> missing = only.stream().filter(id -> assembly.pipeline(id).isEmpty()).toList();
        if (!missing.isEmpty()) {
            assembly.close();
            err.println("logalert: no pipeline " + String.join(", ", missing) + " in " + loaded.file() + "; it has "
                    + String.join(", ", loaded.pipelineIds()));
            return Main.CONFIG;
        }
        return once ? runOnce(assembly, out) : serve(assembly, http, err);
    }

    private int runOnce(Assembly assembly, PrintWriter out) {
        // SIGTERM while a run is in progress: the hook closes the pipelines, which lets the run finish and save
        Thread hook = main.onShutdown(assembly);
        try {
            boolean clean = true;
            for (Assembly.Built built : assembly.pipelines()) {
                RunReport last = null;
                for (int run = 0; run < MAX_RUNS; run++) {
                    RunReport report;
                    try {
                        report = built.pipeline().runOnce();
                    } catch (IllegalStateException closed) {
                        out.println(built.id() + ": stopped before it caught up");
                        return Main.FAILED;
                    }
                    Reports.lines(report).forEach(out::println);
                    out.flush();
                    last = report;
                    if (report.failure().isPresent() || !behind(report, built.options())) {
                        break;
                    }
                    if (run == MAX_RUNS - 1) {
                        out.println(built.id() + ": still behind after " + MAX_RUNS + " runs; the next run goes on "
                                + "from here");
                    }
                }
                clean &= last != null && last.isClean();
            }
            return clean ? Main.OK : Main.FAILED;
        } finally {
            Main.removeShutdownHook(hook);
            assembly.close();
        }
    }

    /**
     * Whether the pipeline should run again at once: it is catching up, or its window ended more than an interval
     * before the end a window could have now.
     */
    private boolean behind(RunReport report, PipelineOptions options) {
        if (report.catchingUp().isPresent()) {
            return true;
        }
        Instant due = main.clock().instant().minus(options.queryDelay());
        return report.window().map(TimeWindow::to).map(to -> to.plus(options.interval()).isBefore(due))
                .orElse(false);
    }

    /** The command line's HTTP options, checked before the file is: a wrong one is a usage error. */
    private void checkHttpOptions() {
        if (once && (httpPort != null || httpAddress != null)) {
            throw new ParameterException(spec.commandLine(), "--http-port and --http-address serve while the "
                    + "pipelines run as a service; --once exits after its runs, so it takes neither");
        }
        if (httpPort != null) {
            HttpOptions.portProblem(httpPort).ifPresent(problem -> {
                throw new ParameterException(spec.commandLine(), "--http-port: " + problem);
            });
        }
        if (httpAddress != null) {
            HttpOptions.addressProblem(httpAddress).ifPresent(problem -> {
                throw new ParameterException(spec.commandLine(), "--http-address: " + problem);
            });
        }
    }

    private int serve(Assembly assembly, HttpOptions http, PrintWriter err) {
        HttpEndpoint endpoint = null;
        if (http.address().isPresent()) {
            List<AlertPipeline> pipelines = assembly.pipelines().stream().map(Assembly.Built::pipeline).toList();
            try {
                // before the pipelines start, so that the meters count their first runs
                endpoint = HttpEndpoint.start(http.address().get(), pipelines);
            } catch (IOException e) {
                assembly.close();
                err.println("logalert: cannot serve /metrics and /health on "
                        + HttpOptions.display(http.address().get()) + ": " + e
                        + "; choose another --http-port (or http.port), or 0 for any free one");
                return Main.FAILED;
            }
            log.info("serving GET /metrics and GET /health on http://{}", HttpOptions.display(endpoint.address()));
        }
        for (Assembly.Built built : assembly.pipelines()) {
            built.pipeline().start();
        }
        log.info("started {}: every run is logged in one line; stop with SIGTERM",
                assembly.pipelines().stream().map(b -> b.id() + " (every " + Durations.format(b.options().interval())
                        + ")").toList());
        if (endpoint == null) {
            return main.serveUntilStopped(assembly);
        }
        HttpEndpoint serving = endpoint;
        // the port answers until the pipelines have stopped, then closes
        return main.serveUntilStopped(new AutoCloseable() {
            @Override
            public void close() {
                try {
                    assembly.close();
                } finally {
                    serving.close();
                }
            }

            @Override
            public String toString() {
                return "the pipelines and the HTTP port";
            }
        });
    }

    /** One log line per report, and one per digest a sink did not take. */
    private static void log(RunReport report) {
        for (String line : Reports.lines(report)) {
            if (report.isClean()) {
                log.info("{}", line.strip());
            } else {
                log.warn("{}", line.strip());
            }
        }
    }
}
