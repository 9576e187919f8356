package io.logalert.source.elasticsearch;

import io.logalert.spi.LogSource;
import io.logalert.spi.LogSourceProvider;
import io.logalert.spi.PluginConfig;

/**
 * Creates {@link ElasticsearchLogSource}s for the type {@value #TYPE}; registered in
 * {@code META-INF/services/io.logalert.spi.LogSourceProvider}.
 */
public final class ElasticsearchLogSourceProvider implements LogSourceProvider {

    /** The type users configure this source by. */
    public static final String TYPE = "elasticsearch";

    /** Called by {@link java.util.ServiceLoader}. */
    public ElasticsearchLogSourceProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates a source from {@code config}.
     *
     * @throws io.logalert.spi.ConfigException listing every problem of {@code config}
     */
    @Override
    public LogSource create(PluginConfig config) {
        return ElasticsearchLogSource.create(config);
    }
}
