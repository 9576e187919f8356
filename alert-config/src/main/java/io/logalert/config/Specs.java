package io.logalert.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration as bound from YAML (or a tree of the same shape): its keys are the builder's and the plug-ins'
 * keys in kebab-case. Every field may be null (absent, or wrong and already reported); {@link Assembly} applies
 * defaults and checks the rest.
 */
public final class Specs {

    private Specs() {
    }

    /** The whole file. */
    public record File(@JsonProperty("pipelines") List<Pipeline> pipelines, @JsonProperty("http") Http http) {
    }

    /**
     * {@code http:} — where the runner serves {@code /metrics} and {@code /health}; the runner checks the values
     * ({@code io.logalert.runner.HttpOptions}). Not used by the Spring Boot starter, whose application has a server.
     */
    public record Http(@JsonProperty("port") Integer port, @JsonProperty("address") String address) {
    }

    /** One pipeline: the builder's options, its plug-ins and its routes. */
    public record Pipeline(
            @JsonProperty("id") String id,
            @JsonProperty("interval") Duration interval,
            @JsonProperty("query-delay") Duration queryDelay,
            @JsonProperty("initial-lookback") Duration initialLookback,
            @JsonProperty("max-window") Duration maxWindow,
            @JsonProperty("late-lookback") Duration lateLookback,
            @JsonProperty("instance") String instance,
            @JsonProperty("lease-ttl") Duration leaseTtl,
            @JsonProperty("realert") RealertSpec realert,
            @JsonProperty("kinds") Kinds kinds,
            @JsonProperty("spool") Spool spool,
            @JsonProperty("digests") Digests digests,
            @JsonProperty("source") PluginSpec source,
            @JsonProperty("aggregator") PluginSpec aggregator,
            @JsonProperty("state") PluginSpec state,
            @JsonProperty("sinks") List<PluginSpec> sinks,
            @JsonProperty("routes") List<RouteSpec> routes) {
    }

    /** {@code kinds:} — {@link io.logalert.KindOptions}. */
    public record Kinds(
            @JsonProperty("back-after") Duration backAfter,
            @JsonProperty("max-kinds") Integer maxKinds,
            @JsonProperty("forget-after") Duration forgetAfter) {
    }

    /** {@code spool:} — the builder's {@code spoolMaxAge} and {@code maxPending}. */
    public record Spool(
            @JsonProperty("max-age") Duration maxAge,
            @JsonProperty("max-pending") Integer maxPending) {
    }

    /** {@code digests:} — {@link io.logalert.DigestOptions}. */
    public record Digests(
            @JsonProperty("per-project") Boolean perProject,
            @JsonProperty("max-groups") Integer maxGroups,
            @JsonProperty("max-message-length") Integer maxMessageLength) {
    }

    /** The mapping form of {@code realert:}. */
    public record RealertFields(
            @JsonProperty("period") Duration period,
            @JsonProperty("exponential") Boolean exponential,
            @JsonProperty("max-period") Duration maxPeriod) {
    }

    /**
     * {@code realert:} — {@code off}, a period ({@code 1h}), or {@code {period, exponential, max-period}}.
     *
     * @param pointer     where it is
     * @param off         {@code off}: every window shows every kind
     * @param period      the period, or null for the default
     * @param exponential whether it doubles, or null for no
     * @param maxPeriod   the longest it doubles to, or null for the default
     */
    public record RealertSpec(String pointer, boolean off, Duration period, Boolean exponential,
            Duration maxPeriod) {
    }

    /** One entry of {@code routes:} — {@link io.logalert.Route}. */
    public record RouteSpec(
            @JsonProperty("projects") List<String> projects,
            @JsonProperty("default") Boolean isDefault,
            @JsonProperty("sinks") List<String> sinks,
            @JsonProperty("mentions") List<String> mentions) {
    }

    /**
     * A plug-in section ({@code source}, {@code aggregator}, {@code state}, a sink): {@code type} picks the provider,
     * and every other key goes to its configuration as text, lists joined with commas and nested keys joined with
     * dots ({@code field: {timestamp: ts}} is {@code field.timestamp}).
     *
     * @param pointer  where the section is
     * @param type     the provider's type, or null when missing
     * @param values   every other key's value, in the file's order
     * @param pointers where each key of {@code values} is
     */
    public record PluginSpec(String pointer, String type, Map<String, String> values,
            Map<String, String> pointers) {

        public PluginSpec {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            pointers = Map.copyOf(pointers);
        }

        /** The value of {@code key}, if set. */
        public Optional<String> value(String key) {
            return Optional.ofNullable(values.get(key));
        }

        /** Where {@code key} is, or the section when the key is not written. */
        public String pointerOf(String key) {
            return pointers.getOrDefault(key, pointer);
        }
    }
}
