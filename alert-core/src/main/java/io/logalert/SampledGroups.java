package io.logalert;

import io.logalert.spi.Backlog;
import io.logalert.spi.SampleRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups on their way to a digest, with the record each shows as its sample when the source deferred that record's
 * details ({@link LogEvent#detailsPending()}), so that the pipeline can ask for them once the digest is chosen.
 *
 * @param groups  the groups
 * @param samples per group ({@link WindowRead#groupId}) whose sample's details are pending, which record it is
 */
record SampledGroups(List<ErrorGroup> groups, Map<String, SampleRequest> samples) {

    /** Copies the groups and samples. */
    SampledGroups {
        groups = List.copyOf(groups);
        samples = Map.copyOf(samples);
    }

    /** The groups of {@code backlog}, with the samples it kept for them from the windows it was counted in. */
    static SampledGroups of(Backlog backlog) {
        Map<String, SampleRequest> samples = new HashMap<>();
        backlog.samples().forEach(s -> samples.put(WindowRead.groupId(s.project(), s.key()), s.request()));
        return new SampledGroups(backlog.groups(), samples);
    }

    /**
     * The record to ask for the details of the sample {@code group} shows. Only a request for the group's own project
     * and message: a group merged from several windows or aggregations must never show the thread of another record
     * than the one whose message it shows.
     */
    Optional<SampleRequest> requestFor(ErrorGroup group) {
        SampleRequest request = samples.get(WindowRead.groupId(group));
        if (request == null || !request.project().equals(group.project())
                || !request.message().equals(group.sampleMessage())) {
            return Optional.empty();
        }
        return Optional.of(request);
    }
}
