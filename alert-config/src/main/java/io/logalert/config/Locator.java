package io.logalert.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Names where each problem of a configuration is, as the person who wrote it finds it: a YAML file's line and
 * column, or the property a value came from. Problems carry JSON pointers into the configuration's tree
 * ({@code /pipelines/0/source/hosts}); a locator turns them into lines a person reads.
 */
@FunctionalInterface
public interface Locator {

    /** The problems as lines, one each: where, then what is wrong. */
    List<String> lines(List<Problems.Problem> problems);

    /**
     * Lines {@code place: message}, in the order the problems were found, {@code placeOf} naming each pointer (it
     * receives {@code ""} for the configuration as a whole).
     */
    static Locator of(Function<String, String> placeOf) {
        Objects.requireNonNull(placeOf, "placeOf");
        return problems -> {
            List<String> lines = new ArrayList<>();
            for (Problems.Problem problem : problems) {
                lines.add(placeOf.apply(problem.pointer()) + ": " + problem.message());
            }
            return List.copyOf(lines);
        };
    }

    /**
     * {@code pipelines[0].source.hosts} for {@code /pipelines/0/source/hosts}: how a JSON pointer into the
     * configuration reads as a path of keys, each list item by its index.
     */
    static String path(String pointer) {
        return YamlIndex.display(pointer);
    }

    /** Lines {@code file:line:column: path: message}, in the order of the file, for a YAML file and its index. */
    static Locator yaml(String file, YamlIndex index) {
        return problems -> Problems.format(problems, file, index);
    }
}
