package io.logalert.spring;

import io.logalert.AlertPipeline;
import io.logalert.config.Assembly;
import io.logalert.metrics.LogalertMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * logalert in a Spring Boot application: the pipelines of the {@code logalert.*} properties (the runner's YAML keys,
 * under {@code logalert}), checked as the runner checks them, started with the context and closed with it; a health
 * contributor {@code logalert} with one indicator per pipeline when Spring Boot's health support is present; the
 * pipelines' meters when Micrometer is. {@code logalert.enabled=false} switches it all off.
 *
 * <p>Plug-ins are found by type through {@code ServiceLoader}, as the runner finds them; a section
 * {@code {bean: name}} takes the context's bean of that name instead (an {@code AlertSink}, a {@code LogSource} or a
 * {@code StateStore}). A bean {@code logalertClock} of type {@link Clock} replaces the system clock.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "logalert.enabled", matchIfMissing = true)
@Import(PipelineBeansRegistrar.class)
public class LogalertAutoConfiguration {

    /** The name of the optional {@link Clock} bean the pipelines run on. */
    public static final String CLOCK_BEAN = "logalertClock";

    /** The pipelines, built and checked; started and closed with the context. */
    @Bean
    @ConditionalOnMissingBean
    public LogalertPipelines logalertPipelines(Environment environment, ConfigurableListableBeanFactory beanFactory) {
        Clock clock = beanFactory.containsBean(CLOCK_BEAN) ? beanFactory.getBean(CLOCK_BEAN, Clock.class)
                : Clock.systemUTC();
        ClassLoader loader = beanFactory.getBeanClassLoader() != null ? beanFactory.getBeanClassLoader()
                : LogalertAutoConfiguration.class.getClassLoader();
        Assembly.Options options = Assembly.Options.defaults(clock).loader(loader)
                .beans(new ContextBeans(beanFactory)).onReport(LogalertPipelines::log);
        boolean autoStartup = environment.getProperty(EnvironmentConfig.PREFIX + ".auto-startup", Boolean.class,
                true);
        EnvironmentConfig config = EnvironmentConfig.of(environment);
        return LogalertPipelines.of(config.read(), config.starterProblems(), options, autoStartup);
    }

    /** A health indicator per pipeline, under one contributor: {@code /actuator/health/logalert/<pipeline id>}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "logalertHealthContributor")
        CompositeHealthContributor logalertHealthContributor(LogalertPipelines pipelines) {
            Map<String, AlertPipeline> byId = new LinkedHashMap<>();
            pipelines.pipelines().forEach(pipeline -> byId.put(pipeline.id(), pipeline));
            return CompositeHealthContributor.fromMap(byId, PipelineHealthIndicator::new);
        }
    }

    /**
     * The meters of every pipeline ({@link LogalertMetrics}, tagged by pipeline), bound to the context's registries
     * by Spring Boot's metrics support, as every {@link MeterBinder} bean is.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "logalertMeterBinder")
        MeterBinder logalertMeterBinder(LogalertPipelines pipelines) {
            return registry -> pipelines.pipelines().forEach(pipeline -> new LogalertMetrics(pipeline)
                    .bindTo(registry));
        }
    }
}
