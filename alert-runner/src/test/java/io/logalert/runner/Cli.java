package io.logalert.runner;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in this JVM, as {@link Main#main} does, with its output captured. */
final class Cli {

    /**
     * What a command did.
     *
     * @param code its exit code
     * @param out  what it printed to standard output
     * @param err  what it printed to standard error
     */
    record Result(int code, String out, String err) {

        /** Everything printed, for failure messages. */
        String all() {
            return "exit " + code + "\n--- out:\n" + out + "\n--- err:\n" + err;
        }
    }

    private final Main main;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine commandLine;

    Cli(Map<String, String> env) {
        this(new Main(env, Clock.systemUTC(), ZoneId.of("Asia/Shanghai")));
    }

    Cli(Main main) {
        this.main = main;
        this.commandLine = Main.commandLine(main);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    static Result run(Map<String, String> env, String... args) {
        Cli cli = new Cli(env);
        return cli.execute(args);
    }

    Result execute(String... args) {
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    Main main() {
        return main;
    }

    /** What has been printed to standard output so far (while a command is still running). */
    String outSoFar() {
        return out.toString();
    }

    /** The examples/ folder at the repository's root. */
    static Path examples() {
        return Path.of(System.getProperty("logalert.examples", "../examples"));
    }
}
