package io.logalert.aggregate;

import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.ConfigValidator;
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

    /**
     * Provides {@link TemplateAggregator}, type {@code template}. Keys: {@code max-templates-per-project} (default
     * 1000, at least 1) and {@code max-lines-per-window} (default 20000, at least 1), and the miner's thresholds
     * ({@link TemplateAggregator.Thresholds}, each at least 1): {@code max-constant-values} (3),
     * {@code max-recurring-values} (5), {@code min-recurrence} (5), {@code min-value-evidence} (2). The defaults are
     * one setting for every log format; the thresholds are keys so that an evaluation can choose them on held-out
     * data ({@code GroupingEvaluation --protocol leave-one-out}), not for tuning per system.
     */
    public static final class TemplateProvider implements AggregatorProvider {
        /** The key bounding the kinds a project may hold. */
        public static final String MAX_TEMPLATES_PER_PROJECT = "max-templates-per-project";
        /** The key bounding the distinct masked lines a window keeps per project. */
        public static final String MAX_LINES_PER_WINDOW = "max-lines-per-window";
        /** The key of {@link TemplateAggregator.Thresholds#maxConstantValues()}. */
        public static final String MAX_CONSTANT_VALUES = "max-constant-values";
        /** The key of {@link TemplateAggregator.Thresholds#maxRecurringValues()}. */
        public static final String MAX_RECURRING_VALUES = "max-recurring-values";
        /** The key of {@link TemplateAggregator.Thresholds#minRecurrence()}. */
        public static final String MIN_RECURRENCE = "min-recurrence";
        /** The key of {@link TemplateAggregator.Thresholds#minValueEvidence()}. */
        public static final String MIN_VALUE_EVIDENCE = "min-value-evidence";

        @Override
        public String type() {
            return TemplateAggregator.TYPE;
        }

        @Override
        public Aggregator create(PluginConfig config) {
            ConfigValidator validator = config.validator(TemplateAggregator.TYPE + " aggregator");
            int maxTemplates = validator.integer(MAX_TEMPLATES_PER_PROJECT,
                    TemplateAggregator.DEFAULT_MAX_TEMPLATES_PER_PROJECT, 1, Integer.MAX_VALUE);
            int maxLines = validator.integer(MAX_LINES_PER_WINDOW, TemplateAggregator.DEFAULT_MAX_LINES_PER_WINDOW, 1,
                    Integer.MAX_VALUE);
            int maxConstant = validator.integer(MAX_CONSTANT_VALUES, TemplateAggregator.DEFAULT_MAX_CONSTANT_VALUES, 1,
                    Integer.MAX_VALUE);
            int maxRecurring = validator.integer(MAX_RECURRING_VALUES,
                    TemplateAggregator.DEFAULT_MAX_RECURRING_VALUES, 1, Integer.MAX_VALUE);
            int minRecurrence = validator.integer(MIN_RECURRENCE, TemplateAggregator.DEFAULT_MIN_RECURRENCE, 1,
                    Integer.MAX_VALUE);
            int minEvidence = validator.integer(MIN_VALUE_EVIDENCE, TemplateAggregator.DEFAULT_MIN_VALUE_EVIDENCE, 1,
                    Integer.MAX_VALUE);
            validator.validate();
            return new TemplateAggregator(maxTemplates, maxLines,
                    new TemplateAggregator.Thresholds(maxConstant, maxRecurring, minRecurrence, minEvidence));
        }
    }
}
