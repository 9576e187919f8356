package io.logalert.aggregate;

import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.util.Optional;

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

    /**
     * Provides {@link TemplateAggregator}, type {@code template}. Keys: {@code max-templates-per-project} (default
     * 1000, at least 1) and {@code similarity} (default 0.7, above 0 and at most 1).
     */
    public static final class TemplateProvider implements AggregatorProvider {
        /** The key bounding the templates a project may hold. */
        public static final String MAX_TEMPLATES_PER_PROJECT = "max-templates-per-project";
        /** The key of the share of a record's constant tokens a template must hold to take the record. */
        public static final String SIMILARITY = "similarity";

        @Override
        public String type() {
            return TemplateAggregator.TYPE;
        }

        @Override
        public Aggregator create(PluginConfig config) {
            ConfigValidator validator = config.validator(TemplateAggregator.TYPE + " aggregator");
            int maxTemplates = validator.integer(MAX_TEMPLATES_PER_PROJECT,
                    TemplateAggregator.DEFAULT_MAX_TEMPLATES_PER_PROJECT, 1, Integer.MAX_VALUE);
            double similarity = TemplateAggregator.DEFAULT_SIMILARITY;
            Optional<String> raw = validator.string(SIMILARITY);
            if (raw.isPresent()) {
                try {
                    similarity = Double.parseDouble(raw.get());
                } catch (NumberFormatException e) {
                    similarity = Double.NaN;
                }
                if (!(similarity > 0 && similarity <= 1)) {
                    validator.problem("'" + SIMILARITY + "' must be a number above 0 and at most 1, such as 0.5, was '"
                            + (raw.get().length() > 40 ? raw.get().substring(0, 40) + "…" : raw.get()) + "'");
                    similarity = TemplateAggregator.DEFAULT_SIMILARITY;
                }
            }
            validator.validate();
            return new TemplateAggregator(maxTemplates, similarity);
        }
    }
}
