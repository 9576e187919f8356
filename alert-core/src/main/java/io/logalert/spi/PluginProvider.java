package io.logalert.spi;

/**
 * Creates one kind of plug-in from configuration. Implementations have a public no-argument constructor and are
 * registered for {@link java.util.ServiceLoader} under the service interface that extends this one.
 *
 * @param <T> what the provider creates
 */
public interface PluginProvider<T> {

    /** The name users configure the plug-in by, e.g. {@code elasticsearch}; unique per service interface. */
    String type();

    /**
     * Creates a plug-in.
     *
     * @throws ConfigException listing every problem of {@code config}
     */
    T create(PluginConfig config);
}
