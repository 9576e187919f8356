package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RobotEndpointTest {

    private static final String TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void theRobotIsKnownByItsTokenHoweverTheUrlIsSpelt() {
        List<RobotEndpoint> spellings = List.of(
                RobotEndpoint.ofWebhook("https://oapi.dingtalk.com/robot/send?access_token=" + TOKEN, Optional.empty()),
                RobotEndpoint.ofWebhook("https://oapi.dingtalk.com:443/robot/send?access_token=" + TOKEN,
                        Optional.empty()),
                RobotEndpoint.ofWebhook("https://OAPI.dingtalk.com/robot/send/?access_token=" + TOKEN,
                        Optional.of("SECsigned")),
                RobotEndpoint.of(URI.create("https://oapi.dingtalk.com/"), TOKEN, Optional.empty()),
                RobotEndpoint.of(URI.create("http://dingtalk-gateway.internal:8080/proxy"), TOKEN, Optional.empty()));

        assertThat(spellings).extracting(RobotEndpoint::budgetKey).containsOnly(spellings.get(0).budgetKey());
        assertThat(spellings).extracting(RobotEndpoint::fingerprint).containsOnly(spellings.get(0).fingerprint());
        assertThat(spellings.get(0).budgetKey()).doesNotContain(TOKEN);
    }

    @Test
    void robotsWithDifferentTokensHaveDifferentBudgets() {
        URI base = URI.create("https://oapi.dingtalk.com");

        assertThat(RobotEndpoint.of(base, TOKEN, Optional.empty()).budgetKey())
                .isNotEqualTo(RobotEndpoint.of(base, TOKEN + "0", Optional.empty()).budgetKey());
    }
}
