package io.logalert.aggregate;

import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.PluginConfig;

/** The providers of the aggregators shipped in alert-core, registered for {@link java.util.ServiceLoader}. */
public final class BuiltInAggregators {

    private BuiltInAggregators() {
    }

    /** Provides {@link ExactAggregator}, type {@code exact}. */
    public static final class ExactProvider implements AggregatorProvider {
        @Override
        public String type() {
            return ExactAggregator.TYPE;
        }

        @Override
        public Aggregator create(PluginConfig config) {
            config.validator(ExactAggregator.TYPE + " aggregator").validate();
            return new ExactAggregator();
        }
    }

    /** Provides {@link FingerprintAggregator}, type {@code fingerprint}. */
    public static final class FingerprintProvider implements AggregatorProvider {
        @Override
        public String type() {
            return FingerprintAggregator.TYPE;
        }

        @Override
        public Aggregator create(PluginConfig config) {
            config.validator(FingerprintAggregator.TYPE + " aggregator").validate();
            return new FingerprintAggregator();
        }
    }
}
