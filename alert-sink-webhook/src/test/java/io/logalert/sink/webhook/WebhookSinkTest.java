package io.logalert.sink.webhook;

import static io.logalert.sink.webhook.Samples.NOW;
import static io.logalert.sink.webhook.Samples.digest;
import static io.logalert.sink.webhook.Samples.sink;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.DeliveryResult;
import io.logalert.DeliveryResult.Status;
import io.logalert.Digest;
import io.logalert.sink.robot.EmulatorRendering;
import io.logalert.sink.robot.EmulatorRendering.Syntax;
import io.logalert.sink.robot.RobotEmulator.Exchange;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook sink against its receiver over real HTTP on loopback, time on a manual clock. */
class WebhookSinkTest {

    /** CommonMark as chat tools read it, erring towards interpreting more: bare URLs link, "@name" mentions. */
    private static final Syntax COMMONMARK = new Syntax(true, true, true, true, true, Optional.empty())
            .mentioning("(?<![\\p{L}\\p{N}_.+-])@([\\p{L}\\p{N}_]+)");

    private final ManualClock clock = new ManualClock(NOW);
    private final List<Duration> waits = new ArrayList<>();
    private WebhookEmulator receiver = WebhookEmulator.builder().clock(clock).start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private void restart(WebhookEmulator.Builder builder) {
        receiver.close();
        receiver = builder.clock(clock).start();
    }

    private WebhookSink.Builder sinkToReceiver() {
        return sink(receiver.url(), clock).sleeper(d -> {
            waits.add(d);
            clock.advance(d);
        });
    }

