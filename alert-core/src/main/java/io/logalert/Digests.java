package io.logalert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Stage 4, build digests: the groups of one window (or of a caught-up backlog) and what ended silences held, one
 * digest per project: sink-agnostic, bounded in groups and in message length.
 */
final class Digests {

    /**
     * New and back kinds first, so that a digest never leaves them among its "more groups"; then largest counts;
     * ties by first seen, then key, so that digests are deterministic.
     */
    static final Comparator<ErrorGroup> BY_COUNT = Comparator.comparing((ErrorGroup g) -> g.mark() == Mark.NONE)
            .thenComparing(Comparator.comparingLong(ErrorGroup::count).reversed())
            .thenComparing(ErrorGroup::firstSeen).thenComparing(ErrorGroup::key);

    private Digests() {
    }

    /** The digests of {@code groups}, the busiest project first. */
    static List<Digest> build(String pipelineId, TimeWindow window, List<ErrorGroup> groups, DigestOptions options) {
        return build(pipelineId, window, groups, List.of(), Optional.empty(), options);
    }

    /**
     * The digests of {@code groups} and {@code silenced}, the busiest project first; with {@code catchUp}, each is
     * a catch-up digest for that stretch of downtime.
     */
    static List<Digest> build(String pipelineId, TimeWindow window, List<ErrorGroup> groups, List<Silenced> silenced,
            Optional<TimeWindow> catchUp, DigestOptions options) {
        Map<String, List<ErrorGroup>> byScope = new TreeMap<>();
        Map<String, List<Silenced>> notes = new TreeMap<>();
        for (ErrorGroup group : groups) {
            String scope = options.perProject() ? group.project() : Digest.ALL_PROJECTS;
            byScope.computeIfAbsent(scope, k -> new ArrayList<>()).add(group);
        }
        for (Silenced tally : silenced) {
            String scope = options.perProject() ? tally.project() : Digest.ALL_PROJECTS;
            byScope.computeIfAbsent(scope, k -> new ArrayList<>());
            notes.computeIfAbsent(scope, k -> new ArrayList<>()).add(tally);
        }
        List<Digest> digests = new ArrayList<>(byScope.size());
        byScope.forEach((scope, list) -> digests.add(digest(pipelineId, scope, window, list,
                notes.getOrDefault(scope, List.of()), catchUp, options)));
        digests.sort(Comparator.comparingLong(Digest::totalEvents).reversed());
        return digests;
    }

    private static Digest digest(String pipelineId, String scope, TimeWindow window, List<ErrorGroup> groups,
            List<Silenced> silenced, Optional<TimeWindow> catchUp, DigestOptions options) {
        groups.sort(BY_COUNT);
        int shown = Math.min(groups.size(), options.maxGroups());
        List<ErrorGroup> top = new ArrayList<>(shown);
        for (ErrorGroup group : groups.subList(0, shown)) {
            top.add(truncated(group, options.maxMessageLength()));
        }
        long omittedEvents = 0;
        for (ErrorGroup group : groups.subList(shown, groups.size())) {
            omittedEvents += group.count();
        }
        return new Digest(Digest.idOf(pipelineId, scope, window), pipelineId, scope, window, top,
                groups.size() - shown, omittedEvents, silenced, catchUp);
    }

    private static ErrorGroup truncated(ErrorGroup group, int maxLength) {
        String template = truncate(group.template(), maxLength);
        String sample = truncate(group.sampleMessage(), maxLength);
        if (template == group.template() && sample == group.sampleMessage()) {
            return group;
        }
        return new ErrorGroup(group.project(), group.key(), template, sample, group.count(), group.firstSeen(),
                group.lastSeen(), group.sampleThread(), group.mark(), group.heldBack());
    }

    /** {@code text} cut to {@code maxLength} characters ending in "…", never inside a surrogate pair. */
    static String truncate(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        int end = maxLength - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + '…';
    }
}
