package io.logalert.spi;

/** Creates log sources; registered in {@code META-INF/services/io.logalert.spi.LogSourceProvider}. */
public interface LogSourceProvider extends PluginProvider<LogSource> {
}
