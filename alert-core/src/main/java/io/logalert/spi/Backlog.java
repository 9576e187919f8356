package io.logalert.spi;

import io.logalert.ErrorGroup;
import io.logalert.TimeWindow;
import java.util.List;
import java.util.Objects;

/**
 * The groups counted so far of a backlog the pipeline is catching up after downtime: it reads the backlog in
 * windows of at most {@code maxWindow}, saving the counts with each window's checkpoint, and delivers one catch-up
 * digest per project once it has caught up.
 *
 * @param down    the stretch the pipeline was behind: from its checkpoint to when catching up started
 * @param groups  the groups counted so far, one per project and key
 * @param samples for each group whose sample is a record the source deferred the details of
 *                ({@link io.logalert.LogEvent#detailsPending()}), which record that is, so that the catch-up digest
 *                can show its details although it was read windows earlier
 */
public record Backlog(TimeWindow down, List<ErrorGroup> groups, List<Sample> samples) {

    /**
     * Which record the group of {@code project} and {@code key} shows as its sample.
     *
     * @param project the group's project
     * @param key     the group's key
     * @param request the record to ask {@link LogSource#details(List)} for
     */
    public record Sample(String project, String key, SampleRequest request) {

        /** Validates the record. */
        public Sample {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(request, "request");
        }
    }

    /** A backlog none of whose samples wait for details. */
    public Backlog(TimeWindow down, List<ErrorGroup> groups) {
        this(down, groups, List.of());
    }

    /** Validates the record and copies its groups and samples. */
    public Backlog {
        Objects.requireNonNull(down, "down");
        groups = List.copyOf(groups);
        samples = List.copyOf(samples);
    }
}
