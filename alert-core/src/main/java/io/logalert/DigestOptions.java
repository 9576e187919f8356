package io.logalert;

import java.util.ArrayList;
import java.util.List;

/**
 * How the pipeline turns error groups into digests.
 *
 * @param perProject       one digest per project (default) rather than one for the whole pipeline
 * @param maxGroups        the largest groups a digest lists; the rest are summed up as "+K more groups (M events)".
 *                         Default: 20
 * @param maxMessageLength the characters kept of a sample message or template; longer ones are cut and end with
 *                         "…". Default: 1,000
 */
public record DigestOptions(boolean perProject, int maxGroups, int maxMessageLength) {

    /** Per project, 20 groups, 1,000 characters. */
    public static final DigestOptions DEFAULTS = new DigestOptions(true, 20, 1_000);

    /** Validates the options, naming every value out of range. */
    public DigestOptions {
        List<String> problems = new ArrayList<>();
        if (maxGroups < 1) {
            problems.add("maxGroups must be at least 1, was " + maxGroups);
        }
        if (maxMessageLength < 16) {
            problems.add("maxMessageLength must be at least 16, was " + maxMessageLength);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid digest options: " + String.join("; ", problems));
        }
    }

    /** A copy with {@code perProject} changed. */
    public DigestOptions perProject(boolean perProject) {
        return new DigestOptions(perProject, maxGroups, maxMessageLength);
    }

    /** A copy with {@code maxGroups} changed. */
    public DigestOptions maxGroups(int maxGroups) {
        return new DigestOptions(perProject, maxGroups, maxMessageLength);
    }

    /** A copy with {@code maxMessageLength} changed. */
    public DigestOptions maxMessageLength(int maxMessageLength) {
        return new DigestOptions(perProject, maxGroups, maxMessageLength);
    }
}
