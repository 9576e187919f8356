package io.logalert.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.logalert.DigestOptions;
import io.logalert.InMemoryStateStore;
import io.logalert.KindOptions;
import io.logalert.Realert;
import io.logalert.aggregate.TemplateAggregator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration, as the runner's {@code --print-config} shows it: variables resolved, every pipeline
 * option with its default filled in, plug-in sections as their plug-ins receive them (text, lists joined with
 * commas), and every secret as {@code ***}.
 */
public final class EffectiveConfig {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private EffectiveConfig() {
    }

    /**
     * The effective configuration of {@code loaded} as YAML, or empty when it has problems (those found while
     * applying the defaults are added to its problems).
     */
    public static Optional<String> of(ConfigLoader.Loaded loaded) {
        List<Specs.Pipeline> pipelines = loaded.spec().map(Specs.File::pipelines).orElse(List.of());
        List<PipelineOptions> options = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            Specs.Pipeline spec = pipelines.get(i);
            options.add(spec == null ? null : PipelineOptions.of(spec, YamlIndex.child("/pipelines", i),
                    loaded.problems()));
        }
        if (!loaded.problems().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(render(pipelines, options));
    }

    static String render(List<Specs.Pipeline> pipelines, List<PipelineOptions> options) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            if (pipelines.get(i) != null) {
                list.add(pipeline(pipelines.get(i), options.get(i)));
            }
        }
        try {
            return YAML.writeValueAsString(Map.of("pipelines", list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration as YAML", e);
        }
    }

    private static Map<String, Object> pipeline(Specs.Pipeline spec, PipelineOptions o) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", spec.id());
        p.put("interval", Durations.format(o.interval()));
        p.put("query-delay", Durations.format(o.queryDelay()));
        p.put("initial-lookback", Durations.format(o.initialLookback()));
        p.put("max-window", Durations.format(o.maxWindow()));
        p.put("late-lookback", Durations.format(o.lateLookback()));
        o.instance().ifPresent(instance -> p.put("instance", instance));
        // the builder's default, written out: three intervals, at least 30 s
        Duration threeIntervals = o.interval().multipliedBy(3);
        p.put("lease-ttl", Durations.format(o.leaseTtl().orElse(threeIntervals.compareTo(Duration.ofSeconds(30)) < 0
                ? Duration.ofSeconds(30) : threeIntervals)));
        p.put("realert", realert(o.realert()));
        KindOptions k = o.kinds();
        p.put("kinds", ordered("back-after", Durations.format(k.backAfter()), "max-kinds", k.maxKinds(),
                "forget-after", Durations.format(k.forgetAfter())));
        p.put("spool", ordered("max-age", Durations.format(o.spoolMaxAge()), "max-pending", o.maxPending()));
        DigestOptions d = o.digests();
        p.put("digests", ordered("per-project", d.perProject(), "max-groups", d.maxGroups(), "max-message-length",
                d.maxMessageLength()));
        p.put("source", plugin(spec.source(), null));
        p.put("aggregator", plugin(spec.aggregator(), TemplateAggregator.TYPE));
        p.put("state", plugin(spec.state(), InMemoryStateStore.TYPE));
        List<Object> sinks = new ArrayList<>();
        if (spec.sinks() != null) {
            spec.sinks().forEach(s -> sinks.add(plugin(s, null)));
        }
        p.put("sinks", sinks);
        if (spec.routes() != null && !spec.routes().isEmpty()) {
            List<Object> routes = new ArrayList<>();
            for (Specs.RouteSpec r : spec.routes()) {
                Map<String, Object> route = new LinkedHashMap<>();
                if (Boolean.TRUE.equals(r.isDefault())) {
                    route.put("default", true);
                } else {
                    route.put("projects", r.projects());
                }
                route.put("sinks", r.sinks());
                if (r.mentions() != null && !r.mentions().isEmpty()) {
                    route.put("mentions", r.mentions());
                }
                routes.add(route);
            }
            p.put("routes", routes);
        }
        return p;
    }

    private static Object realert(Realert realert) {
        if (realert.period().isZero()) {
            return "off";
        }
        if (!realert.exponential()) {
            return Durations.format(realert.period());
        }
        return ordered("period", Durations.format(realert.period()), "exponential", true, "max-period",
                Durations.format(realert.maxPeriod()));
    }

    private static Map<String, Object> plugin(Specs.PluginSpec spec, String defaultType) {
        Map<String, Object> section = new LinkedHashMap<>();
        if (spec == null) {
            if (defaultType != null) {
                section.put("type", defaultType);
            }
            return section;
        }
        spec.value("name").ifPresent(name -> section.put("name", name));
        section.put("type", spec.type());
        spec.values().forEach((key, value) -> {
            if (!key.equals("name")) {
                section.put(key, Secrets.isSecret(key) && !value.isEmpty() ? Secrets.MASK : value);
            }
        });
        return section;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
