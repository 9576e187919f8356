package io.logalert.bench;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Measures how well an aggregator groups labelled log lines, in the layout of Loghub's samples.
 *
 * <pre>
 * java -cp logalert-demo.jar io.logalert.bench.GroupingEvaluation --data DIR --out DIR [--aggregator TYPE[,TYPE…]]
 *      [--config KEY=VALUE[,KEY=VALUE…]] [--protocol in-sample|leave-one-out] [--grid KEY=V|V…[,KEY=V|V…]]
 * </pre>
 *
 * <p>For every {@code *_structured.csv} in the data folder (columns {@code LineId, …, Content, EventId}), a fresh
 * aggregator counts the {@code Content} of every line, in file order, as the message of one project in one window;
 * the key of the group that holds the line after {@code groups()} ({@link Aggregation#keyOf(String)} of the key
 * {@code add} returned) is its predicted group and {@code EventId} its true group. It prints GA and FGA
 * (see {@link GroupingScore}) per file and on average, and writes {@code OUT/<file name>} with the header
 * {@code LineId,Group}, groups numbered in order of first appearance, and {@code OUT/<file name minus .csv>
 * .groups.csv} with each group's count and latest template. With several aggregators, each writes under
 * {@code OUT/<type>/}. The default aggregator is {@code template}.
 *
 * <p>{@code --protocol leave-one-out} gives the honest estimate of how the aggregator groups logs it has never seen:
 * for each file in turn, every setting of the grid is scored on the other files, the one with the best average GA
 * there is chosen (the first in grid order on a tie, the configuration given by {@code --config} counting as the
 * grid's first), and the held-out file is scored with it. The grid is the product of the values given per key by
 * {@code --grid} (keys of the aggregator's configuration, values separated by {@code |}), on top of
 * {@code --config}; without {@code --grid}, {@code template} uses {@link #DEFAULT_TEMPLATE_GRID} and other
 * aggregators, which have no thresholds, the configuration alone (their leave-one-out figure is their in-sample one).
 * It prints, per file, the in-sample GA and FGA (the configuration given), the leave-one-out GA and FGA and the
 * setting chosen without that file.
 */
public final class GroupingEvaluation {

    /** The project every line is counted in. */
    static final String PROJECT = "loghub";

    /**
     * The thresholds of {@code template} a leave-one-out run chooses from: around each default, both ways.
     */
    public static final String DEFAULT_TEMPLATE_GRID = "max-constant-values=2|3|4|5,max-recurring-values=3|5|8,"
            + "min-recurrence=3|5|10,min-value-evidence=1|2|3";

    /** The scores of one setting on every file, and the setting. */
    public record SettingResult(Map<String, String> setting, List<FileResult> results) {
    }

    /** A held-out file's scores: in-sample (the configuration given) and with the setting chosen on the others. */
    public record HeldOut(String file, GroupingScore inSample, GroupingScore heldOut, Map<String, String> chosen) {
    }

    private GroupingEvaluation() {
    }

    /** The score of one aggregator on one file. */
    public record FileResult(String file, String aggregator, GroupingScore score) {
    }

    /** Runs the evaluation from the command line; exits with 2 on wrong arguments. */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--data") || arg.equals("--out") || arg.equals("--aggregator") || arg.equals("--config")
                    || arg.equals("--protocol") || arg.equals("--grid")) && i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                usage("unknown or incomplete argument: " + arg);
                return;
            }
        }
        if (!options.containsKey("data") || !options.containsKey("out")) {
            usage("--data and --out are required");
            return;
        }
        List<String> types = List.of(options.getOrDefault("aggregator", "template").split(","));
        Path data = Path.of(options.get("data"));
        Path out = Path.of(options.get("out"));
        Map<String, String> config = new HashMap<>();
        for (String pair : options.getOrDefault("config", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                config.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            } else if (!pair.isBlank()) {
                usage("--config takes key=value pairs separated by commas, was " + pair);
                return;
            }
        }
        String protocol = options.getOrDefault("protocol", "in-sample");
        if (!protocol.equals("in-sample") && !protocol.equals("leave-one-out")) {
            usage("--protocol is in-sample or leave-one-out, was " + protocol);
            return;
        }
        if (options.containsKey("grid") && protocol.equals("in-sample")) {
            usage("--grid is for --protocol leave-one-out");
            return;
        }
        List<List<FileResult>> all = new ArrayList<>();
        for (String type : types) {
            Path target = types.size() == 1 ? out : out.resolve(type.strip());
            all.add(evaluate(data, target, type.strip(), PluginConfig.of(config)));
        }
        print(all, System.out);
        if (protocol.equals("leave-one-out")) {
            for (String type : types) {
                String gridText = options.getOrDefault("grid",
                        type.strip().equals("template") ? DEFAULT_TEMPLATE_GRID : "");
                List<Map<String, String>> grid;
                try {
                    grid = grid(config, gridText);
                } catch (IllegalArgumentException e) {
                    usage(e.getMessage());
                    return;
                }
                List<SettingResult> settings = scoreGrid(data, type.strip(), grid);
                printLeaveOneOut(type.strip(), leaveOneOut(settings), System.out);
            }
        }
    }

    /**
     * The settings of a grid: {@code base} with, for every combination of the values {@code grid} gives per key
     * ({@code key=v|v,key=v|v}), those values; {@code base} alone first when it is not one of them.
     *
     * @throws IllegalArgumentException when {@code grid} is not of that form, naming the part that is not
     */
    public static List<Map<String, String>> grid(Map<String, String> base, String grid) {
        List<Map<String, String>> settings = new ArrayList<>();
        settings.add(new LinkedHashMap<>(base));
        for (String part : grid.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("--grid takes key=value|value pairs separated by commas, was "
                        + part);
            }
            String key = part.substring(0, eq).strip();
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> setting : settings) {
                for (String value : part.substring(eq + 1).split("\\|")) {
                    Map<String, String> extended = new LinkedHashMap<>(setting);
                    extended.put(key, value.strip());
                    next.add(extended);
                }
            }
            settings = next;
        }
        // the configuration given comes first, so that a tie keeps it
        Map<String, String> given = new LinkedHashMap<>(base);
        List<Map<String, String>> ordered = new ArrayList<>();
        ordered.add(given);
        for (Map<String, String> setting : settings) {
            if (!ordered.contains(setting)) {
                ordered.add(setting);
            }
        }
        return ordered;
    }

    /** Scores every setting of {@code grid} on every file of {@code data}, writing nothing. */
    public static List<SettingResult> scoreGrid(Path data, String type, List<Map<String, String>> grid)
            throws IOException {
        List<Path> files = files(data);
        List<List<List<String>>> contents = new ArrayList<>();
        for (Path file : files) {
            contents.add(read(file));
        }
        List<SettingResult> results = new ArrayList<>();
        for (Map<String, String> setting : grid) {
            List<FileResult> perFile = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                Aggregator aggregator = Plugins.create(AggregatorProvider.class, type, PluginConfig.of(setting),
                        GroupingEvaluation.class.getClassLoader());
                perFile.add(new FileResult(files.get(f).getFileName().toString(), type,
                        group(files.get(f), contents.get(f), aggregator).score()));
            }
            results.add(new SettingResult(setting, perFile));
        }
        return results;
    }

    /**
     * For each file, the setting with the best average GA on the other files (the first on a tie) and its score on
     * the file; {@code settings.get(0)} is the in-sample one.
     */
    public static List<HeldOut> leaveOneOut(List<SettingResult> settings) {
        List<HeldOut> heldOut = new ArrayList<>();
        int files = settings.get(0).results().size();
        for (int h = 0; h < files; h++) {
            SettingResult best = null;
            double bestGa = -1;
            for (SettingResult setting : settings) {
                double ga = 0;
                for (int f = 0; f < files; f++) {
                    if (f != h) {
                        ga += setting.results().get(f).score().ga();
                    }
                }
                // compared as sums over the same files; a tie within rounding keeps the earlier setting
                if (ga > bestGa + 1e-9) {
                    best = setting;
                    bestGa = ga;
                }
            }
            FileResult given = settings.get(0).results().get(h);
            heldOut.add(new HeldOut(given.file(), given.score(), best.results().get(h).score(), best.setting()));
        }
        return heldOut;
    }

    /** Prints the leave-one-out table of one aggregator. */
    static void printLeaveOneOut(String type, List<HeldOut> heldOut, PrintStream out) {
        out.println("aggregator " + type + ", leave-one-out (each file scored with the setting best on the others)");
        out.printf(Locale.ROOT, "%-36s %6s %6s %6s %6s  %s%n", "file", "GA", "FGA", "in GA", "in FGA",
                "setting chosen without the file");
        double ga = 0;
        double fga = 0;
        double inGa = 0;
        double inFga = 0;
        for (HeldOut h : heldOut) {
            out.printf(Locale.ROOT, "%-36s %6.3f %6.3f %6.3f %6.3f  %s%n", h.file(), h.heldOut().ga(),
                    h.heldOut().fga(), h.inSample().ga(), h.inSample().fga(), h.chosen());
            ga += h.heldOut().ga();
            fga += h.heldOut().fga();
            inGa += h.inSample().ga();
            inFga += h.inSample().fga();
        }
        int n = heldOut.size();
        out.printf(Locale.ROOT, "%-36s %6.3f %6.3f %6.3f %6.3f%n%n", "average", ga / n, fga / n, inGa / n,
                inFga / n);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: GroupingEvaluation --data DIR --out DIR [--aggregator TYPE[,TYPE...]]"
                + " [--config KEY=VALUE[,KEY=VALUE...]]");
        System.exit(2);
    }

    /**
     * Evaluates the aggregator of {@code type}, created with an empty configuration, on every
     * {@code *_structured.csv} in {@code data}, writing predictions to {@code out}.
     *
     * @return one result per file, in file name order
     */
    public static List<FileResult> evaluate(Path data, Path out, String type) throws IOException {
        return evaluate(data, out, type, PluginConfig.empty());
    }

    /** Evaluates the aggregator of {@code type} made from {@code config}, as {@link #evaluate(Path, Path, String)}. */
    public static List<FileResult> evaluate(Path data, Path out, String type, PluginConfig config)
            throws IOException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        List<Path> files = files(data);
        Files.createDirectories(out);
        List<FileResult> results = new ArrayList<>();
        for (Path file : files) {
            Aggregator aggregator = Plugins.create(AggregatorProvider.class, type, config,
                    GroupingEvaluation.class.getClassLoader());
            results.add(new FileResult(file.getFileName().toString(), type, evaluateFile(file, out, aggregator)));
        }
        return results;
    }

    private static List<Path> files(Path data) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(data)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith("_structured.csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no *_structured.csv file in " + data.toAbsolutePath());
        }
        return files;
    }

    /** Groups the lines of one Loghub file with {@code aggregator} in one window, writes them, and scores them. */
    static GroupingScore evaluateFile(Path file, Path out, Aggregator aggregator) throws IOException {
        Grouped grouped = group(file, read(file), aggregator);
        write(file, out, grouped.ids(), grouped.predicted(), grouped.groups());
        return grouped.score();
    }

    private static List<List<String>> read(Path file) throws IOException {
        List<List<String>> records;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            records = Csv.read(in);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return records;
    }

    /** What grouping one file gave. */
    private record Grouped(List<String> ids, List<String> predicted, List<ErrorGroup> groups, GroupingScore score) {
    }

    private static Grouped group(Path file, List<List<String>> records, Aggregator aggregator) {
        List<String> header = records.get(0);
        int lineId = column(file, header, "LineId");
        int content = column(file, header, "Content");
        int eventId = column(file, header, "EventId");
        Aggregation aggregation = aggregator.start();
        List<String> truth = new ArrayList<>(records.size());
        List<String> predicted = new ArrayList<>(records.size());
        List<String> ids = new ArrayList<>(records.size());
        Instant start = Instant.EPOCH;
        for (int i = 1; i < records.size(); i++) {
            List<String> record = records.get(i);
            if (record.size() != header.size()) {
                throw new IllegalArgumentException(file.getFileName() + " record " + i + " has " + record.size()
                        + " fields, the header " + header.size());
            }
            LogEvent event = LogEvent.builder().id(record.get(lineId)).timestamp(start.plusMillis(i))
                    .project(PROJECT).message(record.get(content)).build();
            ids.add(record.get(lineId));
            predicted.add(aggregation.add(event));
            truth.add(record.get(eventId));
        }
        List<ErrorGroup> groups = aggregation.groups();
        // an aggregator that groups at groups() tells there which group each added key went to
        predicted.replaceAll(aggregation::keyOf);
        return new Grouped(ids, predicted, groups, GroupingScore.of(truth, predicted));
    }

    private static void write(Path file, Path out, List<String> ids, List<String> predicted,
            List<ErrorGroup> groups) throws IOException {
        Map<String, Integer> numbers = new HashMap<>();
        String name = file.getFileName().toString();
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(name), StandardCharsets.UTF_8)) {
            w.write("LineId,Group\n");
            for (int i = 0; i < ids.size(); i++) {
                Integer number = numbers.computeIfAbsent(predicted.get(i), k -> numbers.size() + 1);
                w.write(Csv.field(ids.get(i)) + "," + number + "\n");
            }
        }
        String groupsName = name.substring(0, name.length() - ".csv".length()) + ".groups.csv";
        List<ErrorGroup> sorted = new ArrayList<>(groups);
        sorted.sort((a, b) -> Integer.compare(numbers.getOrDefault(a.key(), 0), numbers.getOrDefault(b.key(), 0)));
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(groupsName), StandardCharsets.UTF_8)) {
            w.write("Group,Count,Template\n");
            for (ErrorGroup group : sorted) {
                w.write(numbers.getOrDefault(group.key(), 0) + "," + group.count() + ","
                        + Csv.field(group.template()) + "\n");
            }
        }
    }

    private static int column(Path file, List<String> header, String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException(file.getFileName() + " has no column " + name + "; it has " + header);
        }
        return index;
    }

    /** Prints one table per aggregator: GA, FGA, groups per file and the averages. */
    static void print(List<List<FileResult>> all, PrintStream out) {
        for (List<FileResult> results : all) {
            if (results.isEmpty()) {
                continue;
            }
            out.println("aggregator " + results.get(0).aggregator());
            out.printf(Locale.ROOT, "%-36s %6s %6s %7s %9s%n", "file", "GA", "FGA", "truth", "predicted");
            double ga = 0;
            double fga = 0;
            for (FileResult r : results) {
                GroupingScore s = r.score();
                out.printf(Locale.ROOT, "%-36s %6.3f %6.3f %7d %9d%n", r.file(), s.ga(), s.fga(), s.trueGroups(),
                        s.predictedGroups());
                ga += s.ga();
                fga += s.fga();
            }
            out.printf(Locale.ROOT, "%-36s %6.3f %6.3f%n%n", "average", ga / results.size(), fga / results.size());
        }
    }

    /** The average GA of {@code results}. */
    static double averageGa(List<FileResult> results) {
        return results.stream().mapToDouble(r -> r.score().ga()).average().orElse(0);
    }

}
