package io.logalert;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import io.logalert.spi.StateStoreProvider;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;

/** The providers of the sinks and stores shipped in alert-core, registered for {@link java.util.ServiceLoader}. */
public final class BuiltInPlugins {

    private BuiltInPlugins() {
    }

    /**
     * Provides {@link ConsoleSink}, type {@code console}. Keys {@code stream} ({@code stdout} or {@code stderr};
     * default {@code stdout}), {@code locale} ({@code en} or {@code zh-CN}; default {@code en}),
     * {@code time-zone} (default: this machine's zone) and {@code name} (default {@code console}).
     */
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
            Labels labels = Labels.read(v, "locale");
            ZoneId zone = v.zone("time-zone", ZoneId.systemDefault());
            String name = v.string("name", ConsoleSink.TYPE);
            v.check(!name.isBlank(), "'name' must not be blank: routes and pending deliveries use it");
            v.validate();
            PrintStream out = stream == Stream.STDERR ? System.err : System.out;
            return new ConsoleSink(out, zone, labels.locale(), name);
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

    /**
     * Provides {@link FileStateStore}, type {@code file}. Key {@code path} (required): the directory to keep state
     * files in, created if missing; one process at a time may use it.
     */
    public static final class FileStateStoreProvider implements StateStoreProvider {
        @Override
        public String type() {
            return FileStateStore.TYPE;
        }

        /**
         * A file store over the directory {@code path}.
         *
         * @throws ConfigException     listing every problem of {@code config}: {@code path} missing or not a path,
         *                             unknown keys
         * @throws StateStoreException when the directory cannot be created or is in use by another store
         */
        @Override
        public StateStore create(PluginConfig config) {
            ConfigValidator v = config.validator(FileStateStore.TYPE + " state store");
            String path = v.required("path", "the directory to keep pipeline state in, one <pipeline-id>.json "
                    + "per pipeline; created if missing");
            Path directory = null;
            if (!path.isEmpty()) {
                try {
                    directory = Path.of(path);
                } catch (InvalidPathException e) {
                    v.problem("'path' must be a directory path, was '" + path + "': " + e.getReason());
                }
            }
            v.validate();
            return new FileStateStore(directory);
        }
    }
}
