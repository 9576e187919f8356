package io.logalert.runner;

import io.logalert.config.ConfigLoader;
import io.logalert.config.EffectiveConfig;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --print-config} option of the commands that read a whole configuration file. */
final class PrintConfigOption {

    @Option(names = "--print-config",
            description = "Print the effective configuration (defaults filled in, secrets as ***) and exit.")
    boolean on;

    /** Prints the effective configuration of {@code loaded} to {@code out}, or its problems to {@code err}. */
    static int print(ConfigLoader.Loaded loaded, PrintWriter out, PrintWriter err) {
        Optional<String> effective = EffectiveConfig.of(loaded);
        if (effective.isEmpty()) {
            return Main.printProblems(loaded, err);
        }
        out.print(effective.get());
        out.flush();
        return Main.OK;
    }
}
