package io.logalert.guarantees;

import io.logalert.TimeWindow;
import io.logalert.spi.LogSource;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** A source that forwards everything to another; a fault test overrides {@code read} to strike during a read. */
abstract class ForwardingLogSource implements LogSource {

    protected final LogSource delegate;

    ForwardingLogSource(LogSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public OptionalLong count(TimeWindow window) {
        return delegate.count(window);
    }

    @Override
    public Optional<Instant> now() {
        return delegate.now();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
