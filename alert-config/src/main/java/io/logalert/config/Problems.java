package io.logalert.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every problem found in a configuration, each at a place in it, so that all of them are reported at once. Places
 * are JSON pointers into the configuration's tree ({@code /pipelines/0/source/hosts}); a {@link Locator} names them
 * as a person finds them: line and column of a YAML file, or a Spring property. Not thread-safe.
 */
public final class Problems {

    /** What kind of problem stops the command: the file is wrong, or something it names cannot be used now. */
    public enum Kind {
        /** The configuration itself is wrong: exit code 2. */
        CONFIG,
        /** The configuration is right but a resource it names cannot be used (a state directory in use): exit 1. */
        UNAVAILABLE
    }

    /**
     * One problem.
     *
     * @param pointer where, as a JSON pointer into the document
     * @param message what is wrong and what is allowed; never a secret's value
     * @param kind    whether the file is wrong
     * @param at      where in the text, when the text could not be indexed (it is not YAML)
     */
    public record Problem(String pointer, String message, Kind kind, Optional<YamlIndex.Position> at) {
    }

    /** The most characters of a wrong value a problem shows. */
    private static final int MAX_SHOWN = 3;

    private final List<Problem> problems = new ArrayList<>();
    /** Places whose value is already known to be wrong (an unset variable): later complaints about them repeat it. */
    private final Set<String> broken = new HashSet<>();

    /**
     * A wrong value as a problem shows it: a short prefix and its length, never the whole value, whatever its key (a
     * password pasted into the wrong key would otherwise reach a log or a cron mail); the line and column say where
     * to look. The rule of the plug-ins' {@code ConfigValidator}.
     */
    public static String redact(String value) {
        int length = value.codePointCount(0, value.length());
        StringBuilder prefix = new StringBuilder();
        value.codePoints().limit(Math.min(MAX_SHOWN, length / 4))
                .forEach(c -> prefix.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return "`" + prefix + "…` (" + length + (length == 1 ? " character)" : " characters)");
    }

    void add(String pointer, String message) {
        add(pointer, message, Kind.CONFIG);
    }

    void add(String pointer, String message, Kind kind) {
        if (!broken.contains(pointer)) {
            problems.add(new Problem(pointer, message, kind, Optional.empty()));
        }
    }

    /** Adds a problem at a known position, for when the document could not be indexed (it is not YAML). */
    void addAt(YamlIndex.Position at, String message) {
        problems.add(new Problem("", message, Kind.CONFIG, Optional.of(at)));
    }

    /** Marks a place whose problems were reported, so that further problems there are not. */
    void markBroken(String pointer) {
        broken.add(pointer);
    }

    boolean isBroken(String pointer) {
        return broken.contains(pointer);
    }

    /** Whether nothing is wrong. */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** How many problems. */
    public int size() {
        return problems.size();
    }

    /** Whether every problem is of kind {@link Kind#UNAVAILABLE}: the configuration itself is right. */
    public boolean onlyUnavailable() {
        return !problems.isEmpty() && problems.stream().allMatch(p -> p.kind() == Kind.UNAVAILABLE);
    }

    /** The problems, in the order they were found. */
    public List<Problem> all() {
        return List.copyOf(problems);
    }

    /**
     * The problems as lines {@code file:line:column: path: message}, in the order of the file, for a person and for
     * editors that jump to {@code file:line:column}.
     */
    static List<String> format(List<Problem> problems, String file, YamlIndex index) {
        record Line(int line, int column, String text) {
        }
        List<Line> lines = new ArrayList<>();
        for (Problem problem : problems) {
            Optional<YamlIndex.Position> at = problem.at().or(() -> index.find(problem.pointer()));
            int line = at.map(YamlIndex.Position::line).orElse(0);
            int column = at.map(YamlIndex.Position::column).orElse(0);
            String where = at.isPresent() ? file + ":" + line + ":" + column : file;
            String path = YamlIndex.display(problem.pointer());
            lines.add(new Line(line, column, where + ": " + (path.isEmpty() ? "" : path + ": ") + problem.message()));
        }
        lines.sort(Comparator.comparingInt(Line::line).thenComparingInt(Line::column));
        return lines.stream().map(Line::text).toList();
    }
}
