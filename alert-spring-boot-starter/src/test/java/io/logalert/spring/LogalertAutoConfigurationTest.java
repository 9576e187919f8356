package io.logalert.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.AlertPipeline;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.spi.AlertSink;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class LogalertAutoConfigurationTest {

    private static final Instant NOW = Instant.parse("2026-11-30T14:00:00Z");

    /** The application's own parts, which the properties name with {@code bean}. */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationParts {

        @Bean
        ManualClock logalertClock() {
            return new ManualClock(NOW);
        }

        @Bean
        InMemoryLogSource appLogs() {
            return new InMemoryLogSource().add(LogEvent.of(NOW.minusSeconds(120), "checkout", "payment failed"))
                    .add(LogEvent.of(NOW.minusSeconds(90), "checkout", "payment failed"));
        }

        @Bean
        RecordingAlertSink opsSink() {
            return new RecordingAlertSink("ops");
        }
    }

    /** One pipeline over the application's parts, not started by the context, so that each test runs it. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LogalertAutoConfiguration.class))
            .withUserConfiguration(ApplicationParts.class)
            .withPropertyValues(
                    "logalert.auto-startup=false",
                    "logalert.pipelines[0].id=orders",
                    "logalert.pipelines[0].query-delay=30s",
                    "logalert.pipelines[0].source.bean=appLogs",
                    "logalert.pipelines[0].sinks[0].bean=opsSink");

    /** The configuration problems the context failed with. */
    private static LogalertConfigException problems(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (!(failure instanceof LogalertConfigException) && failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(LogalertConfigException.class);
        return (LogalertConfigException) failure;
    }

    @Test
    void eachConfiguredPipelineIsABeanNamedByItsIdAndDeliversToTheBeansItNames() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(LogalertPipelines.class).hasSingleBean(AlertPipeline.class);
            AlertPipeline pipeline = context.getBean("orders", AlertPipeline.class);
            assertThat(pipeline.id()).isEqualTo("orders");

            RunReport report = pipeline.runOnce();

            assertThat(report.failure()).isEmpty();
            RecordingAlertSink sink = context.getBean(RecordingAlertSink.class);
            assertThat(sink.delivered()).singleElement().satisfies(digest -> {
                assertThat(digest.project()).isEqualTo("checkout");
                assertThat(digest.totalEvents()).isEqualTo(2);
            });
        });
    }

    @Test
    void camelCaseKeysAndComposedPropertiesReadAsTheYamlKeys() {
        runner.withPropertyValues("logalert.pipelines[0].queryDelay=5s", "logalert.pipelines[0].maxWindow=2m",
                "logalert.pipelines[0].realert=false", "logalert.pipelines[0].kinds.backAfter=12h").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LogalertPipelines.class).pipeline("orders")).isPresent();
                });
    }

    @Test
    void pipelinesStartWithTheContextAndAreClosedWithIt() {
        AlertPipeline[] kept = new AlertPipeline[1];
        runner.withPropertyValues("logalert.auto-startup=true").run(context -> {
            LogalertPipelines pipelines = context.getBean(LogalertPipelines.class);
            assertThat(pipelines.isRunning()).isTrue();
            kept[0] = context.getBean("orders", AlertPipeline.class);
            // started: a second start is refused
            assertThatThrownBy(kept[0]::start).isInstanceOf(IllegalStateException.class);
        });
        assertThatThrownBy(kept[0]::runOnce).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void autoStartupFalseBuildsThePipelinesWithoutStartingThem() {
        runner.run(context -> {
            assertThat(context.getBean(LogalertPipelines.class).isRunning()).isFalse();
            // not started: the application may start it itself
            context.getBean("orders", AlertPipeline.class).start();
        });
    }

    @Test
    void enabledFalseSwitchesItOff() {
        runner.withPropertyValues("logalert.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(LogalertPipelines.class).doesNotHaveBean(AlertPipeline.class)
                .doesNotHaveBean("logalertHealthContributor"));
    }

    @Test
    void noPipelinesIsAProblem() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LogalertAutoConfiguration.class))
                .run(context -> assertThat(problems(context))
                        .hasMessageContaining("logalert: no configuration: it needs `pipelines`"));
    }

    @Test
    void everyProblemFailsTheStartEachNamingItsPropertyAndWhereItWasSet() {
        runner.withPropertyValues(
                "logalert.pipelines[0].interval=2x",
                "logalert.pipelines[0].query-dely=5s",
                "logalert.pipelines[0].sinks[1].name=robot",
                "logalert.pipelines[0].sinks[1].type=dingtalkk",
                "logalert.pipelines[0].routes[0].projects=checkout-*",
                "logalert.pipelines[0].routes[0].sinks=opps").run(context -> {
                    LogalertConfigException problems = problems(context);
                    assertThat(problems.problems()).anySatisfy(line -> assertThat(line)
                            .startsWith("logalert.pipelines[0].interval (")
                            .contains("is not a duration such as 30s"));
                    assertThat(problems.problems()).anySatisfy(line -> assertThat(line)
                            .startsWith("logalert.pipelines[0].query-dely (")
                            .contains("unknown key `query-dely` (did you mean `query-delay`?)"));
                    assertThat(problems.problems()).anySatisfy(line -> assertThat(line)
                            .startsWith("logalert.pipelines[0].sinks[1].type (")
                            .contains("unknown sink type `dingtalkk` (did you mean `dingtalk`?)"));
                    assertThat(problems.problems()).anySatisfy(line -> assertThat(line)
                            .startsWith("logalert.pipelines[0].routes[0].sinks[0] (")
                            .contains("no sink is named `opps` (did you mean `ops`?)"));
                    // where each was set: the test's property source
                    assertThat(problems.problems()).allSatisfy(line -> assertThat(line).contains("property source"));
                    assertThat(problems.getMessage()).startsWith("the logalert configuration has 4 problems:");
                });
    }

    @Test
    void aBeanThatIsMissingOrOfAnotherKindIsAProblemListingTheBeansThereAre() {
        runner.withPropertyValues("logalert.pipelines[0].sinks[0].bean=opSink",
                "logalert.pipelines[0].state.bean=appLogs").run(context -> {
                    assertThat(problems(context))
                            .hasMessageContaining("logalert.pipelines[0].sinks[0].bean (")
                            .hasMessageContaining("no bean is named `opSink` (did you mean `opsSink`?); the "
                                    + "AlertSink beans: opsSink")
                            .hasMessageContaining("logalert.pipelines[0].state.bean (")
                            .hasMessageContaining("bean `appLogs` is a io.logalert.testing.InMemoryLogSource, not a "
                                    + "io.logalert.spi.StateStore");
                });
    }

    @Test
    void pluginsAreFoundByTypeAsTheRunnerFindsThem(@TempDir Path state) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LogalertAutoConfiguration.class))
                .withUserConfiguration(ApplicationParts.class).withPropertyValues(
                "logalert.auto-startup=false",
                "logalert.pipelines[0].id=orders",
                "logalert.pipelines[0].source.bean=appLogs",
                "logalert.pipelines[0].sinks[0].type=console",
                "logalert.pipelines[0].state.type=file",
                "logalert.pipelines[0].state.path=" + state).run(context -> {
                    assertThat(context).hasNotFailed();
                    AlertPipeline pipeline = context.getBean(AlertPipeline.class);
                    assertThat(pipeline.runOnce().delivered()).isEqualTo(1);
                    assertThat(state.resolve("orders.json")).exists();
                });
    }

    @Test
    void theRunnersHttpSectionIsAProblemHere() {
        runner.withPropertyValues("logalert.http.port=9464").run(context -> assertThat(problems(context))
                .hasMessageContaining("logalert.http (")
                .hasMessageContaining("the runner's"));
    }

    @Test
    void aMisspeltKeyUnderLogalertIsAProblemAndOthersSharingThePrefixAreLeftAlone() {
        runner.withPropertyValues("logalert.enabeld=false", "logalert.elasticsearch.home=/opt/es").run(context -> {
            LogalertConfigException problems = problems(context);
            assertThat(problems.problems()).singleElement().asString().startsWith("logalert.enabeld (")
                    .endsWith("unknown key `enabeld` (did you mean `enabled`?)");
        });
    }

    @Test
    void aPlaceholderThatCannotBeResolvedIsAProblemRatherThanAValue() {
        runner.withPropertyValues("logalert.pipelines[0].instance=${LOGALERT_TEST_UNSET_NAME}").run(context ->
                assertThat(problems(context).problems()).singleElement().asString()
                        .startsWith("logalert.pipelines[0].instance (")
                        .endsWith("the placeholder ${LOGALERT_TEST_UNSET_NAME} cannot be resolved: set "
                                + "LOGALERT_TEST_UNSET_NAME (an environment variable or a property), or give a "
                                + "default: "
                                + "${NAME:default}"));
    }

    @Test
    void aPipelineIdThatIsAlreadyABeanNameIsAProblem() {
        runner.withPropertyValues("logalert.pipelines[0].id=opsSink").run(context -> assertThat(problems(context))
                .hasMessageContaining("already has a bean named `opsSink`"));
    }

    @Test
    void eachPipelineHasAHealthIndicatorUnderLogalert() {
        runner.withPropertyValues("logalert.pipelines[1].id=billing", "logalert.pipelines[1].source.bean=appLogs",
                "logalert.pipelines[1].sinks[0].bean=opsSink").run(context -> {
                    CompositeHealthContributor logalert = context.getBean("logalertHealthContributor",
                            CompositeHealthContributor.class);
                    HealthIndicator orders = (HealthIndicator) logalert.getContributor("orders");
                    assertThat(logalert.getContributor("billing")).isInstanceOf(HealthIndicator.class);
                    assertThat(orders.health().getStatus()).isEqualTo(Status.UNKNOWN);

                    context.getBean("orders", AlertPipeline.class).runOnce();

                    Health health = orders.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsKeys("reason", "lastRun", "checkpoint", "lag");
                });
    }

    @Test
    void aPipelineWhoseSourceFailedIsDownWithTheReason() {
        runner.run(context -> {
            context.getBean(InMemoryLogSource.class).unavailable(true);
            context.getBean("orders", AlertPipeline.class).runOnce();

            HealthIndicator orders = (HealthIndicator) context.getBean("logalertHealthContributor",
                    CompositeHealthContributor.class).getContributor("orders");
            Health health = orders.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason")).asString().contains("the source could not read");
        });
    }

    @Test
    void withoutSpringBootsHealthSupportThereIsNoIndicatorAndThePipelinesStillRun() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("logalertHealthContributor");
            assertThat(context.getBean(AlertPipeline.class).runOnce().delivered()).isEqualTo(1);
        });
    }

    @Test
    void metersAreBoundToTheContextsRegistryTaggedByPipeline() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class)).run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean("orders", AlertPipeline.class).runOnce();

                    assertThat(registry.get("logalert.runs").tags("pipeline", "orders", "outcome", "success")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get("logalert.read.events").tag("pipeline", "orders").counter().count())
                            .isEqualTo(2.0);
                    assertThat(registry.get("logalert.deliveries").tags("pipeline", "orders", "sink", "ops",
                            "result", "delivered").counter().count()).isEqualTo(1.0);
                });
    }

    @Test
    void withoutMicrometerThereIsNoBinderAndThePipelinesStillRun() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("logalertMeterBinder");
            assertThat(context.getBean(AlertPipeline.class).runOnce().delivered()).isEqualTo(1);
        });
    }

    @Test
    void withoutARegistryNothingIsBound() {
        runner.run(context -> assertThat(context).doesNotHaveBean(MeterRegistry.class).hasNotFailed());
    }

    @Test
    void theApplicationsBeansAreLeftForTheApplicationToClose() {
        runner.withBean("closeableSink", CloseableSink.class, CloseableSink::new)
                .withPropertyValues("logalert.pipelines[0].sinks[0].bean=closeableSink").run(context -> {
                    context.getBean(LogalertPipelines.class).close();

                    assertThat(context.getBean(CloseableSink.class).closed).isFalse();
                });
    }

    /** A sink of the application's that says whether it was closed. */
    static final class CloseableSink implements AlertSink, AutoCloseable {
        private final RecordingAlertSink recording = new RecordingAlertSink("closeable");
        volatile boolean closed;

        @Override
        public String name() {
            return recording.name();
        }

        @Override
        public java.util.List<io.logalert.DeliveryResult> deliver(java.util.List<io.logalert.Digest> digests) {
            return recording.deliver(digests);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
