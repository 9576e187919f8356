package io.logalert.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    /** The shape of the design, verbatim. */
    private static final String DESIGN = """
            pipelines:
              - id: app-prod-errors
                interval: 2m            # durations: 30s, 2m, 1h, 1d, or ISO PT2M
                query-delay: 30s
                initial-lookback: 10m
                max-window: 10m
                realert: 1h             # or "off", or {period: 30m, exponential: true, max-period: 8h}
                kinds: {back-after: 24h, max-kinds: 10000, forget-after: 30d}
                spool: {max-age: 24h, max-pending: 10000}
                digests: {per-project: true, max-groups: 20, max-message-length: 1000}
                source: {type: elasticsearch, hosts: "${ES_HOSTS:-http://localhost:9200}", index: "app-prod-*", exclude-projects: [fox-data-spiderman]}
                aggregator: {type: template}
                state: {type: file, path: /var/lib/logalert}
                sinks:
                  - {name: ops-robot, type: dingtalk, access-token: "${DINGTALK_TOKEN}", secret: "${DINGTALK_SECRET}", keywords: [alert]}
                routes:
                  - {projects: ["checkout-*"], sinks: [checkout-robot], mentions: ["13800000000"]}
                  - {default: true, sinks: [ops-robot]}
            """;

    private static ConfigLoader.Loaded read(String yaml, Map<String, String> env) {
        return ConfigLoader.read("test.yml", yaml, env, new Problems());
    }

    @Test
    void theDesignsShapeBindsEveryKey() {
        ConfigLoader.Loaded loaded = read(DESIGN, Map.of("DINGTALK_TOKEN", "t", "DINGTALK_SECRET", "SECs"));

        assertThat(loaded.problemLines()).isEmpty();
        Specs.Pipeline p = loaded.spec().orElseThrow().pipelines().get(0);
        assertThat(p.id()).isEqualTo("app-prod-errors");
        assertThat(p.interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.queryDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.realert().period()).isEqualTo(Duration.ofHours(1));
        assertThat(p.kinds()).isEqualTo(new Specs.Kinds(Duration.ofHours(24), 10_000, Duration.ofDays(30)));
        assertThat(p.spool()).isEqualTo(new Specs.Spool(Duration.ofHours(24), 10_000));
        assertThat(p.digests()).isEqualTo(new Specs.Digests(true, 20, 1_000));
        assertThat(p.source().type()).isEqualTo("elasticsearch");
        assertThat(p.source().values()).containsExactly(Map.entry("hosts", "http://localhost:9200"),
                Map.entry("index", "app-prod-*"), Map.entry("exclude-projects", "fox-data-spiderman"));
        assertThat(p.sinks().get(0).values()).containsEntry("name", "ops-robot").containsEntry("access-token", "t")
                .containsEntry("secret", "SECs").containsEntry("keywords", "alert");
        assertThat(p.routes()).containsExactly(
                new Specs.RouteSpec(List.of("checkout-*"), null, List.of("checkout-robot"), List.of("13800000000")),
                new Specs.RouteSpec(null, true, List.of("ops-robot"), null));
    }

    @Test
    void nestedPlugInKeysJoinWithDotsAndListsWithCommas() {
        ConfigLoader.Loaded loaded = read("""
                pipelines:
                  - id: a
                    source:
                      type: elasticsearch
                      field: {timestamp: ts, project: app}
                      levels: [ERROR, FATAL]
                      page-size: 500
                      verify-tls: false
                      filter: '{"term":{"env":"prod"}}'
                    aggregator: fingerprint
                """, Map.of());

        Specs.PluginSpec source = loaded.spec().orElseThrow().pipelines().get(0).source();
        assertThat(source.values()).containsExactly(Map.entry("field.timestamp", "ts"), Map.entry("field.project",
                "app"), Map.entry("levels", "ERROR,FATAL"), Map.entry("page-size", "500"),
                Map.entry("verify-tls", "false"), Map.entry("filter", "{\"term\":{\"env\":\"prod\"}}"));
        assertThat(source.pointerOf("field.project")).isEqualTo("/pipelines/0/source/field/project");
        assertThat(loaded.spec().orElseThrow().pipelines().get(0).aggregator().type()).isEqualTo("fingerprint");
    }

    @Test
    void variablesResolveInAnyValueWithDefaultsAndLiteralDollars() {
        ConfigLoader.Loaded loaded = read("""
                pipelines:
                  - id: "${ID:-fallback-id}"
                    interval: "${INTERVAL}"
                    digests: {max-groups: "${GROUPS:-7}"}
                    source: {type: elasticsearch, hosts: "http://${HOST}:${PORT:-9200}", filter: "$${not a var}"}
                """, Map.of("INTERVAL", "5m", "HOST", "es1"));

        assertThat(loaded.problemLines()).isEmpty();
        Specs.Pipeline p = loaded.spec().orElseThrow().pipelines().get(0);
        assertThat(p.id()).isEqualTo("fallback-id");
        assertThat(p.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.digests().maxGroups()).isEqualTo(7);
        assertThat(p.source().values()).containsEntry("hosts", "http://es1:9200")
                .containsEntry("filter", "${not a var}");
    }

    @Test
    void everyUnsetVariableIsOneProblemAtItsKey() {
        ConfigLoader.Loaded loaded = read("""
                pipelines:
                  - id: "${MISSING_ID}"
                    source: {type: elasticsearch, hosts: "${A}/${B}"}
                """, Map.of());

        assertThat(loaded.problemLines()).containsExactly(
                "test.yml:2:5: pipelines[0].id: environment variable MISSING_ID is not set; set it, or give a "
                        + "default: ${MISSING_ID:-…}",
                "test.yml:3:35: pipelines[0].source.hosts: environment variable A is not set; set it, or give a "
                        + "default: ${A:-…}",
                "test.yml:3:35: pipelines[0].source.hosts: environment variable B is not set; set it, or give a "
                        + "default: ${B:-…}");
    }

    @Test
    void realertTakesOffAPeriodOrAMapping() {
        ConfigLoader.Loaded loaded = read("""
                pipelines:
                  - {id: a, realert: off}
                  - {id: b, realert: "off"}
                  - {id: c, realert: 30m}
                  - {id: d, realert: {period: 30m, exponential: true, max-period: 8h}}
                  - {id: e, realert: {period: 30m, exponentail: true}}
                """, Map.of());

        List<Specs.Pipeline> p = loaded.spec().orElseThrow().pipelines();
        assertThat(p.get(0).realert().off()).isTrue();
        assertThat(p.get(1).realert().off()).isTrue();
        assertThat(p.get(2).realert().period()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.get(3).realert()).extracting(Specs.RealertSpec::exponential, Specs.RealertSpec::maxPeriod)
                .containsExactly(true, Duration.ofHours(8));
        assertThat(loaded.problemLines()).containsExactly("test.yml:6:36: pipelines[4].realert.exponentail: "
                + "unknown key `exponentail` (did you mean `exponential`?)");
    }

    @Test
    void valuesOfTheWrongShapeAreProblemsAndBindingGoesOn() {
        ConfigLoader.Loaded loaded = read("""
                pipelines:
                  - id: [a, b]
                    interval: 120
                    max-window: {m: 1}
                    digests: {per-project: maybe}
                    source: elasticsearch
                    sinks: {type: console}
                    routes: [{projects: checkout, sinks: ops}]
                """, Map.of());

        assertThat(loaded.problemLines()).containsExactly(
                "test.yml:2:5: pipelines[0].id: expected text, found a list",
                "test.yml:3:5: pipelines[0].interval: a number without a unit: write it with one, such as 90s or "
                        + "2m (a duration such as 30s, 2m, 1h, 1d or PT2M)",
                "test.yml:4:5: pipelines[0].max-window: expected a duration such as 30s, 2m, 1h, 1d or PT2M, "
                        + "found a mapping",
                "test.yml:5:15: pipelines[0].digests.per-project: `m…` (5 characters) is not true or false");
        Specs.Pipeline p = loaded.spec().orElseThrow().pipelines().get(0);
        // a bare type, a single sink and single names are accepted as the short forms they look like
        assertThat(p.source().type()).isEqualTo("elasticsearch");
        assertThat(p.sinks()).extracting(Specs.PluginSpec::type).containsExactly("console");
        assertThat(p.routes().get(0).projects()).containsExactly("checkout");
    }

    @Test
    void anEmptyFileOrOneWithoutPipelinesSaysWhatIsMissing() {
        assertThat(read("", Map.of()).problemLines()).containsExactly(
                "test.yml: the file is empty: it needs `pipelines:`, a list of pipelines");
        assertThat(read("pipelines: []\n", Map.of()).problemLines()).containsExactly(
                "test.yml:1:1: pipelines: `pipelines:` is missing or empty: list at least one pipeline");
    }
}
