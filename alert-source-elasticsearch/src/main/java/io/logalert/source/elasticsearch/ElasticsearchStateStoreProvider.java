package io.logalert.source.elasticsearch;

import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreProvider;

/**
 * Creates {@link ElasticsearchStateStore}s for the type {@value #TYPE}; registered in
 * {@code META-INF/services/io.logalert.spi.StateStoreProvider}.
 */
public final class ElasticsearchStateStoreProvider implements StateStoreProvider {

    /** The type users configure this store by. */
    public static final String TYPE = ElasticsearchStateStore.TYPE;

    /** Called by {@link java.util.ServiceLoader}. */
    public ElasticsearchStateStoreProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates a store from {@code config}; see {@link ElasticsearchStateStore} for the keys.
     *
     * @throws io.logalert.spi.ConfigException listing every problem of {@code config}
     */
    @Override
    public StateStore create(PluginConfig config) {
        return ElasticsearchStateStore.create(config);
    }
}
