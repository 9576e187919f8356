package io.logalert.runner;

import io.logalert.config.Assembly;
import io.logalert.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code logalert validate}: every problem of a file at once, then a check of what it connects to. */
@Command(name = "validate", sortOptions = false,
        description = {"Checks a configuration file and prints every problem at once, each with its line and column.",
                "Then checks each source (reachable, index pattern matches, fields mapped, by reading a recent "
                        + "window), each state store, and each DingTalk robot's token (nothing is sent to the group)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the file is valid and every check passed",
                "1:a check failed, or a resource the file names is unavailable",
                "2:the file has problems"})
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--offline", description = "Check the file only: connect to nothing.")
    boolean offline;

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
        // a state store held by a running logalert is expected while it runs: noted, not a problem
        try (Assembly assembly = Assembly.of(loaded, Assembly.Options.defaults(main.clock()).stateInUseOk(true))) {
            HttpOptions http = HttpOptions.of(loaded, null, null);
            if (!loaded.problems().isEmpty() || !http.problems().isEmpty()) {
                return Main.printProblems(loaded, http.problems(), err);
            }
            int count = assembly.pipelines().size();
            out.println(loaded.file() + ": valid, " + count + (count == 1 ? " pipeline" : " pipelines") + " ("
                    + String.join(", ", assembly.pipelines().stream().map(Assembly.Built::id).toList()) + ")");
            assembly.notes().forEach(note -> out.println("  note " + note));
            if (offline) {
                out.flush();
                return Main.OK;
            }
            return Checks.run(assembly, main.clock(), out) ? Main.OK : Main.FAILED;
        }
    }
}
