package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import java.util.List;

/**
 * Groups records whose project and message are identical, character for character: what the script logalert
 * replaces did with a {@code Counter}. Kept for comparison and for logs whose messages never carry ids; it barely
 * groups messages that do ({@code order 8812 failed} and {@code order 9017 failed} are two groups).
 *
 * <p>Type {@code exact}; no configuration. Stateless and thread-safe; each {@link Aggregation} is not. Learns
 * nothing: a key comes from the record alone, the same in every window, after a restart and on every instance, so
 * {@link #learntState()} is {@code ""} and {@link #restoreLearntState(String)} takes only {@code ""} (the defaults).
 */
public final class ExactAggregator implements Aggregator {

    /** The type name of this aggregator. */
    public static final String TYPE = "exact";

    @Override
    public Aggregation start() {
        GroupTable table = new GroupTable(false);
        return new Aggregation() {
            @Override
            public String add(LogEvent event) {
                return table.add(event.project(), "", event.message(), event);
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
