package io.logalert.runner;

import io.logalert.InMemoryStateStore;
import io.logalert.Silence;
import io.logalert.config.Assembly;
import io.logalert.config.ConfigLoader;
import io.logalert.config.Durations;
import io.logalert.config.Suggest;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logalert silence add|list|remove}: the silences of a pipeline, kept in its state store. They need a store
 * that outlives this process ({@code file} or {@code elasticsearch}); a {@code file} store is locked by a running
 * logalert, so with it silences are changed while the service is stopped, or through a store both can share.
 */
@Command(name = "silence", description = "Adds, lists and removes the silences of a pipeline (in its state store).",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Remove.class})
final class SilenceCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: add, list or remove");
    }

    /**
     * Builds the pipelines {@code ids} (all when empty) of the file and hands them to {@code action}; problems, an
     * unknown id or a store that does not persist are reported with their exit code.
     */
    int withPipelines(ConfigOption config, Set<String> ids, CommandSpec command,
            Function<List<Assembly.Built>, Integer> action) {
        PrintWriter err = command.commandLine().getErr();
        ConfigLoader.Loaded loaded = main.load(config.file);
        try (Assembly assembly = Assembly.of(loaded, Assembly.Options.defaults(main.clock()).only(ids))) {
            if (!loaded.problems().isEmpty()) {
                return Main.printProblems(loaded, err);
            }
            List<String> known = loaded.pipelineIds();
            for (String id : ids) {
                if (assembly.pipeline(id).isEmpty()) {
                    err.println("logalert: no pipeline `" + id + "` in " + loaded.file() + Suggest.didYouMean(id, known)
                            + "; its pipelines: " + String.join(", ", known));
                    return Main.CONFIG;
                }
            }
            List<Assembly.Built> persistent = new ArrayList<>();
            for (Assembly.Built built : assembly.pipelines()) {
                if (built.stateType().equals(InMemoryStateStore.TYPE)) {
                    if (!ids.isEmpty()) {
                        err.println("logalert: pipeline `" + built.id() + "` keeps its state in memory (state: "
                                + "{type: memory}, or no `state`), so a silence would vanish with this command; give "
                                + "it a `file` or `elasticsearch` state store");
                        return Main.CONFIG;
                    }
                    continue;
                }
                persistent.add(built);
            }
            return action.apply(persistent);
        }
    }

    static String describe(Silence silence, Instant now) {
        String state = silence.isActive(now) ? "active" : now.isBefore(silence.createdAt()) ? "not started"
                : "ended";
        return silence.id() + "  " + scope(silence.scope()) + " `" + silence.match() + "`  " + silence.createdAt()
                + " – " + silence.expiresAt() + " (" + state + ")  by " + silence.createdBy() + ": "
                + silence.reason();
    }

    private static String scope(Silence.Scope scope) {
        return switch (scope) {
            case PROJECT -> "project";
            case KIND -> "kind";
            case MESSAGE_CONTAINS -> "message contains";
            case MESSAGE_REGEX -> "message matches";
        };
    }

    /** What every silence command has: the --config option, and the pipelines of the file it names. */
    abstract static class Subcommand implements Callable<Integer> {

        @ParentCommand
        SilenceCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        int withPipelines(Set<String> ids, Function<List<Assembly.Built>, Integer> action) {
            return parent.withPipelines(config, ids, spec, action);
        }
    }

    /** {@code silence add}. */
    @Command(name = "add", sortOptions = false, description = "Holds back a project's, a kind's or matching records "
            + "until the silence expires; what it holds is counted and said in the next digests.")
    static final class Add extends Subcommand {

        @Option(names = "--pipeline", required = true, paramLabel = "ID", description = "The pipeline.")
        String pipeline;

        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Until until;

        @Option(names = "--from", paramLabel = "TIME", description = "When it starts. Default: now.")
        String from;

        @Option(names = "--reason", required = true, description = "Why; shown with what it held.")
        String reason;

        @Option(names = "--by", paramLabel = "NAME", description = "Who sets it. Default: the user running this.")
        String by = System.getProperty("user.name", "unknown");

        @Option(names = "--id", description = "Its id, to remove it by. Default: a random one.")
        String id;

        /** What the silence matches: exactly one. */
        static final class What {
            @Option(names = "--project", required = true, description = "A project, exactly.")
            String project;

            @Option(names = "--kind", required = true, paramLabel = "KEY", description = "A kind's group key.")
            String kind;

            @Option(names = "--contains", required = true, paramLabel = "TEXT",
                    description = "Kinds whose template or sample message contains TEXT.")
            String contains;

            @Option(names = "--regex", required = true,
                    description = "Kinds whose template or sample message has a match of REGEX.")
            String regex;
        }

        /** How long: exactly one. */
        static final class Until {
            @Option(names = "--for", required = true, paramLabel = "DURATION", description = "e.g. 2h, 30m, 1d.")
            String duration;

            @Option(names = "--until", required = true, paramLabel = "TIME", description = TimeArgs.EXPECTED)
            String until;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant now = parent.main.clock().instant().truncatedTo(ChronoUnit.SECONDS);
            Instant start = from == null ? now : time(from, "--from", now);
            Instant end;
            if (until.duration != null) {
                Duration length = Durations.parse(until.duration).filter(d -> !d.isZero()).orElseThrow(() ->
                        new CommandLine.ParameterException(spec.commandLine(), "--for `" + until.duration
                                + "` is not " + Durations.EXPECTED));
                end = start.plus(length);
            } else {
                end = time(until.until, "--until", now);
            }
            Silence.Scope scope = what.project != null ? Silence.Scope.PROJECT : what.kind != null
                    ? Silence.Scope.KIND : what.contains != null ? Silence.Scope.MESSAGE_CONTAINS
                    : Silence.Scope.MESSAGE_REGEX;
            String match = Optional.ofNullable(what.project).or(() -> Optional.ofNullable(what.kind))
                    .or(() -> Optional.ofNullable(what.contains)).orElse(what.regex);
            String silenceId = id != null ? id : "s-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
                    .nextInt());
            Silence silence;
            try {
                silence = new Silence(silenceId, scope, match, start, end, reason, by);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return withPipelines(Set.of(pipeline), pipelines -> {
                pipelines.get(0).pipeline().silences().add(silence);
                out.println("added to " + pipeline + ": " + describe(silence, parent.main.clock().instant()));
                out.flush();
                return Main.OK;
            });
        }

        private Instant time(String text, String option, Instant now) {
            return TimeArgs.option(spec.commandLine(), option, text, now, parent.main.zone());
        }
    }

    /** {@code silence list}. */
    @Command(name = "list", description = "Lists the silences of one pipeline, or of every pipeline with a "
            + "persistent state store.")
    static final class ListSilences extends Subcommand {

        @Option(names = "--pipeline", paramLabel = "ID", description = "Only this pipeline.")
        String pipeline;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Set<String> ids = pipeline == null ? Set.of() : Set.of(pipeline);
            return withPipelines(ids, pipelines -> {
                Instant now = parent.main.clock().instant();
                if (pipelines.isEmpty()) {
                    out.println("no pipeline of " + config.file + " keeps its state in a persistent store (file or "
                            + "elasticsearch), so none has silences");
                }
                for (Assembly.Built built : pipelines) {
                    List<Silence> silences = built.pipeline().silences().list();
                    out.println(built.id() + ": " + (silences.isEmpty() ? "no silences" : silences.size()
                            + (silences.size() == 1 ? " silence" : " silences")));
                    silences.forEach(s -> out.println("  " + describe(s, now)));
                }
                out.flush();
                return Main.OK;
            });
        }
    }

    /** {@code silence remove}. */
    @Command(name = "remove", description = "Removes a silence: it stops holding records back now; what it held is "
            + "said in the next digests.")
    static final class Remove extends Subcommand {

        @Option(names = "--pipeline", required = true, paramLabel = "ID", description = "The pipeline.")
        String pipeline;

        @Parameters(paramLabel = "SILENCE_ID", description = "The silence's id, as `silence list` shows it.")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            return withPipelines(Set.of(pipeline), pipelines -> {
                if (pipelines.get(0).pipeline().silences().remove(id)) {
                    out.println("removed silence " + id + " from " + pipeline);
                    out.flush();
                    return Main.OK;
                }
                err.println("logalert: pipeline " + pipeline + " has no silence " + id + "; see `silence list`");
                return Main.FAILED;
            });
        }
    }
}
