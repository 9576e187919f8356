package io.logalert.testing;

import io.logalert.LogEvent;
import io.logalert.spi.LogSource;
import java.util.List;

class InMemoryLogSourceContractTest extends LogSourceContract {

    @Override
    protected LogSource createSource(List<LogEvent> events) {
        return new InMemoryLogSource(events);
    }
}
