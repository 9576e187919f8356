package io.logalert.examples;

import io.logalert.AlertPipeline;
import io.logalert.RunReport;
import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an application embeds logalert: a pipeline built from the application's own settings (here its environment),
 * started with the application, reporting to the application's log, and closed on shutdown.
 *
 * <pre>{@code
 * EmbeddedAlerting alerting = new EmbeddedAlerting(EmbeddedAlerting.configure(System.getenv()).build());
 * Runtime.getRuntime().addShutdownHook(new Thread(alerting::close));
 * alerting.start();
 * }</pre>
 *
 * <p>The settings, each an environment variable:
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>variable</th><th>required</th><th>meaning</th></tr>
 *   <tr><td>{@value #ES_HOSTS}</td><td>yes</td><td>the log cluster, e.g. {@code https://es1:9200,https://es2:9200}</td></tr>
 *   <tr><td>{@value #ES_INDEX}</td><td>no</td><td>the log indices; default {@code logs-*}</td></tr>
 *   <tr><td>{@value #ES_API_KEY}</td><td>no</td><td>an Elasticsearch API key (secret)</td></tr>
 *   <tr><td>{@value #STATE_DIR}</td><td>yes</td><td>where the pipeline keeps its checkpoint and pending digests</td></tr>
 *   <tr><td>{@value #DINGTALK_TOKEN}</td><td>yes</td><td>the checkout team's robot's access token (secret)</td></tr>
 *   <tr><td>{@value #DINGTALK_SECRET}</td><td>yes</td><td>its signing secret, {@code SEC…} (secret)</td></tr>
 *   <tr><td>{@value #DINGTALK_BASE_URL}</td><td>no</td><td>a gateway in front of DingTalk; default DingTalk's</td></tr>
 *   <tr><td>{@value #CHECKOUT_ONCALL}</td><td>no</td><td>mobile numbers the checkout robot @-mentions</td></tr>
 *   <tr><td>{@value #OPS_WEBHOOK_URL}</td><td>yes</td><td>the operations team's incident webhook (may hold a token)</td></tr>
 *   <tr><td>{@value #OPS_WEBHOOK_TOKEN}</td><td>no</td><td>sent to it as {@code Authorization: Bearer} (secret)</td></tr>
 * </table>
 *
 * <p>A missing setting is never a {@link NullPointerException}: {@link #configure(Map)} reads every variable first
 * and throws one {@link ConfigException} naming each one that is missing, secrets never shown.
 * ({@code Map.of("access-token", System.getenv("DINGTALK_TOKEN"))} is the trap to avoid: {@code Map.of} throws a
 * bare {@code NullPointerException} when the variable is unset.)
 *
 * <p>Thread-safe: {@link #close()} may be called from a shutdown hook while a run is in progress.
 */
public final class EmbeddedAlerting implements AutoCloseable {

    /** The log cluster's URLs, comma-separated. */
    public static final String ES_HOSTS = "LOGALERT_ES_HOSTS";
    /** The log indices. */
    public static final String ES_INDEX = "LOGALERT_ES_INDEX";
    /** An Elasticsearch API key. */
    public static final String ES_API_KEY = "LOGALERT_ES_API_KEY";
    /** The state directory. */
    public static final String STATE_DIR = "LOGALERT_STATE_DIR";
    /** The checkout robot's access token. */
    public static final String DINGTALK_TOKEN = "DINGTALK_TOKEN";
    /** The checkout robot's signing secret. */
    public static final String DINGTALK_SECRET = "DINGTALK_SECRET";
    /** Where DingTalk's {@code /robot/send} is reached. */
    public static final String DINGTALK_BASE_URL = "DINGTALK_BASE_URL";
    /** Who the checkout robot @-mentions. */
    public static final String CHECKOUT_ONCALL = "CHECKOUT_ONCALL";
    /** The operations team's webhook. */
    public static final String OPS_WEBHOOK_URL = "OPS_WEBHOOK_URL";
    /** The bearer token of the operations team's webhook. */
    public static final String OPS_WEBHOOK_TOKEN = "OPS_WEBHOOK_TOKEN";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedAlerting.class);

    private final AlertPipeline pipeline;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Wraps {@code pipeline}; nothing runs until {@link #start()}. */
    public EmbeddedAlerting(AlertPipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /**
     * The application's pipeline, configured from {@code environment} and not built yet: the Elasticsearch source,
     * the checkout team's DingTalk robot and the operations team's {@link JsonWebhookSink} by type, the {@code file}
     * state store, {@link AlertingOfMyApp#rules the application's rules} (routes, mentions, realert), and reports to
     * the application's log ({@link #logReport(RunReport)}). A test may replace parts before building it, e.g.
     * {@code .source(new InMemoryLogSource(...)).clock(clock)}.
     *
     * @param environment the settings, usually {@link System#getenv()}
     * @throws ConfigException naming every setting that is missing or wrong, all at once
     */
    public static AlertPipeline.Builder configure(Map<String, String> environment) {
        // The library's own validator reads the environment as it reads a plug-in's keys: every problem is gathered,
        // and secrets are never quoted. A lambda over the map has no key set, so the rest of the environment is not
        // taken for misspelt keys.
        PluginConfig env = environment::get;
        ConfigValidator v = env.validator("the application's alerting settings (environment)");
        String esHosts = v.required(ES_HOSTS, "the log cluster's URLs, e.g. https://es1:9200,https://es2:9200");
        String esIndex = v.string(ES_INDEX, "logs-*");
        Optional<String> esApiKey = v.secret(ES_API_KEY);
        String stateDir = v.required(STATE_DIR, "a directory for the pipeline's checkpoint and pending digests, "
                + "e.g. /var/lib/shop/logalert");
        // required() never quotes a value, so it serves for secrets too
        String token = v.required(DINGTALK_TOKEN, "the checkout team's DingTalk robot's access token");
        String secret = v.required(DINGTALK_SECRET, "that robot's signing secret, which starts with SEC");
        Optional<String> dingTalkBaseUrl = v.string(DINGTALK_BASE_URL);
        List<String> oncall = v.list(CHECKOUT_ONCALL);
        String opsUrl = v.required(OPS_WEBHOOK_URL, "the operations team's incident webhook, an http(s) URL");
        Optional<String> opsToken = v.secret(OPS_WEBHOOK_TOKEN);
        v.validate();

        // Optional values go into a HashMap only when present: Map.of(key, null) would throw a bare NPE, and
        // PluginConfig.of(..) refuses a null value (naming its key) rather than mistake it for "unset".
        Map<String, String> source = new HashMap<>(Map.of("hosts", esHosts, "index", esIndex));
        esApiKey.ifPresent(key -> source.put("api-key", key));
        Map<String, String> robot = new HashMap<>(Map.of("name", AlertingOfMyApp.CHECKOUT_ROBOT,
                "access-token", token, "secret", secret));
        dingTalkBaseUrl.ifPresent(url -> robot.put("base-url", url));
        Map<String, String> ops = new HashMap<>(Map.of("name", AlertingOfMyApp.OPS_WEBHOOK, "url", opsUrl));
        opsToken.ifPresent(t -> ops.put("header.Authorization", "Bearer " + t));

        AlertPipeline.Builder builder = AlertPipeline.builder()
                .source("elasticsearch", PluginConfig.of(source))
                .addSink("dingtalk", PluginConfig.of(robot))
                .addSink(JsonWebhookSink.TYPE, PluginConfig.of(ops))
                // the checkpoint and pending digests survive a restart: nothing repeated, nothing skipped
                .stateStore("file", PluginConfig.of(Map.of("path", stateDir)))
                .onReport(EmbeddedAlerting::logReport);
        return AlertingOfMyApp.rules(builder, oncall);
    }

    /**
     * Reports a run to the application's log: a failed run or digests still owed as a warning (logalert itself logs
     * each failed delivery and, as errors, digests that expired), a run that delivered something as info, an idle
     * run at debug, so that a quiet application keeps a quiet log.
     */
    public static void logReport(RunReport report) {
        if (report.failure().isPresent()) {
            log.warn("alerting run failed, it will be retried: {}", report);
        } else if (!report.isClean()) {
            log.warn("alerting owes {} digest(s) to sinks that did not take them: {}", report.pending(), report);
        } else if (!report.digests().isEmpty()) {
            log.info("alerting: {}", report);
        } else {
            log.debug("alerting: {}", report);
        }
    }

    /**
     * Starts the schedule: the first run at once, then one every interval.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        pipeline.start();
        log.info("alerting started: {}", pipeline);
    }

    /** The pipeline, for what the application offers its operators: {@code pipeline().silences()}, say. */
    public AlertPipeline pipeline() {
        return pipeline;
    }

    /**
     * Stops the schedule, lets a run in progress finish and save its state (up to 30 s), and closes what the
     * pipeline created, which releases the state directory's lock. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pipeline.close();
            log.info("alerting stopped: {}", pipeline.id());
        }
    }

    /**
     * Runs the application's alerting until the JVM is stopped; the settings come from the environment.
     *
     * @throws ConfigException naming every missing setting; the application refuses to start without alerting
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedAlerting alerting = new EmbeddedAlerting(configure(System.getenv()).build());
        // SIGTERM (a container stopping, systemd, Ctrl-C) runs shutdown hooks: a run in progress finishes first
        Runtime.getRuntime().addShutdownHook(new Thread(alerting::close, "alerting-shutdown"));
        alerting.start();
        // stands for the application's own work; the pipeline runs on a daemon thread of its own
        Thread.currentThread().join();
    }
}
