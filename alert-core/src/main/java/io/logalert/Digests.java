package io.logalert;

import java.time.Instant;
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

    /**
     * The groups among {@code groups} that their digests show (the rest are counted as "more groups"): the groups
     * whose samples are worth loading when a source deferred their details.
     */
    static List<ErrorGroup> shown(List<ErrorGroup> groups, DigestOptions options) {
        List<ErrorGroup> shown = new ArrayList<>();
        for (List<ErrorGroup> scoped : byScope(groups, options).values()) {
            shown.addAll(top(scoped, options));
        }
        return shown;
    }

    /** {@code groups} by the scope of their digest, each scope's groups in the order its digest shows them. */
    private static Map<String, List<ErrorGroup>> byScope(List<ErrorGroup> groups, DigestOptions options) {
        Map<String, List<ErrorGroup>> byScope = new TreeMap<>();
        for (ErrorGroup group : groups) {
            byScope.computeIfAbsent(scope(group.project(), options), k -> new ArrayList<>()).add(group);
        }
        byScope.values().forEach(scoped -> scoped.sort(BY_COUNT));
        return byScope;
    }

    private static String scope(String project, DigestOptions options) {
        return options.perProject() ? project : Digest.ALL_PROJECTS;
    }

    /** The groups a digest of {@code sorted}, one scope's groups in order, shows; the rest are "more groups". */
    private static List<ErrorGroup> top(List<ErrorGroup> sorted, DigestOptions options) {
        return sorted.subList(0, Math.min(sorted.size(), options.maxGroups()));
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
        return build(pipelineId, window, groups, silenced, catchUp, Optional.empty(), options);
    }

    /** The digests of records of {@code window} found late, at {@code foundAt}, the busiest project first. */
    static List<Digest> late(String pipelineId, TimeWindow window, List<ErrorGroup> groups, Instant foundAt,
            DigestOptions options) {
        return build(pipelineId, window, groups, List.of(), Optional.empty(), Optional.of(foundAt), options);
    }

    private static List<Digest> build(String pipelineId, TimeWindow window, List<ErrorGroup> groups,
            List<Silenced> silenced, Optional<TimeWindow> catchUp, Optional<Instant> lateFoundAt,
            DigestOptions options) {
        Map<String, List<ErrorGroup>> byScope = byScope(groups, options);
        Map<String, List<Silenced>> notes = new TreeMap<>();
        for (Silenced tally : silenced) {
            String scope = scope(tally.project(), options);
            byScope.computeIfAbsent(scope, k -> new ArrayList<>());
            notes.computeIfAbsent(scope, k -> new ArrayList<>()).add(tally);
        }
        List<Digest> digests = new ArrayList<>(byScope.size());
        byScope.forEach((scope, list) -> digests.add(digest(pipelineId, scope, window, list,
                notes.getOrDefault(scope, List.of()), catchUp, lateFoundAt, options)));
        digests.sort(Comparator.comparingLong(Digest::totalEvents).reversed());
        return digests;
    }

    /** The digest of {@code groups}, one scope's groups in the order {@link #byScope} sorts them. */
    private static Digest digest(String pipelineId, String scope, TimeWindow window, List<ErrorGroup> groups,
            List<Silenced> silenced, Optional<TimeWindow> catchUp, Optional<Instant> lateFoundAt,
            DigestOptions options) {
        List<ErrorGroup> shownGroups = new ArrayList<>();
        for (ErrorGroup group : top(groups, options)) {
            shownGroups.add(truncated(group, options.maxMessageLength()));
        }
        int shown = shownGroups.size();
        long omittedEvents = 0;
        for (ErrorGroup group : groups.subList(shown, groups.size())) {
            omittedEvents += group.count();
        }
        String id = lateFoundAt.map(at -> Digest.lateIdOf(pipelineId, scope, window, at))
                .orElseGet(() -> Digest.idOf(pipelineId, scope, window));
        return new Digest(id, pipelineId, scope, window, shownGroups, groups.size() - shown, omittedEvents, silenced,
                catchUp, List.of(), lateFoundAt.isPresent());
    }

    private static ErrorGroup truncated(ErrorGroup group, int maxLength) {
        // a lone surrogate (a log line cut inside a pair upstream) is not text: no sink may send it on
        String template = wellFormed(truncate(group.template(), maxLength));
        String sample = wellFormed(truncate(group.sampleMessage(), maxLength));
        String thread = wellFormed(group.sampleThread());
        String project = wellFormed(group.project());
        if (template == group.template() && sample == group.sampleMessage() && thread == group.sampleThread()
                && project == group.project()) {
            return group;
        }
        return new ErrorGroup(project, group.key(), template, sample, group.count(), group.firstSeen(),
                group.lastSeen(), thread, group.mark(), group.heldBack());
    }

    /** {@code text} with every lone UTF-16 surrogate replaced by U+FFFD; the same instance when it has none. */
    static String wellFormed(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            if (lone && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(lone ? '\uFFFD' : c);
            }
        }
        return out == null ? text : out.toString();
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
