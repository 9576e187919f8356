package io.logalert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run has to say about one project (or, with {@link DigestOptions#perProject()} off, about all of them):
 * its largest error groups, and how much was left out. Digests are built by the pipeline and are the same for every
 * sink; a sink decides how to render, pack and split them.
 *
 * @param id             stable identity of the digest: the same pipeline, project and window give the same id, so a
 *                       sink or a spool can recognise a digest it has seen before
 * @param pipelineId     the pipeline that built it
 * @param project        the project, or {@link #ALL_PROJECTS} when one digest covers every project
 * @param window         the window whose records it counts
 * @param groups         the largest groups, by count descending, at most {@link DigestOptions#maxGroups()}
 * @param omittedGroups  how many further groups were left out
 * @param omittedEvents  how many records those left-out groups hold
 * @param silenced       what silences that have ended held back of this project, said once
 * @param catchUp        when the digest sums up a backlog read after downtime, the stretch of time the pipeline was
 *                       behind (from its last checkpoint to when it started catching up); the window then covers
 *                       the whole backlog
 * @param mentions       who the sink @-mentions with this digest, as its route says (phone numbers or user ids)
 * @param late           whether the digest counts records of an earlier window that were indexed after the window
 *                       was read ("+37 late errors in 14:00–14:01"); its groups then count those records only
 */
public record Digest(
        String id,
        String pipelineId,
        String project,
        TimeWindow window,
        List<ErrorGroup> groups,
        int omittedGroups,
        long omittedEvents,
        List<Silenced> silenced,
        Optional<TimeWindow> catchUp,
        List<String> mentions,
        boolean late) {

    /** The project of a digest that covers every project. */
    public static final String ALL_PROJECTS = "(all projects)";

    /** A digest of one window: nothing silenced to report, no catch-up. */
    public Digest(String id, String pipelineId, String project, TimeWindow window, List<ErrorGroup> groups,
            int omittedGroups, long omittedEvents) {
        this(id, pipelineId, project, window, groups, omittedGroups, omittedEvents, List.of(), Optional.empty(),
                List.of(), false);
    }

    /** A digest with no one to @-mention. */
    public Digest(String id, String pipelineId, String project, TimeWindow window, List<ErrorGroup> groups,
            int omittedGroups, long omittedEvents, List<Silenced> silenced, Optional<TimeWindow> catchUp) {
        this(id, pipelineId, project, window, groups, omittedGroups, omittedEvents, silenced, catchUp, List.of(),
                false);
    }

    /** This digest, @-mentioning {@code mentions}. */
    public Digest withMentions(List<String> mentions) {
        return new Digest(id, pipelineId, project, window, groups, omittedGroups, omittedEvents, silenced, catchUp,
                mentions, late);
    }

    /** Validates the digest and copies its lists. */
    public Digest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(window, "window");
        groups = List.copyOf(groups);
        silenced = List.copyOf(silenced);
        Objects.requireNonNull(catchUp, "catchUp");
        mentions = List.copyOf(mentions);
        if (omittedGroups < 0 || omittedEvents < 0) {
            throw new IllegalArgumentException("omitted counts cannot be negative");
        }
    }

    /** The id a digest of this pipeline, project and window has. */
    public static String idOf(String pipelineId, String project, TimeWindow window) {
        return pipelineId + '/' + project + '/' + window.from().toEpochMilli() + '-' + window.to().toEpochMilli();
    }

    /** The id of a digest of records of {@code window} found late, at {@code foundAt}. */
    public static String lateIdOf(String pipelineId, String project, TimeWindow window, Instant foundAt) {
        return idOf(pipelineId, project, window) + "/late-" + foundAt.toEpochMilli();
    }

    /** Records counted in this digest, those of omitted groups included. */
    public long totalEvents() {
        long total = omittedEvents;
        for (ErrorGroup group : groups) {
            total += group.count();
        }
        return total;
    }

    /** Groups counted in this digest, omitted ones included. */
    public int totalGroups() {
        return groups.size() + omittedGroups;
    }
}
