package io.logalert;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreProvider;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The providers of the sinks and stores shipped in alert-core, registered for {@link java.util.ServiceLoader}. */
public final class BuiltInPlugins {

    private BuiltInPlugins() {
    }

    /** Provides {@link ConsoleSink}, type {@code console}. */
    public static final class ConsoleSinkProvider implements AlertSinkProvider {

        /** Where the console sink prints. */
        enum Stream { STDOUT, STDERR }

        @Override
        public String type() {
            return ConsoleSink.TYPE;
        }

        @Override
        public AlertSink create(PluginConfig config) {
            ConfigValidator v = config.validator(ConsoleSink.TYPE + " sink");
            Stream stream = v.oneOf("stream", Stream.STDOUT, Stream.class);
            ZoneId zone = v.zone("time-zone", ZoneOffset.UTC);
            v.validate();
            PrintStream out = stream == Stream.STDERR ? System.err : System.out;
            return new ConsoleSink(out, zone);
        }
    }

    /** Provides {@link InMemoryStateStore}, type {@code memory}. */
    public static final class InMemoryStateStoreProvider implements StateStoreProvider {
        @Override
        public String type() {
            return InMemoryStateStore.TYPE;
        }

        @Override
        public StateStore create(PluginConfig config) {
            config.validator(InMemoryStateStore.TYPE + " state store").validate();
            return new InMemoryStateStore();
        }
    }
}
