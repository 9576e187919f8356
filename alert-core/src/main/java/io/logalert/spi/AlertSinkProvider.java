package io.logalert.spi;

/** Creates alert sinks; registered in {@code META-INF/services/io.logalert.spi.AlertSinkProvider}. */
public interface AlertSinkProvider extends PluginProvider<AlertSink> {
}
