package io.logalert.examples;

import io.logalert.AlertPipeline;
import io.logalert.Realert;
import io.logalert.Route;
import java.time.Duration;
import java.util.List;

/**
 * The alerting rules of an application, a shop: which projects' digests go to which team, whom they @-mention, how
 * often the same error may be shown again. They are kept apart from where the parts come from (Elasticsearch, the
 * robots' tokens, the state directory), so that production ({@link EmbeddedAlerting}) and the application's own unit
 * test ({@code MyAppAlertingTest}, with an in-memory log and recording sinks) run the very same rules:
 *
 * <pre>{@code
 * // production: parts by type, from settings
 * AlertingOfMyApp.rules(AlertPipeline.builder().source("elasticsearch", es).addSink("dingtalk", robot)..., oncall)
 * // test: parts the test can look into
 * AlertingOfMyApp.rules(AlertPipeline.builder().source(new InMemoryLogSource())
 *         .addSink(new RecordingAlertSink(AlertingOfMyApp.CHECKOUT_ROBOT))
 *         .addSink(new RecordingAlertSink(AlertingOfMyApp.OPS_WEBHOOK)).clock(clock), List.of("13800000000"))
 * }</pre>
 */
public final class AlertingOfMyApp {

    /** The pipeline's id, which keys its saved state: changing it starts from nothing. */
    public static final String PIPELINE_ID = "shop-errors";

    /** The sink name of the checkout team's DingTalk robot. */
    public static final String CHECKOUT_ROBOT = "checkout-robot";

    /** The sink name of the operations team's incident webhook. */
    public static final String OPS_WEBHOOK = "ops-webhook";

    /** The projects the checkout team owns: a glob and a regular expression, as routes allow. */
    public static final List<String> CHECKOUT_PROJECTS = List.of("checkout", "re:pay(ment)?-.*");

    /**
     * How often a digest may show the same kind again: once an hour, with "+N since …" for what was held. Often
     * enough that a recurring error stays in view, rarely enough that it does not drown new ones.
     */
    public static final Realert REALERT = Realert.every(Duration.ofHours(1));

    private AlertingOfMyApp() {
    }

    /**
     * Sets the rules on {@code builder}: the id, the checkout team's projects to {@link #CHECKOUT_ROBOT} mentioning
     * {@code checkoutOncall}, every other project to {@link #OPS_WEBHOOK}, {@link #REALERT}, and the schedule. The
     * builder must have (or be given) sinks of those two names, or {@code build()} says so.
     *
     * @param builder        a builder with the application's source and sinks, or a test's
     * @param checkoutOncall who the checkout robot @-mentions (mobile numbers); may be empty
     * @return {@code builder}
     */
    public static AlertPipeline.Builder rules(AlertPipeline.Builder builder, List<String> checkoutOncall) {
        return builder.id(PIPELINE_ID)
                .route(Route.projects(CHECKOUT_PROJECTS.toArray(String[]::new)).to(CHECKOUT_ROBOT)
                        .mention(checkoutOncall.toArray(String[]::new)))
                // without this default route, a project nobody thought of would go to every sink, the checkout
                // robot included
                .route(Route.unmatched().to(OPS_WEBHOOK))
                .realert(REALERT)
                // records reach Elasticsearch some seconds after they are logged: a window ends 30 s behind now
                .queryDelay(Duration.ofSeconds(30))
                .interval(Duration.ofMinutes(1));
    }
}
