package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.spi.ConfigException;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoutingTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final InMemoryLogSource source = new InMemoryLogSource();
    private final RecordingAlertSink checkout = new RecordingAlertSink("checkout-robot");
    private final RecordingAlertSink ops = new RecordingAlertSink("ops-robot");

    private AlertPipeline.Builder pipeline() {
        for (String project : new String[] {"checkout-web", "checkout-api", "billing", "search"}) {
            source.add(LogEvent.builder().timestamp(NOW.minusSeconds(60)).project(project).message("boom").build());
        }
        return AlertPipeline.builder().id("routed").source(source).addSink(checkout).addSink(ops)
                .clock(new ManualClock(NOW)).initialLookback(Duration.ofMinutes(5));
    }

    @Test
    void aDigestGoesToTheSinksOfTheRoutesMatchingItsProjectWithTheirMentions() {
        try (AlertPipeline p = pipeline()
                .route(Route.projects("checkout-*").to("checkout-robot").mention("13800000000"))
                .route(Route.projects("re:bill(ing|ed)").to("checkout-robot", "ops-robot"))
                .route(Route.unmatched().to("ops-robot").mention("oncall"))
                .build()) {
            p.runOnce();
        }
        assertThat(checkout.delivered()).extracting(Digest::project)
                .containsExactlyInAnyOrder("checkout-web", "checkout-api", "billing");
        assertThat(checkout.delivered()).filteredOn(d -> d.project().startsWith("checkout"))
                .allSatisfy(d -> assertThat(d.mentions()).containsExactly("13800000000"));
        assertThat(ops.delivered()).extracting(Digest::project).containsExactlyInAnyOrder("billing", "search");
        assertThat(ops.delivered()).filteredOn(d -> d.project().equals("search"))
                .singleElement().satisfies(d -> assertThat(d.mentions()).containsExactly("oncall"));
    }

    @Test
    void withoutADefaultRouteUnmatchedProjectsGoToEverySinkNeverNowhere() {
        try (AlertPipeline p = pipeline().route(Route.projects("checkout-*").to("checkout-robot")).build()) {
            p.runOnce();
        }
        assertThat(checkout.delivered()).extracting(Digest::project)
                .containsExactlyInAnyOrder("checkout-web", "checkout-api", "billing", "search");
        assertThat(ops.delivered()).extracting(Digest::project).containsExactlyInAnyOrder("billing", "search");
    }

    @Test
    void routesNamingUnknownSinksOrTwoDefaultsAreRefusedAtBuild() {
        assertThatThrownBy(() -> pipeline()
                .route(Route.projects("checkout-*").to("checkout-bot"))
                .route(Route.unmatched().to("ops-robot"))
                .route(Route.unmatched().to("checkout-robot"))
                .build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'checkout-bot'")
                .hasMessageContaining("[checkout-robot, ops-robot]")
                .hasMessageContaining("more than one default route");
    }

    @Test
    void aRouteNeedsASinkAndValidPatterns() {
        assertThatThrownBy(() -> Route.projects("re:(").to("ops-robot"))
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> Route.projects("checkout-*").to())
                .hasMessageContaining("at least one sink");
        assertThat(Route.projects("checkout-?").to("x").matches("checkout-1")).isTrue();
        assertThat(Route.projects("checkout-?").to("x").matches("checkout-12")).isFalse();
        assertThat(Route.projects("a.b").to("x").matches("aXb")).isFalse();
    }
}