    @Test
    void theDefaultBodyCarriesTheDigestsFieldsAndItsTextInPlainWords() {
        Digest digest = digest("checkout", "order 8812 failed", "stock 17 low").withMentions(List.of("13800138000"));

        List<DeliveryResult> results = sinkToReceiver().build().deliver(List.of(digest));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        WebhookEmulator.Accepted message = receiver.accepted().get(0);
        assertThat(message.headers()).containsEntry("content-type", "application/json; charset=utf-8");
        JsonNode body = message.body();
        assertThat(body.path("project").asText()).isEqualTo("checkout");
        assertThat(body.path("events").isNumber()).isTrue();
        assertThat(body.path("events").asLong()).isEqualTo(digest.totalEvents()).isEqualTo(103);
        assertThat(body.path("kinds").asInt()).isEqualTo(3);
        assertThat(body.path("window").path("from").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(body.path("mentions")).hasSize(1);
        assertThat(body.path("mentions").get(0).asText()).isEqualTo("13800138000");
        assertThat(body.path("title").asText()).isEqualTo("checkout: 103 errors");
        assertThat(body.path("text").asText()).startsWith("checkout: 103 errors\n\n").contains("order 8812 failed")
                .doesNotContain("**", "`");
        JsonNode only = body.path("digests").get(0);
        assertThat(only.path("id").asText()).isEqualTo(digest.id());
        assertThat(only.path("top").path("sample").asText()).isEqualTo("order 8812 failed");
        assertThat(only.path("top").path("count").asLong()).isEqualTo(50);
        assertThat(only.path("top").path("last-seen").asText()).isEqualTo("2026-03-01T10:01:00Z");
    }

    @Test
    void hostileLogTextStaysOneJsonStringInEveryFieldAndInertInTheMarkdown() {
        String project = "shop\",\"injected\":true,\"x\":\"{{title}}";
        String sample = "\"}], \"admin\": true, \"a\": [{\"b\":\"\\ {{digest.project}} </script>\u0000\u2028"
                + " [x](http://evil.example) ![i](http://evil.example/p.png) @all <@boss> # not a heading\n# nor this"
                + " `tick` ``double``";
        restart(WebhookEmulator.builder());
        String template = """
                {"summary": "{{digest.events}} errors in {{digest.project}}: {{digest.sample}}",
                 "project": "{{digest.project}}", "sample": "{{digest.sample}}", "count": "{{digest.count}}",
                 "text": "{{text.markdown}}", "tags": ["logalert", "{{digest.pattern}}"], "n": 1}""";

        List<DeliveryResult> results = sinkToReceiver().template(template).build()
                .deliver(List.of(digest(project, sample)));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
        JsonNode body = receiver.accepted().get(0).body();
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("summary", "project", "sample", "count", "text", "tags", "n");
        assertThat(body.path("project").asText()).isEqualTo(project);
        assertThat(body.path("sample").asText()).isEqualTo(sample);
        assertThat(body.path("summary").asText()).isEqualTo("54 errors in " + project + ": " + sample);
        assertThat(body.path("count").asLong()).isEqualTo(50);
        assertThat(body.path("tags")).hasSize(2);
        assertThat(body.path("tags").get(1).asText()).isEqualTo(sample);
        // a placeholder in log text is text: values are never read for placeholders again
        assertThat(body.path("summary").asText()).contains("{{digest.project}}", "{{title}}");
        String text = body.path("text").asText();
        EmulatorRendering rendering = EmulatorRendering.of(text, COMMONMARK);
        assertThat(rendering.links()).isEmpty();
        assertThat(rendering.images()).isEmpty();
        assertThat(rendering.mentions()).isEmpty();
        assertThat(rendering.headings()).hasSize(1);
        // copyable: the log line keeps its brackets, slashes and hashes, inside a code span
        assertThat(rendering.codeSpans()).anySatisfy(span -> assertThat(span).contains("[x](http://evil.example)"));
    }

    @Test
    void aSignatureOverTheBodyAndTimestampIsVerifiedByTheReceiver() {
        restart(WebhookEmulator.builder().secret("hook-secret-42").timestampHeader("X-Logalert-Timestamp"));

        List<DeliveryResult> results = sinkToReceiver().signatureSecret("hook-secret-42")
                .timestampHeader("X-Logalert-Timestamp").build().deliver(List.of(digest("checkout", "boom")));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
        WebhookEmulator.Accepted message = receiver.accepted().get(0);
        assertThat(message.headers()).containsEntry("x-logalert-timestamp", Long.toString(NOW.getEpochSecond()));
        assertThat(message.headers().get("x-logalert-signature")).matches("sha256=[0-9a-f]{64}");
    }

    @Test
    void otherAlgorithmsEncodingsAndHeadersVerifyToo() {
        restart(WebhookEmulator.builder().secret("s3cr3t-value").signatureHeader("X-Hub-Signature")
                .algorithm(SignatureAlgorithm.HMAC_SHA512).encoding(SignatureEncoding.BASE64));

        List<DeliveryResult> results = sinkToReceiver().signatureSecret("s3cr3t-value")
                .signatureHeader("X-Hub-Signature").signatureAlgorithm(SignatureAlgorithm.HMAC_SHA512)
                .signatureEncoding(SignatureEncoding.BASE64).build().deliver(List.of(digest("checkout", "boom")));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
        assertThat(receiver.accepted().get(0).headers().get("x-hub-signature")).matches("[A-Za-z0-9+/]{86}==");
    }

    @Test
    void aWrongSigningSecretIsRejectedWithTheKeysToCheckAndWithoutTheSecret() {
        restart(WebhookEmulator.builder().secret("the-receivers-secret"));

        List<DeliveryResult> results = sinkToReceiver().signatureSecret("a-wrong-secret-123").build()
                .deliver(List.of(digest("checkout", "boom"), digest("billing", "boom")));

        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.REJECTED);
            assertThat(r.reason()).contains("HTTP 401", "signature mismatch", "check 'webhook', 'headers' and "
                    + "'signature'").doesNotContain("a-wrong-secret-123");
        });
        // a wrong setting stops the call: the second digest is not sent to fail the same way
        assertThat(receiver.exchanges()).hasSize(1);
    }

    @Test
    void aTimestampOutsideTheReceiversToleranceIsRefused() {
        restart(WebhookEmulator.builder().secret("hook-secret-42").timestampHeader("X-Ts"));
        WebhookSink sink = sink(receiver.url(), new ManualClock(NOW.minus(Duration.ofMinutes(6))))
                .signatureSecret("hook-secret-42").timestampHeader("X-Ts").build();

        assertThat(sink.deliver(List.of(digest("checkout", "boom")))).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("HTTP 401", "timestamp"));
    }

    @Test
    void aSuccessFieldDecidesWhatAnHttp200Means() {
        receiver.failNext(1, 7, "quota exceeded for this hook");
        WebhookSink checking = sinkToReceiver().successField("code").successValue("0").build();

        DeliveryResult refused = checking.deliver(List.of(digest("checkout", "boom"))).get(0);
        DeliveryResult accepted = checking.deliver(List.of(digest("billing", "boom"))).get(0);

        assertThat(refused.status()).isEqualTo(Status.REJECTED);
        assertThat(refused.reason()).contains("HTTP 200 with code = 7, not 0 ('success.value')",
                "quota exceeded for this hook");
        assertThat(accepted.isDelivered()).isTrue();
        assertThat(receiver.exchanges()).extracting(Exchange::httpStatus).containsExactly(200, 200);
    }

    @Test
    void withoutASuccessFieldTheStatusAloneDecides() {
        receiver.failNext(1, 7, "quota exceeded for this hook");

        assertThat(sinkToReceiver().build().deliver(List.of(digest("checkout", "boom")))).singleElement()
                .satisfies(r -> assertThat(r.isDelivered()).isTrue());
    }

    @Test
    void aNestedSuccessFieldIsReadByItsPathAndAStatusOutsideTheSetIsRefused() {
        WebhookSink sink = sinkToReceiver().successStatus("202").build();

        DeliveryResult result = sink.deliver(List.of(digest("checkout", "boom"))).get(0);

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).contains("HTTP 200, not in 'success.status' 202");
        assertThat(sinkToReceiver().successField("message").successValue("ok").build()
                .deliver(List.of(digest("billing", "boom")))).singleElement()
                .satisfies(r -> assertThat(r.isDelivered()).isTrue());
    }

    @Test
    void serverErrorsAreRetriedWithBackoffAndThenDelivered() {
        receiver.httpErrorNext(2, 503);

        List<DeliveryResult> results = sinkToReceiver().build().deliver(List.of(digest("checkout", "boom")));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).isTrue());
        assertThat(receiver.exchanges()).extracting(Exchange::httpStatus).containsExactly(503, 503, 200);
        // 1 s then 2 s, each between half and all of it
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsBeyondTheAttemptsLeaveTheDigestForALaterRun() {
        receiver.httpErrorNext(3, 502);

        List<DeliveryResult> results = sinkToReceiver().build().deliver(List.of(digest("checkout", "boom")));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.RETRY_LATER);
            assertThat(r.reason()).contains("HTTP 502", "after 3 attempts");
        });
    }

    @Test
    void aClientErrorRejectsTheMessageWithTheReceiversAnswer() {
        receiver.failNext(1, 422, "field 'severity' is required");

        List<DeliveryResult> results = sinkToReceiver().build()
                .deliver(List.of(digest("checkout", "boom"), digest("billing", "boom")));

        assertThat(results.get(0).status()).isEqualTo(Status.REJECTED);
        assertThat(results.get(0).reason()).contains("refused the message: HTTP 422", "field 'severity' is required");
        // a refusal of one message is not a wrong setting: the next is still sent
        assertThat(results.get(1).isDelivered()).isTrue();
    }

    @Test
    void aMissingCredentialIsAWrongSettingThatStopsTheCall() {
        restart(WebhookEmulator.builder().requireHeader("Authorization", "Bearer right-token-0001"));

        List<DeliveryResult> results = sinkToReceiver().header("Authorization", "Bearer wrong-token-0002").build()
                .deliver(List.of(digest("checkout", "boom"), digest("billing", "boom")));

        assertThat(results).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.REJECTED);
            assertThat(r.reason()).contains("HTTP 401", "'headers'").doesNotContain("wrong-token-0002");
        });
        assertThat(receiver.exchanges()).hasSize(1);
    }

    @Test
    void aBodyTooLargeForTheReceiverIsSplitSmallerUntilItFits() {
        restart(WebhookEmulator.builder().maxBodyBytes(4_000));
        Digest big = Samples.big("checkout", 30, 400);

        List<DeliveryResult> results = sinkToReceiver().build().deliver(List.of(big));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
        assertThat(receiver.exchanges()).extracting(Exchange::httpStatus).contains(413);
        List<WebhookEmulator.Accepted> parts = receiver.accepted();
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(m -> assertThat(m.bodyBytes()).isLessThan(4_000));
        assertThat(parts.get(0).body().path("title").asText()).endsWith("(1/" + parts.size() + ")");
        // mentions go with the first part only, as the robots do
        assertThat(parts).allSatisfy(m -> assertThat(m.body().path("digests")).hasSize(1));
    }

    @Test
    void tooManyRequestsLeavesTheReceiverAloneForTheBlockPeriod() {
        receiver.failNext(1, 429);
        WebhookSink sink = sinkToReceiver().build();

        DeliveryResult first = sink.deliver(List.of(digest("checkout", "boom"))).get(0);
        clock.advance(Duration.ofSeconds(30));
        DeliveryResult held = sink.deliver(List.of(digest("checkout", "boom"))).get(0);
        clock.advance(Duration.ofSeconds(31));
        DeliveryResult later = sink.deliver(List.of(digest("checkout", "boom"))).get(0);

        assertThat(first.status()).isEqualTo(Status.RETRY_LATER);
        assertThat(first.reason()).contains("HTTP 429");
        assertThat(first.retryAfter()).contains(NOW.plus(Duration.ofMinutes(1)));
        assertThat(held.status()).isEqualTo(Status.RETRY_LATER);
        assertThat(held.reason()).contains("throttled (HTTP 429)");
        assertThat(later.isDelivered()).isTrue();
        assertThat(receiver.exchanges()).hasSize(2);
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsLeftForTheNextCall() {
        receiver.delayNext(1, Duration.ofSeconds(2));

        List<DeliveryResult> results = sinkToReceiver().requestTimeout(Duration.ofMillis(300)).build()
                .deliver(List.of(digest("checkout", "boom"), digest("billing", "boom")));

        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.RETRY_LATER));
        assertThat(results.get(0).reason()).contains("no reply within 300 ms", "may have reached");
        assertThat(receiver.exchanges()).hasSize(1);
    }

    @Test
    void aBurstIsPackedWithinTheReceiversRateAndNothingIsLost() {
        List<Digest> burst = IntStream.range(0, 45).mapToObj(i -> digest("project-" + i, "boom " + i)).toList();
        WebhookSink sink = sinkToReceiver().build();

        List<DeliveryResult> results = sink.deliver(burst);

        assertThat(results).allSatisfy(r -> assertThat(r.isDelivered()).as(r.reason()).isTrue());
        assertThat(receiver.exchanges()).hasSizeLessThanOrEqualTo(20)
                .allSatisfy(e -> assertThat(e.httpStatus()).isEqualTo(200));
        int carried = receiver.accepted().stream().mapToInt(m -> m.body().path("digests").size()).sum();
        assertThat(carried).isEqualTo(45);
        assertThat(receiver.accepted()).anySatisfy(m -> assertThat(m.body().path("project").asText()).contains(", "));
    }

    @Test
    void secretsTheReceiverEchoesAreMaskedInReasonsAndNeverInTheName() {
        String token = "tok-5f1e2d3c4b5a6978";
        restart(WebhookEmulator.builder().path("/hooks/" + token + "-path-secret"));
        receiver.failNext(1, 400, "bad request to /hooks/" + token + "-path-secret with Bearer " + token);
        WebhookSink sink = sink(receiver.url() + "?key=query-secret-99", clock)
                .header("Authorization", "Bearer " + token).build();

        DeliveryResult result = sink.deliver(List.of(digest("checkout", "boom"))).get(0);

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).contains("bad request to ***").doesNotContain(token, "query-secret-99");
        assertThat(sink.name()).startsWith("webhook[127.0.0.1:").doesNotContain(token, "hooks", "query-secret-99");
        assertThat(sink.toString()).contains("/***").doesNotContain(token, "hooks", "query-secret-99");
    }

    @Test
    void aRedirectIsNotFollowed() {
        receiver.httpErrorNext(1, 308);

        DeliveryResult redirected = sinkToReceiver().build().deliver(List.of(digest("billing", "boom"))).get(0);

        assertThat(redirected.status()).isEqualTo(Status.REJECTED);
        assertThat(redirected.reason()).contains("HTTP 308", "redirect", "set 'webhook'");
    }

    @Test
    void theObserverHearsEveryStatus() {
        receiver.httpErrorNext(1, 500);
        List<String> codes = new ArrayList<>();
        WebhookSink sink = sinkToReceiver().build();
        sink.observe(new io.logalert.spi.SinkObserver() {
            @Override
            public void answered(String code) {
                codes.add(code);
            }
        });

        sink.deliver(List.of(digest("checkout", "boom")));

        assertThat(codes).containsExactly("500", "200");
    }
}
