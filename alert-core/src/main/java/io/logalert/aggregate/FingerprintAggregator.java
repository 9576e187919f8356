package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import java.util.List;

/**
 * Groups records of one project whose first message lines are the same once their variable parts are masked, and
 * whose exception types agree: {@code order 8812 failed} and {@code order 9017 failed} become one group,
 * {@code order <*> failed}. See {@link MessageMasker} for what is masked.
 *
 * <p>Type {@code fingerprint}; no configuration. The key depends only on the record, so it is the same in every
 * window and every JVM. Stateless and thread-safe; each {@link Aggregation} is not. Learns nothing, so there is
 * nothing to keep across a restart: {@link #learntState()} is {@code ""} and {@link #restoreLearntState(String)}
 * takes only {@code ""} (the defaults).
 */
public final class FingerprintAggregator implements Aggregator {

    /** The type name of this aggregator. */
    public static final String TYPE = "fingerprint";

    @Override
    public Aggregation start() {
        GroupTable table = new GroupTable(true);
        StringBuilder scratch = new StringBuilder();
        return new Aggregation() {
            @Override
            public String add(LogEvent event) {
                String template = MessageMasker.maskFirstLine(event.message(), false, scratch);
                return table.add(event.project(), ExceptionType.of(event), template, event);
            }

            @Override
            public List<ErrorGroup> groups() {
                return table.groups();
            }
        };
    }

    @Override
    public String name() {
        return TYPE;
    }
}
