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
 *      [--config KEY=VALUE[,KEY=VALUE…]]
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
 */
public final class GroupingEvaluation {

    /** The project every line is counted in. */
    static final String PROJECT = "loghub";

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
            if ((arg.equals("--data") || arg.equals("--out") || arg.equals("--aggregator") || arg.equals("--config"))
                    && i + 1 < args.length) {
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
        List<List<FileResult>> all = new ArrayList<>();
        for (String type : types) {
            Path target = types.size() == 1 ? out : out.resolve(type.strip());
            all.add(evaluate(data, target, type.strip(), PluginConfig.of(config)));
        }
        print(all, System.out);
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
        List<Path> files;
        try (Stream<Path> listing = Files.list(data)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith("_structured.csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no *_structured.csv file in " + data.toAbsolutePath());
        }
        Files.createDirectories(out);
        List<FileResult> results = new ArrayList<>();
        for (Path file : files) {
            Aggregator aggregator = Plugins.create(AggregatorProvider.class, type, config,
                    GroupingEvaluation.class.getClassLoader());
            results.add(new FileResult(file.getFileName().toString(), type, evaluateFile(file, out, aggregator)));
        }
        return results;
    }

    /** Groups the lines of one Loghub file with {@code aggregator} in one window, writes them, and scores them. */
    static GroupingScore evaluateFile(Path file, Path out, Aggregator aggregator) throws IOException {
        List<List<String>> records;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            records = Csv.read(in);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
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
        write(file, out, ids, predicted, groups);
        return GroupingScore.of(truth, predicted);
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
