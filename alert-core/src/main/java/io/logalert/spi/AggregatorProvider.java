package io.logalert.spi;

/** Creates aggregators; registered in {@code META-INF/services/io.logalert.spi.AggregatorProvider}. */
public interface AggregatorProvider extends PluginProvider<Aggregator> {
}
