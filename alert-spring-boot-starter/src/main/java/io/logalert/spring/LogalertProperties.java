package io.logalert.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys under {@code logalert}, as IDEs complete them: the configuration processor writes
 * {@code META-INF/spring-configuration-metadata.json} from this type. The values are not bound to it: the starter
 * reads the {@code logalert} subtree and checks it with the runner's rules ({@code io.logalert.config}), so that a
 * wrong value is reported with every other problem, at its property, in the runner's words, instead of failing the
 * binding at the first. A test keeps these keys and the configuration's the same.
 *
 * @param enabled     Whether logalert builds and runs the pipelines at all.
 * @param autoStartup Whether the pipelines start with the application context. When false they are built and
 *                    checked, and the application starts them, or runs them once, itself.
 * @param pipelines   The pipelines, with the keys of the runner's YAML file; each is a bean named by its id.
 */
@ConfigurationProperties("logalert")
public record LogalertProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean autoStartup,
        List<Pipeline> pipelines) {

    /**
     * One pipeline.
     *
     * @param id              the pipeline's name, which keys its state; required
     * @param interval        how often it runs. Default: 1m
     * @param queryDelay      how far behind now a window ends, for records still being written. Default: 30s
     * @param initialLookback where the first window starts, behind now. Default: 10m
     * @param maxWindow       the longest window one run reads; longer downtime is caught up in windows of this
     *                        length. Default: 10m
     * @param lateLookback    how far back windows already read are counted again for late records. Default: 10m
     * @param instance        this instance's name for the lease of a shared state store. Default: host, process id
     *                        and a random part
     * @param leaseTtl        how long that lease lasts. Default: three intervals, at least 30s
     * @param realert         how often a kind may be shown again: off, a period such as 1h, or {period,
     *                        exponential, max-period}. Default: 1h
     * @param kinds           how known kinds are remembered
     * @param spool           how long undelivered digests are offered again
     * @param digests         how digests are cut
     * @param source          where the logs are: {type: elasticsearch, hosts, index, …}, or {bean: name}
     * @param aggregator      how records are grouped: template, fingerprint or exact. Default: template
     * @param state           where the state is kept: {type: memory | file | elasticsearch, …}, or {bean: name}.
     *                        Default: memory
     * @param sinks           where digests go: [{name, type: dingtalk, access-token, …}], or [{bean: name}]
     * @param routes          which projects go to which sinks: [{projects: [checkout-*], sinks: [name], mentions:
     *                        […]}, {default: true, sinks: [name]}]. Default: every project to every sink
     */
    public record Pipeline(String id, Duration interval, Duration queryDelay, Duration initialLookback,
            Duration maxWindow, Duration lateLookback, String instance, Duration leaseTtl, Object realert, Kinds kinds,
            Spool spool, Digests digests, Map<String, Object> source, Map<String, Object> aggregator,
            Map<String, Object> state, List<Map<String, Object>> sinks, List<Map<String, Object>> routes) {
    }

    /**
     * How known kinds are remembered.
     *
     * @param backAfter   how long a kind is quiet before it is marked back. Default: 24h
     * @param maxKinds    how many kinds are remembered. Default: 10000
     * @param forgetAfter how long a quiet kind is remembered. Default: 30d
     */
    public record Kinds(Duration backAfter, Integer maxKinds, Duration forgetAfter) {
    }

    /**
     * How long undelivered digests are offered again.
     *
     * @param maxAge     how long. Default: 24h
     * @param maxPending how many. Default: 10000
     */
    public record Spool(Duration maxAge, Integer maxPending) {
    }

    /**
     * How digests are cut.
     *
     * @param perProject       one digest per project. Default: true
     * @param maxGroups        the most groups a digest lists. Default: 20
     * @param maxMessageLength the longest sample message shown. Default: 1000
     */
    public record Digests(Boolean perProject, Integer maxGroups, Integer maxMessageLength) {
    }
}
