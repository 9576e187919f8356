package io.logalert.source.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a part of {@code index} that matches nothing is compared with the names that exist. */
class IndexLayoutTest {

    private static final List<String> EXISTING = List.of("app-prod-2026.11.30", "app-prod-2026.12.01",
            "billing-logs", "audit", ".kibana_1");

    @Test
    void wildcardDistanceIsZeroWhenThePatternMatchesAndCountsEditsOtherwise() {
        assertThat(IndexLayout.wildcardDistance("app-prod-*", "app-prod-2026.11.30")).isZero();
        assertThat(IndexLayout.wildcardDistance("*-2026.11.30", "app-prod-2026.11.30")).isZero();
        assertThat(IndexLayout.wildcardDistance("app-prd-*", "app-prod-2026.11.30")).isEqualTo(1);
        assertThat(IndexLayout.wildcardDistance("app-prdo-*", "app-prod-2026.11.30")).isEqualTo(2);
        assertThat(IndexLayout.wildcardDistance("billing-log", "billing-logs")).isEqualTo(1);
        assertThat(IndexLayout.wildcardDistance("app-payments-*", "app-prod-2026.11.30")).isGreaterThan(2);
    }

    @Test
    void aMisspeltPatternFindsTheIndicesItWasMeantToMatch() {
        assertThat(IndexLayout.similarNames("app-prd-*", EXISTING, 5))
                .containsExactly("app-prod-2026.11.30", "app-prod-2026.12.01");
        assertThat(IndexLayout.similarNames("APP-PROD-*", EXISTING, 5))
                .containsExactly("app-prod-2026.11.30", "app-prod-2026.12.01");
        assertThat(IndexLayout.similarNames("app-prd-*", EXISTING, 1)).containsExactly("app-prod-2026.11.30");
    }

    @Test
    void aNewPatternThatSharesOnlyAPrefixResemblesNothing() {
        // a service whose indices are not created yet must not pass for a typo of its neighbours
        assertThat(IndexLayout.similarNames("app-payments-*", EXISTING, 5)).isEmpty();
        assertThat(IndexLayout.similarNames("app-*-payments", EXISTING, 5)).isEmpty();
    }

    @Test
    void aMissingNameFindsCloseNamesAndThoseItBegins() {
        assertThat(IndexLayout.similarNames("billing-log", EXISTING, 5)).containsExactly("billing-logs");
        assertThat(IndexLayout.similarNames("app-prod", EXISTING, 5))
                .containsExactly("app-prod-2026.11.30", "app-prod-2026.12.01");
        assertThat(IndexLayout.similarNames("app-prod-2026.11.31", EXISTING, 5))
                .first().isEqualTo("app-prod-2026.11.30");
    }

    @Test
    void aPartTooShortOrOnARemoteClusterIsNotCompared() {
        assertThat(IndexLayout.similarNames("au*", EXISTING, 5)).isEmpty();
        assertThat(IndexLayout.similarNames("eu:app-prd-*", EXISTING, 5)).isEmpty();
    }

    @Test
    void exclusionsAreNotInclusions() {
        assertThat(IndexLayout.inclusions(List.of("logs-*", "-logs-old", "audit"))).containsExactly("logs-*", "audit");
        assertThat(IndexLayout.isPattern("logs-*")).isTrue();
        assertThat(IndexLayout.isPattern("logs")).isFalse();
    }
}
