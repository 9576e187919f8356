package io.logalert.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Rate budgets shared by every process that uses one state store: a robot's 20 messages a minute hold across the
 * JVMs of several applications, not per JVM. Offered by a shared {@link StateStore} ({@link StateStore#budgets()});
 * the pipeline hands them to its sinks ({@link AlertSink#shareBudgets(SharedBudgets)}). Thread-safe.
 */
public interface SharedBudgets {

    /**
     * Takes one of the {@code limit} slots that {@code key} has in any {@code per}, at {@code now}.
     *
     * @return empty when the slot was taken; otherwise the instant one frees, and nothing was taken
     * @throws StateStoreException when the store cannot be asked; the caller sends nothing then
     */
    Optional<Instant> take(String key, int limit, Duration per, Instant now);
}
