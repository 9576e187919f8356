package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.logalert.TimeWindow;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** Builds the queries of a read: which documents belong to a window. */
final class Queries {

    /**
     * Formats that read the window's bounds exactly, to the nanosecond, whatever the field's own format is; the
     * bounds are always absolute UTC instants, never local times.
     */
    static final String BOUND_FORMAT = "strict_date_optional_time_nanos";

    private Queries() {
    }

    /**
     * The documents of {@code window}: timestamp in {@code [from, to)}, one of the levels (ignoring case), the
     * included and not the excluded projects, and the extra filter.
     */
    static Query window(SourceSettings settings, IndexLayout layout, TimeWindow window) {
        BoolQuery.Builder bool = new BoolQuery.Builder();
        bool.filter(range(settings, window));
        if (!settings.anyLevel()) {
            bool.filter(anyOf(layout.level(), settings.levels(), true));
        }
        if (!settings.includeProjects().isEmpty()) {
            bool.filter(anyOf(layout.project(), settings.includeProjects(), false));
        }
        if (!settings.excludeProjects().isEmpty()) {
            bool.mustNot(anyOf(layout.project(), settings.excludeProjects(), false));
        }
        settings.filter().ifPresent(json -> bool.filter(Query.of(q -> q.withJson(new StringReader(json)))));
        return Query.of(q -> q.bool(bool.build()));
    }

    /**
     * The timestamp in {@code [from, to)}. Also the field capabilities' index filter, so that only the indices that
     * can hold documents of the window count for the layout.
     */
    static Query range(SourceSettings settings, TimeWindow window) {
        return Query.of(q -> q.range(r -> r.date(d -> d.field(settings.fields().timestamp())
                .gte(window.from().toString()).lt(window.to().toString()).format(BOUND_FORMAT))));
    }

    /** The documents of {@code query} whose message has a keyword value, which a terms aggregation can group. */
    static Query withExactMessage(Query query, String exactMessageField) {
        return Query.of(q -> q.bool(b -> b.filter(query).filter(f -> f.exists(e -> e.field(exactMessageField)))));
    }

    /** The documents of {@code query} whose message has no keyword value: too long, text only, or missing. */
    static Query withoutExactMessage(Query query, String exactMessageField) {
        return Query.of(q -> q.bool(b -> b.filter(query).mustNot(f -> f.exists(e -> e.field(exactMessageField)))));
    }

    /** Matches a document whose {@code field} holds one of {@code values}. */
    private static Query anyOf(IndexLayout.FieldInfo field, List<String> values, boolean ignoreCase) {
        List<Query> alternatives = new ArrayList<>();
        for (String value : values) {
            if (field.exact().isPresent()) {
                String exact = field.exact().get();
                // a keyword is case-sensitive; case_insensitive makes ERROR, error and Error one level
                boolean caseInsensitive = ignoreCase && field.keyword();
                alternatives.add(Query.of(q -> q.term(t -> {
                    t.field(exact).value(FieldValue.of(value));
                    if (caseInsensitive) {
                        t.caseInsensitive(true);
                    }
                    return t;
                })));
            } else if (field.text()) {
                // levels only (IndexLayout.unreadable refuses projects without exact values): the standard analyzer
                // lowercases, so a phrase match on text ignores case already
                alternatives.add(Query.of(q -> q.matchPhrase(m -> m.field(field.name()).query(value))));
            } else {
                // unmapped in every index, which IndexLayout.unreadable refuses before a query is built
                alternatives.add(Query.of(q -> q.term(t -> t.field(field.name()).value(FieldValue.of(value)))));
            }
        }
        return Query.of(q -> q.bool(b -> b.should(alternatives).minimumShouldMatch("1")));
    }
}
