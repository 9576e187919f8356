package io.logalert;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Sends the digests of some projects to some sinks, with people to @-mention there. A digest goes to the sinks of
 * every route whose patterns match its project; a digest no route matches goes to the default route: the route with
 * no patterns, or, when there is none, every sink of the pipeline. A digest never goes nowhere.
 *
 * <pre>{@code
 * AlertPipeline.builder()
 *         .addSink(checkoutRobot).addSink(opsRobot)
 *         .route(Route.projects("checkout-*").to("checkout-robot").mention("13800000000"))
 *         .route(Route.unmatched().to("ops-robot"))
 * }</pre>
 *
 * @param projects project patterns: a glob ({@code checkout-*}, {@code ?} for one character) or, prefixed with
 *                 {@code re:}, a regular expression matched against the whole project name; empty for the default
 *                 route
 * @param sinks    names of the pipeline's sinks the digests go to; at least one
 * @param mentions who the sinks @-mention with these digests (phone numbers or user ids, as the sink understands
 *                 them)
 */
public record Route(List<String> projects, List<String> sinks, List<String> mentions) {

    /** Validates the route, naming every problem. */
    public Route {
        projects = List.copyOf(projects);
        sinks = List.copyOf(sinks);
        mentions = List.copyOf(mentions);
        List<String> problems = new ArrayList<>();
        for (String project : projects) {
            if (project.isBlank()) {
                problems.add("a project pattern is blank");
            } else if (project.startsWith("re:")) {
                try {
                    Pattern.compile(project.substring(3));
                } catch (PatternSyntaxException e) {
                    problems.add("'" + project + "' is not a regular expression: " + e.getDescription());
                }
            }
        }
        if (sinks.isEmpty()) {
            problems.add("a route needs at least one sink: to(\"sink-name\")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid route " + projects + ": " + String.join("; ", problems));
        }
    }

    /** A route builder for the projects matching any of {@code patterns}. */
    public static Builder projects(String... patterns) {
        if (patterns.length == 0) {
            throw new IllegalArgumentException("name at least one project pattern, or use Route.unmatched()");
        }
        return new Builder(List.of(patterns));
    }

    /** A route builder for the default route: projects no other route matches. */
    public static Builder unmatched() {
        return new Builder(List.of());
    }

    /** Whether this is the default route. */
    public boolean isDefault() {
        return projects.isEmpty();
    }

    /** Whether the route's patterns match {@code project}; the default route matches nothing by pattern. */
    public boolean matches(String project) {
        return matcher().test(project);
    }

    /** The route's patterns compiled once, for a caller that matches many projects. */
    Predicate<String> matcher() {
        List<Pattern> compiled = projects.stream()
                .map(p -> Pattern.compile(p.startsWith("re:") ? p.substring(3) : globRegex(p))).toList();
        return project -> compiled.stream().anyMatch(pattern -> pattern.matcher(project).matches());
    }

    private static String globRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    /** Builds a {@link Route}. */
    public static final class Builder {
        private final List<String> projects;

        private Builder(List<String> projects) {
            this.projects = projects;
        }

        /** The route to the sinks named {@code sinks}. */
        public Route to(String... sinks) {
            return new Route(projects, List.of(sinks), List.of());
        }
    }

    /** This route, @-mentioning {@code people} too. */
    public Route mention(String... people) {
        List<String> all = new ArrayList<>(mentions);
        all.addAll(List.of(people));
        return new Route(projects, sinks, all);
    }

    @Override
    public String toString() {
        return "Route[" + (isDefault() ? "(unmatched projects)" : String.join(",", projects)) + " -> " + sinks
                + (mentions.isEmpty() ? "" : ", @" + mentions.size()) + "]";
    }
}
