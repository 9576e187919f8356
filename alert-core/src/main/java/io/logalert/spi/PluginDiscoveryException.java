package io.logalert.spi;

/**
 * Plug-in discovery failed: an unknown type, two providers of one type, or a provider that cannot be loaded. The
 * message names the classes involved or lists the known types.
 */
public class PluginDiscoveryException extends IllegalStateException {

    /** Discovery failed for {@code message}'s reason. */
    public PluginDiscoveryException(String message) {
        super(message);
    }

    /** Discovery failed for {@code message}'s reason, caused by {@code cause}. */
    public PluginDiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
