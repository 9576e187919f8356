package io.logalert.spi;

import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds plug-in providers with {@link ServiceLoader} and creates plug-ins by type name.
 *
 * <p>Discovery fails loudly, because an alerting library that silently drops alerts is worse than one that refuses
 * to start: two providers of one type, a provider that cannot be loaded, and an unknown type each throw a
 * {@link PluginDiscoveryException} that names the classes involved or lists the known types.
 */
public final class Plugins {

    /** Types shipped in other logalert artifacts, so that an unknown-type error can say what to add. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "elasticsearch", "io.logalert:alert-source-elasticsearch",
            "dingtalk", "io.logalert:alert-sink-dingtalk");

    private Plugins() {
    }

    /**
     * Creates the plug-in of {@code type} from the providers of {@code service} visible to {@code loader}.
     *
     * @throws PluginDiscoveryException when the type is unknown or discovery fails
     * @throws ConfigException          when the provider rejects {@code config}
     */
    public static <T, P extends PluginProvider<T>> T create(
            Class<P> service, String type, PluginConfig config, ClassLoader loader) {
        Objects.requireNonNull(config, "config");
        return provider(service, type, loader).create(config);
    }

    /**
     * The provider of {@code type} among those of {@code service} visible to {@code loader}.
     *
     * @throws PluginDiscoveryException when the type is unknown or discovery fails
     */
    public static <P extends PluginProvider<?>> P provider(Class<P> service, String type, ClassLoader loader) {
        Objects.requireNonNull(type, "type");
        Map<String, P> providers = providers(service, loader);
        P provider = providers.get(type);
        if (provider == null) {
            String hint = ARTIFACTS.containsKey(type)
                    ? " Add the artifact " + ARTIFACTS.get(type) + " to the class path."
                    : " Add the artifact that provides it to the class path, or register its "
                            + service.getSimpleName() + " in META-INF/services/" + service.getName() + ".";
            throw new PluginDiscoveryException("no " + service.getSimpleName() + " of type '" + type
                    + "'; known types: " + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet()))
                    + "." + hint);
        }
        return provider;
    }

    /**
     * Every provider of {@code service} visible to {@code loader}, by type, sorted.
     *
     * @throws PluginDiscoveryException when a provider cannot be loaded or two share a type
     */
    public static <P extends PluginProvider<?>> Map<String, P> providers(Class<P> service, ClassLoader loader) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(loader, "loader");
        Map<String, P> byType = new TreeMap<>();
        try {
            for (ServiceLoader.Provider<P> candidate : ServiceLoader.load(service, loader).stream().toList()) {
                P provider = instantiate(service, candidate);
                String type = provider.type();
                if (type == null || type.isBlank()) {
                    throw new PluginDiscoveryException(service.getSimpleName() + " "
                            + provider.getClass().getName() + " declares no type");
                }
                P previous = byType.putIfAbsent(type, provider);
                if (previous != null) {
                    throw new PluginDiscoveryException("two " + service.getSimpleName() + "s declare the type '"
                            + type + "': " + previous.getClass().getName() + " and "
                            + provider.getClass().getName() + ". Remove one of them from the class path.");
                }
            }
        } catch (ServiceConfigurationError e) {
            // thrown while listing: a registered class that is missing or does not implement the service
            throw new PluginDiscoveryException("cannot load a " + service.getSimpleName() + " registered in "
                    + "META-INF/services/" + service.getName() + ": " + e.getMessage(), e);
        }
        return byType;
    }

    private static <P> P instantiate(Class<P> service, ServiceLoader.Provider<P> candidate) {
        String className = candidate.type().getName();
        try {
            return candidate.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new PluginDiscoveryException("cannot load " + service.getSimpleName() + " " + className + ": "
                    + cause, e);
        }
    }
}
