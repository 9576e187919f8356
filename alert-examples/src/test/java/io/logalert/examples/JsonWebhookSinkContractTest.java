package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.spi.AlertSink;
import io.logalert.spi.PluginConfig;
import io.logalert.testing.AlertSinkContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonWebhookSink} passes the contract every sink passes, against a real HTTP receiver on loopback. This
 * subclass is all a custom sink needs to run the kit (alert-core's test-jar, test scope).
 */
class JsonWebhookSinkContractTest extends AlertSinkContract {

    private static final String TOKEN = "contract-token-9f8e7d6c";
    private static final String QUERY_KEY = "query-key-1a2b3c4d";

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Override
    protected AlertSink createSink() {
        return sinkAt(receiver.url("/hooks/logalert?key=" + QUERY_KEY));
    }

    @Override
    protected Optional<AlertSink> createUnreachableSink() {
        return Optional.of(sinkAt(WebhookReceiver.refusingUrl("/hooks/logalert?key=" + QUERY_KEY)));
    }

    @Override
    protected Set<String> secrets() {
        return Set.of(TOKEN, QUERY_KEY);
    }

    private static AlertSink sinkAt(String url) {
        return new JsonWebhookSinkProvider().create(PluginConfig.of(Map.of(
                "url", url,
                "header.Authorization", "Bearer " + TOKEN)));
    }

    @Test
    void theReceiverGetsOneJsonDocumentPerDigest() throws Exception {
        List<Digest> digests = List.of(digest("checkout", 3), digest("billing", 1));
        try (AlertSink sink = createSink()) {
            List<DeliveryResult> results = sink.deliver(digests);

            assertThat(results).allMatch(DeliveryResult::isDelivered);
        }
        assertThat(receiver.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Authorization")).hasValue("Bearer " + TOKEN);
        });
        assertThat(receiver.bodies().get(0)).contains("\"id\":\"" + digests.get(0).id() + "\"");
        assertThat(receiver.bodies().get(1)).contains("\"id\":\"" + digests.get(1).id() + "\"");
    }
}
