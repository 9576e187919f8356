package io.logalert.runner;

import picocli.CommandLine.Option;

/** The {@code --print-config} option of the commands that read a whole configuration file. */
final class PrintConfigOption {

    @Option(names = "--print-config",
            description = "Print the effective configuration (defaults filled in, secrets as ***) and exit.")
    boolean on;
}
