package io.logalert.spi;

/** Creates state stores; registered in {@code META-INF/services/io.logalert.spi.StateStoreProvider}. */
public interface StateStoreProvider extends PluginProvider<StateStore> {
}
