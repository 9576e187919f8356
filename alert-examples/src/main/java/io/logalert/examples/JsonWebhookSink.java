package io.logalert.examples;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.spi.AlertSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A custom {@link AlertSink}, worked out in full as an example: it POSTs each digest as one JSON document
 * ({@link DigestJson}) to a URL, for receivers that are neither DingTalk nor a console (an incident tool, a
 * chat-ops bot, a serverless function). Type {@value #TYPE}; created by {@link JsonWebhookSinkProvider}, which is
 * registered for {@link java.util.ServiceLoader}, so that an application names it like a shipped sink:
 *
 * <pre>{@code
 * AlertPipeline.builder()
 *         .addSink("json-webhook", PluginConfig.of(Map.of(
 *                 "url", "https://incidents.example.com/hooks/logalert",
 *                 "header.Authorization", "Bearer " + token)))
 * }</pre>
 *
 * <p>How it answers, per digest:
 * <ul>
 *   <li>any 2xx: {@link DeliveryResult.Status#DELIVERED DELIVERED};</li>
 *   <li>429, 408 and 5xx, a timeout, a refused or broken connection:
 *       {@link DeliveryResult.Status#RETRY_LATER RETRY_LATER}, not before the answer's {@code Retry-After} (seconds
 *       or an HTTP date) when it has one. After a 429 or a connection that failed, the digests left in the call are
 *       not sent but answered the same way: the receiver is throttling or down, and each further request would only
 *       add to its load or wait out the timeout again. After a 5xx the next digest is still sent, since a receiver
 *       that fails on one document (say, one it cannot parse) must not hold back all the others for good;</li>
 *   <li>any other status (400, 401, 404, 413, a redirect, which is never followed):
 *       {@link DeliveryResult.Status#REJECTED REJECTED} with the status and the first 200 characters of the answer:
 *       sending the same document again will not help until the configuration or the receiver changes.</li>
 * </ul>
 * A failure is an answer, never an exception. Header values, the URL's user info and its query are secrets: they
 * never appear in {@link #name()}, {@link #toString()} or a reason, even when the receiver echoes them back.
 *
 * <p>Thread-safe: it holds no state between calls beyond the JDK {@link HttpClient}, which is itself thread-safe,
 * so pipelines may share one.
 */
public final class JsonWebhookSink implements AlertSink {

    /** The type the sink is configured by. */
    public static final String TYPE = "json-webhook";

    /** How much of an answer's body a reason quotes, in characters. */
    static final int EXCERPT_CHARS = 200;

    /** How much of an answer's body is read at most: enough for an excerpt, whatever the receiver sends. */
    private static final int MAX_BODY_BYTES = 4_096;

    private final URI target;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Clock clock;
    private final String name;
    private final List<String> secrets;
    private final HttpClient client;

    /**
     * A sink posting to {@code target} (no user info in it) with {@code headers}.
     *
     * @param target  where requests go, query included
     * @param headers extra request headers by name; their values are secrets
     * @param timeout how long to wait to connect, and then for the answer
     * @param name    the sink's name, free of secrets
     * @param secrets texts never to show: header values, user info, query parts
     * @param clock   the clock {@code Retry-After} seconds count from
     */
    JsonWebhookSink(URI target, Map<String, String> headers, Duration timeout, String name, Set<String> secrets,
            Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.headers = Map.copyOf(headers);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.name = Objects.requireNonNull(name, "name");
        // longest first, so that a secret holding another one is hidden whole
        this.secrets = secrets.stream().filter(s -> !s.isBlank())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.clock = Objects.requireNonNull(clock, "clock");
        // redirects are not followed: a receiver that moved should be configured at its new address, and following
        // one would send the headers (credentials) wherever the Location points
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/1.1: over plain http the JDK would otherwise ask to upgrade to HTTP/2 (h2c), which some
                // receivers and proxies in front of them answer badly; a webhook gains nothing from HTTP/2
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public List<DeliveryResult> deliver(List<Digest> digests) {
        List<DeliveryResult> results = new ArrayList<>(digests.size());
        DeliveryResult stopped = null;
        for (Digest digest : digests) {
            if (stopped != null) {
                // the receiver is down or throttling: answer the rest as the first, without sending
                results.add(DeliveryResult.retryLater(digest, stopped.reason() + " (not sent: the webhook was "
                        + "unavailable or throttling earlier in this run)", stopped.retryAfter()));
                continue;
            }
            Attempt attempt = post(digest);
            results.add(attempt.result());
            if (attempt.stopsTheCall()) {
                stopped = attempt.result();
            }
        }
        return results;
    }

    /** What one POST gave, and whether the digests after it should wait for a later run. */
    private record Attempt(DeliveryResult result, boolean stopsTheCall) {
    }

    private Attempt post(Digest digest) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "logalert-json-webhook")
                .POST(HttpRequest.BodyPublishers.ofString(DigestJson.of(digest), StandardCharsets.UTF_8));
        // the configured headers come last, so that they may replace the two above
        headers.forEach(request::setHeader);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            return unavailable(digest, "the webhook did not answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return unavailable(digest, "cannot connect to the webhook: " + describe(e));
        } catch (IOException e) {
            return unavailable(digest, "the request to the webhook failed: " + describe(e));
        } catch (InterruptedException e) {
            // the pipeline is closing: keep the digest for a later run, and let the caller see the interrupt
            Thread.currentThread().interrupt();
            return unavailable(digest, "interrupted before the webhook answered");
        }

        int status = response.statusCode();
        String excerpt = excerpt(response.body());
        if (status >= 200 && status < 300) {
            return new Attempt(DeliveryResult.delivered(digest), false);
        }
        Optional<Instant> retryAfter = response.headers().firstValue("Retry-After").flatMap(this::retryAfter);
        if (status == 429) {
            return new Attempt(DeliveryResult.retryLater(digest, "the webhook is throttling: HTTP 429" + excerpt,
                    retryAfter), true);
        }
        if (status == 408 || status >= 500) {
            return new Attempt(DeliveryResult.retryLater(digest, "the webhook failed: HTTP " + status + excerpt,
                    retryAfter), false);
        }
        if (status >= 300 && status < 400) {
            return new Attempt(DeliveryResult.rejected(digest, "the webhook answered HTTP " + status + " (a redirect, "
                    + "not followed): set 'url' to where it points now"), false);
        }
        return new Attempt(DeliveryResult.rejected(digest, "the webhook refused the digest: HTTP " + status
                + excerpt), false);
    }

    private Attempt unavailable(Digest digest, String reason) {
        return new Attempt(DeliveryResult.retryLater(digest, redact(reason), Optional.empty()), true);
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110, section 10.2.3); empty when neither. */
    private Optional<Instant> retryAfter(String value) {
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            return Optional.of(clock.instant().plusSeconds(Long.parseLong(text)));
        }
        try {
            return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** ": " and the start of the body on one line, secrets hidden; empty for an empty body. */
    private String excerpt(InputStream body) {
        String text;
        try (body) {
            text = new String(body.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
        // hidden before cutting, so that a secret cut in half cannot slip through
        text = redact(text).replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "…" : text);
    }

    /** The first message along the causes; the JDK client often wraps the real one in an exception without any. */
    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    /** {@code text} with every secret replaced by {@code ***}. */
    private String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }

    /** {@code json-webhook[<scheme>://<host>[:port]<path>]}, or the configured name; never a secret. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
