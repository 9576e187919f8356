package io.logalert.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.AlertPipeline;
import io.logalert.LogEvent;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A configuration handed over already parsed (the Spring Boot starter's properties): the file's keys and checks,
 * values as text, problems named by the caller's {@link Locator}; and sections that name the application's objects.
 */
class TreeConfigTest {

    private static final Locator PROPERTIES = Locator.of(pointer -> pointer.isEmpty() ? "app"
            : "app." + Locator.path(pointer));

    @Test
    void aTreeOfTextBindsAsTheFileDoes() {
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("id", "orders");
        pipeline.put("interval", "2m");
        pipeline.put("realert", "false");
        pipeline.put("kinds", Map.of("max-kinds", "500"));
        pipeline.put("digests", Map.of("per-project", "true"));
        pipeline.put("source", Map.of("type", "elasticsearch", "hosts", List.of("http://a:9200", "http://b:9200"),
                "field", Map.of("project", "app")));
        pipeline.put("sinks", List.of(Map.of("name", "ops", "type", "console")));
        pipeline.put("routes", List.of(Map.of("default", "true", "sinks", "ops")));

        ConfigLoader.Loaded loaded = ConfigLoader.read("app", Map.of("pipelines", List.of(pipeline)), PROPERTIES);

        assertThat(loaded.problemLines()).isEmpty();
        Specs.Pipeline p = loaded.spec().orElseThrow().pipelines().get(0);
        assertThat(p.interval()).isEqualTo(Duration.ofMinutes(2));
        // Spring's YAML reads a bare `off` as false
        assertThat(p.realert().off()).isTrue();
        assertThat(p.kinds().maxKinds()).isEqualTo(500);
        assertThat(p.digests().perProject()).isTrue();
        assertThat(p.source().values()).containsEntry("hosts", "http://a:9200,http://b:9200")
                .containsEntry("field.project", "app");
        assertThat(p.routes().get(0).isDefault()).isTrue();
        assertThat(p.routes().get(0).sinks()).containsExactly("ops");
    }

    @Test
    void everyProblemIsNamedByTheLocator() {
        Map<String, Object> pipeline = Map.of("id", "orders", "interval", "2x", "query-dely", "5s",
                "source", Map.of("type", "elasticsearch"), "sinks", List.of(Map.of("type", "consol")));

        ConfigLoader.Loaded loaded = ConfigLoader.read("app", Map.of("pipelines", List.of(pipeline)), PROPERTIES);
        try (Assembly ignored = Assembly.of(loaded, Assembly.Options.defaults(new ManualClock(Instant.EPOCH)))) {
            assertThat(loaded.problemLines()).contains(
                    "app.pipelines[0].interval: `…` (2 characters) is not a duration such as 30s, 2m, 1h, 1d or PT2M",
                    "app.pipelines[0].query-dely: unknown key `query-dely` (did you mean `query-delay`?)")
                    .anySatisfy(line -> assertThat(line).startsWith("app.pipelines[0].sinks[0].type: unknown sink "
                            + "type `consol` (did you mean `console`?)"));
        }
    }

    @Test
    void anEmptyTreeSaysWhatIsMissing() {
        assertThat(ConfigLoader.read("app", Map.of(), PROPERTIES).problemLines())
                .containsExactly("app: no configuration: it needs `pipelines`, a list of pipelines");
    }

    /** Objects by name, as an application context holds them. */
    private static Beans beans(Map<String, Object> objects) {
        return new Beans() {
            @Override
            public Optional<Object> find(String name) {
                return Optional.ofNullable(objects.get(name));
            }

            @Override
            public Set<String> names(Class<?> type) {
                return objects.entrySet().stream().filter(e -> type.isInstance(e.getValue())).map(Map.Entry::getKey)
                        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
            }
        };
    }

    @Test
    void aSectionNamingABeanTakesTheApplicationsObject() {
        Instant now = Instant.parse("2026-11-30T14:00:00Z");
        InMemoryLogSource logs = new InMemoryLogSource().add(LogEvent.of(now.minusSeconds(100), "shop", "boom"));
        RecordingAlertSink sink = new RecordingAlertSink("ops");
        ConfigLoader.Loaded loaded = ConfigLoader.read("app", Map.of("pipelines", List.of(Map.of("id", "p",
                "source", Map.of("bean", "logs"), "sinks", List.of(Map.of("bean", "opsSink")),
                "routes", List.of(Map.of("default", "true", "sinks", "ops"))))), PROPERTIES);
        Assembly.Options options = Assembly.Options.defaults(new ManualClock(now))
                .beans(beans(Map.of("logs", logs, "opsSink", sink)));

        try (Assembly assembly = Assembly.of(loaded, options)) {
            assertThat(loaded.problemLines()).isEmpty();
            AlertPipeline pipeline = assembly.pipeline("p").orElseThrow().pipeline();
            pipeline.runOnce();
            assertThat(sink.delivered()).hasSize(1);
        }
    }

    @Test
    void aBeanSectionTakesNothingElseAndAnAggregatorIsNeverABean() {
        ConfigLoader.Loaded loaded = ConfigLoader.read("app", Map.of("pipelines", List.of(Map.of("id", "p",
                "source", Map.of("bean", "logs", "index", "x"), "aggregator", Map.of("bean", "logs"),
                "sinks", List.of(Map.of("bean", "nope"))))), PROPERTIES);
        Assembly.Options options = Assembly.Options.defaults(new ManualClock(Instant.EPOCH))
                .beans(beans(Map.of("logs", new InMemoryLogSource(), "opsSink", new RecordingAlertSink("ops"))));

        try (Assembly assembly = Assembly.of(loaded, options)) {
            assertThat(assembly.pipelines()).isEmpty();
            assertThat(loaded.problemLines()).containsExactlyInAnyOrder(
                    "app.pipelines[0].source.index: a bean is configured where the application makes it; a section "
                            + "with `bean` takes no other keys, found: index",
                    "app.pipelines[0].aggregator.bean: an aggregator cannot be a bean: a pipeline's aggregator "
                            + "learns as it runs, so each pipeline creates its own; give `type`",
                    "app.pipelines[0].sinks[0].bean: no bean is named `nope`; the AlertSink beans: opsSink");
        }
    }

    @Test
    void theRunnerNamesNoBeans() {
        ConfigLoader.Loaded loaded = ConfigLoader.read("alert.yml", """
                pipelines:
                  - id: p
                    source: {bean: logs}
                    sinks: [{type: console}]
                """, Map.of());
        try (Assembly ignored = Assembly.of(loaded, Assembly.Options.defaults(new ManualClock(Instant.EPOCH)))) {
            assertThat(loaded.problemLines()).containsExactly("alert.yml:3:14: pipelines[0].source.bean: `bean` "
                    + "names an object of the application that embeds logalert (a bean of the Spring Boot starter's "
                    + "application context); here plug-ins are created by `type`");
        }
    }
}
