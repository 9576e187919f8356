package io.logalert;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Stage 5, route: which sinks get each digest, with whom to @-mention. A digest goes to the sinks of every route
 * that matches its project, else to the default route (the route without patterns, or every sink); mentions of all
 * the routes that send it to one sink are joined. Without routes, every sink gets every digest.
 */
final class Routing {

    private final List<Route> routes;
    /** Each route's patterns, compiled once: a run matches every digest against every route. */
    private final Map<Route, Predicate<String>> matchers = new IdentityHashMap<>();
    private final List<String> everySink;

    Routing(List<Route> routes, List<String> everySink) {
        this.routes = List.copyOf(routes);
        this.routes.forEach(route -> matchers.put(route, route.matcher()));
        this.everySink = List.copyOf(everySink);
    }

    /** The digests each sink gets, by sink name, in the digests' order. */
    Map<String, List<Digest>> route(List<Digest> digests) {
        Map<String, List<Digest>> bySink = new LinkedHashMap<>();
        everySink.forEach(sink -> bySink.put(sink, new ArrayList<>()));
        for (Digest digest : digests) {
            Map<String, Set<String>> mentions = new LinkedHashMap<>();
            for (Route route : routes) {
                if (!route.isDefault() && matchers.get(route).test(digest.project())) {
                    add(mentions, route);
                }
            }
            if (mentions.isEmpty()) {
                routes.stream().filter(Route::isDefault).forEach(route -> add(mentions, route));
            }
            if (mentions.isEmpty()) {
                everySink.forEach(sink -> mentions.put(sink, new LinkedHashSet<>()));
            }
            mentions.forEach((sink, people) -> bySink.get(sink).add(
                    people.isEmpty() ? digest : digest.withMentions(List.copyOf(people))));
        }
        return bySink;
    }

    private static void add(Map<String, Set<String>> mentions, Route route) {
        for (String sink : route.sinks()) {
            mentions.computeIfAbsent(sink, s -> new LinkedHashSet<>()).addAll(route.mentions());
        }
    }

    /** Problems of {@code routes} against the pipeline's sinks: unknown sink names, two default routes. */
    static List<String> problems(List<Route> routes, Set<String> sinkNames) {
        List<String> problems = new ArrayList<>();
        for (Route route : routes) {
            for (String sink : route.sinks()) {
                if (!sinkNames.contains(sink)) {
                    problems.add(route + " names sink '" + sink + "', which the pipeline does not have; its sinks "
                            + "are " + new TreeSet<>(sinkNames));
                }
            }
        }
        if (routes.stream().filter(Route::isDefault).count() > 1) {
            problems.add("more than one default route (Route.unmatched()); give one, or none to send unmatched "
                    + "projects to every sink");
        }
        return problems;
    }
}
