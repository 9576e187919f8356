package io.logalert.testing;

import io.logalert.LogEvent;
import io.logalert.spi.LogSource;
import java.util.List;

/** The source contract, for a source that counts first and gives details later, as a store-side aggregation does. */
class InMemoryLogSourceDeferringContractTest extends LogSourceContract {

    @Override
    protected LogSource createSource(List<LogEvent> events) {
        return new InMemoryLogSource(events).deferDetails(true);
    }
}
