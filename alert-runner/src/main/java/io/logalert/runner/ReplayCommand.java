package io.logalert.runner;

import io.logalert.ConsoleSink;
import io.logalert.Digest;
import io.logalert.TimeWindow;
import io.logalert.config.Assembly;
import io.logalert.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logalert replay}: the digests a past window would have produced, read from the source now and printed as
 * the console sink prints them; nothing is sent and nothing is saved. To try a grouping or a layout on real data.
 */
@Command(name = "replay", sortOptions = false,
        description = {"Prints the digests a past window would have produced (read from the source now, without "
                + "realert or silences). Sends nothing, saves nothing."})
final class ReplayCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--pipeline", required = true, paramLabel = "ID", description = "The pipeline to replay.")
    String pipeline;

    @Option(names = "--from", required = true, paramLabel = "TIME", description = TimeArgs.EXPECTED)
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "The window's end (excluded). Default: now.")
    String to = "now";

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "Zone of the times shown. Default: this "
            + "machine's.")
    ZoneId zone;

    @Option(names = "--locale", paramLabel = "LOCALE", description = "Labels: en or zh-CN. Default: en.")
    String locale = "en";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant now = main.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        TimeWindow window;
        try {
            window = new TimeWindow(time(from, "--from", now), time(to, "--to", now));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from must be before --to: "
                    + e.getMessage());
        }
        ConsoleSink console;
        ByteArrayOutputStream rendered = new ByteArrayOutputStream();
        try {
            console = new ConsoleSink(new PrintStream(rendered, true, StandardCharsets.UTF_8),
                    zone != null ? zone : main.zone(), Locale.forLanguageTag(locale));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--locale: " + e.getMessage());
        }
        ConfigLoader.Loaded loaded = main.load(config.file);
        // the state is read for the learnt templates only; held by a running logalert, the replay starts without
        Assembly.Options options = Assembly.Options.defaults(main.clock()).only(Set.of(pipeline)).stateInUseOk(true);
        try (Assembly assembly = Assembly.of(loaded, options)) {
            if (!loaded.problems().isEmpty()) {
                return Main.printProblems(loaded, err);
            }
            Assembly.Built built = assembly.pipeline(pipeline).orElse(null);
            if (built == null) {
                err.println("logalert: no pipeline `" + pipeline + "` in " + loaded.file());
                return Main.CONFIG;
            }
            assembly.notes().forEach(note -> err.println("note: " + note + "; replaying without the learnt "
                    + "templates"));
            List<Digest> digests;
            try {
                digests = built.pipeline().preview(window);
            } catch (RuntimeException e) {
                err.println("logalert: cannot replay " + window + ": " + e.getMessage());
                return Main.FAILED;
            }
            console.deliver(digests);
            out.print(rendered.toString(StandardCharsets.UTF_8));
            long events = digests.stream().mapToLong(Digest::totalEvents).sum();
            out.println("replayed " + pipeline + " " + window + ": " + digests.size()
                    + (digests.size() == 1 ? " digest, " : " digests, ") + events + " events; nothing was sent or "
                    + "saved");
            out.flush();
            return Main.OK;
        }
    }

    private Instant time(String text, String option, Instant now) {
        return TimeArgs.option(spec.commandLine(), option, text, now, main.zone());
    }
}
