package io.logalert.source.elasticsearch;

import co.elastic.clients.elasticsearch.core.field_caps.FieldCapability;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the fields a source reads are mapped in the indices a window covers, found once per read with the field
 * capabilities API, filtered by the window's range so that older (or newer) indices do not count. A keyword field and
 * a text field with a {@code .keyword} sub-field (what dynamic mapping makes) both work; a field mapped differently in
 * two of these indices is a conflict.
 *
 * @param indices        the concrete indices that can hold documents of the window; empty when there are none
 * @param timestamp      the timestamp field, mapped or not
 * @param timestampNanos whether some index maps the timestamp as {@code date_nanos}
 * @param level          the level field
 * @param project        the project field
 * @param message        the message field
 * @param stackTraceUnindexed the indices that map the stack-trace field without indexing it (a {@code text} field with
 *                       {@code index: false}, an object): an {@code exists} query cannot find its documents there
 */
record IndexLayout(List<String> indices, FieldInfo timestamp, boolean timestampNanos, FieldInfo level,
        FieldInfo project, FieldInfo message, List<String> stackTraceUnindexed) {

    private static final Set<String> DATE_TYPES = Set.of("date", "date_nanos");
    private static final Set<String> TEXT_TYPES = Set.of("text", "match_only_text");

    /**
     * How one field is mapped.
     *
     * @param name    the configured field name
     * @param mapped  whether any index maps it (or its {@code .keyword} sub-field)
     * @param exact   the field holding exact values that can be aggregated and matched by term: the field itself when
     *                it is a keyword (or another aggregatable non-text type), else its {@code .keyword} sub-field
     * @param keyword whether {@code exact} is a keyword, so that a term query on it may ignore case
     * @param text    whether the field itself is full text
     */
    record FieldInfo(String name, boolean mapped, Optional<String> exact, boolean keyword, boolean text) {
    }

    /** The fields to ask the field capabilities API about. */
    static List<String> fieldsToAsk(SourceSettings.Fields fields) {
        List<String> names = new ArrayList<>();
        for (String field : List.of(fields.timestamp(), fields.level(), fields.project(), fields.message())) {
            names.add(field);
            names.add(field + ".keyword");
        }
        names.add(fields.stackTrace());
        return names;
    }

    /**
     * The layout described by a field capabilities answer.
     *
     * @param pattern how the user wrote the index pattern, for messages
     * @throws MappingConflictException when a field is mapped differently across the indices
     */
    static IndexLayout of(String pattern, SourceSettings.Fields fields, List<String> indices,
            Map<String, Map<String, FieldCapability>> caps) {
        List<String> conflicts = new ArrayList<>();
        Map<String, FieldCapability> timestampCaps = caps.getOrDefault(fields.timestamp(), Map.of());
        if (!DATE_TYPES.containsAll(timestampCaps.keySet())) {
            conflicts.add("the timestamp field '" + fields.timestamp() + "' must be a date or date_nanos field, "
                    + "but is mapped as " + describe(timestampCaps));
        }
        FieldInfo timestamp = new FieldInfo(fields.timestamp(), !timestampCaps.isEmpty(),
                Optional.of(fields.timestamp()), false, false);
        FieldInfo level = field(fields.level(), caps, conflicts);
        FieldInfo project = field(fields.project(), caps, conflicts);
        FieldInfo message = field(fields.message(), caps, conflicts);
        if (!conflicts.isEmpty()) {
            throw new MappingConflictException("the indices matching '" + pattern + "' map fields in ways this "
                    + "source cannot read: " + String.join("; ", conflicts)
                    + ". Make the mappings agree (an index template) or narrow 'index'.");
        }
        return new IndexLayout(List.copyOf(indices), timestamp, timestampCaps.containsKey("date_nanos"), level,
                project, message, unindexed(caps.getOrDefault(fields.stackTrace(), Map.of()), indices));
    }

    /**
     * The indices among {@code indices} where a field with capabilities {@code byType} is not searchable. Field
     * capabilities list the indices only when they disagree; otherwise a capability covers every index mapping it.
     */
    private static List<String> unindexed(Map<String, FieldCapability> byType, List<String> indices) {
        List<String> unindexed = new ArrayList<>();
        for (FieldCapability capability : byType.values()) {
            if (capability.searchable()) {
                continue;
            }
            if (!capability.nonSearchableIndices().isEmpty()) {
                unindexed.addAll(capability.nonSearchableIndices());
            } else if (!capability.indices().isEmpty()) {
                unindexed.addAll(capability.indices());
            } else {
                unindexed.addAll(indices);
            }
        }
        return unindexed.stream().distinct().sorted().toList();
    }

    /**
     * Why a read of these indices would count nothing although they hold documents, or empty: a timestamp, a level
     * (unless every level is read) or a project (when projects are included or excluded) that none of the indices
     * maps, or projects to include or exclude on a project field without exact values. A wrong field name would
     * otherwise read an empty window and let the checkpoint move on.
     */
    List<String> unreadable(SourceSettings settings) {
        List<String> problems = new ArrayList<>();
        if (!timestamp.mapped()) {
            problems.add(unmapped(SourceSettings.FIELD_TIMESTAMP, timestamp.name(), indices, "the documents' time "
                    + "field"));
        }
        if (!settings.anyLevel() && !level.mapped()) {
            problems.add(unmapped(SourceSettings.FIELD_LEVEL, level.name(), indices, "the documents' level field, "
                    + "or set " + SourceSettings.LEVELS + "=* to read every level"));
        }
        boolean projectsFiltered = !settings.includeProjects().isEmpty() || !settings.excludeProjects().isEmpty();
        if (projectsFiltered && !project.mapped()) {
            problems.add(unmapped(SourceSettings.FIELD_PROJECT, project.name(), indices, "the documents' project "
                    + "field, or remove " + SourceSettings.INCLUDE_PROJECTS + "/" + SourceSettings.EXCLUDE_PROJECTS));
        } else if (projectsFiltered && project.exact().isEmpty()) {
            // a phrase match on analysed text would take 'checkout' for 'checkout-v2': not the exact values promised
            problems.add("'" + SourceSettings.INCLUDE_PROJECTS + "'/'" + SourceSettings.EXCLUDE_PROJECTS
                    + "' match exact values, but the project field '" + project.name() + "' has no keyword value in "
                    + describeIndices(indices) + ": map it as keyword or give it a .keyword sub-field, or remove "
                    + SourceSettings.INCLUDE_PROJECTS + "/" + SourceSettings.EXCLUDE_PROJECTS);
        }
        return problems;
    }

    /** "'field.timestamp' '@ts' is mapped in none of [logs-1, logs-2]; set field.timestamp to ...". */
    static String unmapped(String key, String field, List<String> indices, String whatToSet) {
        return "'" + key + "' '" + field + "' is mapped in none of " + describeIndices(indices) + "; set " + key
                + " to " + whatToSet;
    }

    /** The indices for a message, the first 20 of them when there are more. */
    static String describeIndices(List<String> indices) {
        int shown = 20;
        if (indices.size() <= shown) {
            return indices.toString();
        }
        return "[" + String.join(", ", indices.subList(0, shown)) + ", and " + (indices.size() - shown) + " more]";
    }

    // ---- the 'index' expression

    /** Whether a part of {@code index} is a pattern, which may match nothing, rather than a name. */
    static boolean isPattern(String part) {
        return part.indexOf('*') >= 0;
    }

    /** The parts of {@code index} that add indices, without the exclusions ({@code -logs-old}), which only remove. */
    static List<String> inclusions(List<String> parts) {
        return parts.stream().filter(part -> !part.startsWith("-")).toList();
    }

    /**
     * The names among {@code existing} that {@code part} of {@code index} was probably meant to match, closest first,
     * at most {@code max}: those within one or two edits of it, a wildcard matching any text (so {@code app-prd-*}
     * finds {@code app-prod-2026.11.30}), and, when {@code part} is a name, those that begin with it (so
     * {@code app-prod} finds {@code app-prod-2026.11.30}). A part with fewer than three characters besides wildcards,
     * or one on a remote cluster, is too vague to compare: empty.
     */
    static List<String> similarNames(String part, Collection<String> existing, int max) {
        String wanted = part.toLowerCase(Locale.ROOT);
        long literal = wanted.chars().filter(c -> c != '*').count();
        if (literal < 3 || wanted.indexOf(':') >= 0) {
            return List.of();
        }
        // one edit in a short name already makes most names alike; two in a longer one catch a typo and a slip
        int tolerance = literal <= 5 ? 1 : 2;
        Map<String, Integer> close = new TreeMap<>();
        for (String name : existing) {
            String lower = name.toLowerCase(Locale.ROOT);
            int distance = wildcardDistance(wanted, lower);
            if (distance <= tolerance) {
                close.merge(name, distance, Math::min);
            } else if (!isPattern(wanted) && lower.startsWith(wanted)) {
                close.merge(name, tolerance + 1, Math::min);
            }
        }
        return close.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(max).map(Map.Entry::getKey).toList();
    }

    /**
     * The fewest characters to insert, delete or replace in {@code name} for {@code pattern} to match it, where
     * {@code *} in the pattern matches any text: the edit distance of a glob. Zero when the pattern matches.
     */
    static int wildcardDistance(String pattern, String name) {
        int[] previous = new int[name.length() + 1];
        int[] current = new int[name.length() + 1];
        for (int j = 0; j <= name.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= pattern.length(); i++) {
            char p = pattern.charAt(i - 1);
            current[0] = p == '*' ? previous[0] : previous[0] + 1;
            for (int j = 1; j <= name.length(); j++) {
                if (p == '*') {
                    current[j] = Math.min(previous[j], current[j - 1]);
                } else {
                    int replace = previous[j - 1] + (p == name.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
                }
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[name.length()];
    }

    private static FieldInfo field(String name, Map<String, Map<String, FieldCapability>> caps,
            List<String> conflicts) {
        Map<String, FieldCapability> own = caps.getOrDefault(name, Map.of());
        Map<String, FieldCapability> sub = caps.getOrDefault(name + ".keyword", Map.of());
        if (own.size() > 1) {
            conflicts.add("'" + name + "' is mapped as " + describe(own));
        }
        if (sub.size() > 1) {
            conflicts.add("'" + name + ".keyword' is mapped as " + describe(sub));
        }
        if (own.size() > 1 || sub.size() > 1) {
            return new FieldInfo(name, true, Optional.empty(), false, false);
        }
        Optional<FieldCapability> ownCap = own.values().stream().findFirst();
        Optional<FieldCapability> subCap = sub.values().stream().findFirst();
        boolean text = ownCap.map(c -> TEXT_TYPES.contains(c.type())).orElse(false);
        Optional<String> exact = Optional.empty();
        boolean keyword = false;
        if (ownCap.isPresent() && !text && ownCap.get().aggregatable()) {
            exact = Optional.of(name);
            keyword = isKeyword(ownCap.get().type());
        } else if (subCap.isPresent() && !TEXT_TYPES.contains(subCap.get().type()) && subCap.get().aggregatable()) {
            exact = Optional.of(name + ".keyword");
            keyword = isKeyword(subCap.get().type());
        }
        return new FieldInfo(name, ownCap.isPresent() || subCap.isPresent(), exact, keyword, text);
    }

    private static boolean isKeyword(String type) {
        return type.equals("keyword") || type.equals("constant_keyword") || type.equals("wildcard");
    }

    /** "keyword in [a, b], text in [c]". */
    private static String describe(Map<String, FieldCapability> byType) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, FieldCapability> entry : new TreeMap<>(byType).entrySet()) {
            List<String> where = entry.getValue().indices();
            parts.add(entry.getKey() + (where == null || where.isEmpty() ? "" : " in " + where));
        }
        return String.join(", ", parts);
    }

    /** The indices of a pattern disagree on how a field is mapped. */
    static final class MappingConflictException extends RuntimeException {
        MappingConflictException(String message) {
            super(message);
        }
    }
}
