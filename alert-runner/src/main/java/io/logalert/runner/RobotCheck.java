package io.logalert.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.config.Durations;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.sink.dingtalk.Signature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a DingTalk robot's access token and signature without sending anything to its group: it posts a request
 * with no message in it, which the robot refuses for its content only after it has accepted the token (and the
 * signature, and the IP allow-list). Keywords are checked only on a message, so they cannot be checked this way.
 * Nothing of the token, the secret or the URL appears in the outcome.
 */
final class RobotCheck {

    /**
     * What the robot said.
     *
     * @param ok     whether the token (and signature) were accepted
     * @param detail what that means, for a person
     */
    record Outcome(boolean ok, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RobotCheck() {
    }

    /** Checks the robot configured by a {@code dingtalk} sink section's values. */
    static Outcome check(Map<String, String> values, Clock clock) {
        Optional<String> secret = Optional.ofNullable(values.get("secret")).map(String::strip).filter(s -> !s.isEmpty());
        String url;
        String webhook = values.getOrDefault("webhook", "").strip();
        if (!webhook.isEmpty()) {
            url = webhook.replaceAll("[&?](timestamp|sign)=[^&]*", "");
        } else {
            String base = values.getOrDefault("base-url", DingTalkSink.DEFAULT_BASE_URL.toString()).strip()
                    .replaceAll("/+$", "");
            url = base + "/robot/send?access_token="
                    + URLEncoder.encode(values.getOrDefault("access-token", "").strip(), StandardCharsets.UTF_8);
        }
        if (secret.isPresent()) {
            long timestamp = clock.millis();
            url += "&timestamp=" + timestamp + "&sign=" + Signature.queryValue(timestamp, secret.get());
        }
        Duration connect = Durations.parse(values.getOrDefault("connect-timeout", "5s")).orElse(Duration.ofSeconds(5));
        Duration request = Durations.parse(values.getOrDefault("request-timeout", "10s"))
                .orElse(Duration.ofSeconds(10));
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(connect);
        String proxy = values.getOrDefault("proxy", "").strip();
        int colon = proxy.lastIndexOf(':');
        if (colon > 0) {
            try {
                client.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(proxy.substring(0, colon),
                        Integer.parseInt(proxy.substring(colon + 1)))));
            } catch (IllegalArgumentException badProxy) {
                // the sink's own validation reports it
            }
        }
        HttpResponse<String> response;
        try {
            HttpRequest post = HttpRequest.newBuilder(URI.create(url)).timeout(request)
                    .header("Content-Type", "application/json;charset=utf-8")
                    // no msgtype: nothing the robot could show
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            response = client.build().send(post, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Outcome(false, "cannot reach the robot: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + scrub(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        } catch (IllegalArgumentException e) {
            return new Outcome(false, "the robot's URL is not valid (not shown: it holds the token)");
        }
        if (response.statusCode() != 200) {
            return new Outcome(false, "the robot answered HTTP " + response.statusCode()
                    + "; check base-url / webhook");
        }
        int errcode;
        String errmsg;
        try {
            JsonNode answer = JSON.readTree(response.body());
            errcode = answer.path("errcode").asInt(Integer.MIN_VALUE);
            errmsg = answer.path("errmsg").asText("");
        } catch (IOException e) {
            return new Outcome(false, "the answer is not DingTalk's (not JSON); check base-url / webhook");
        }
        return outcome(errcode, scrub(errmsg), secret.isPresent());
    }

    static Outcome outcome(int errcode, String errmsg, boolean signed) {
        String accepted = "token " + (signed ? "and signature " : "") + "accepted, nothing sent to the group "
                + "(keywords are checked only on a real message)";
        return switch (errcode) {
            // refused for the missing content: everything before it passed
            case 40035, 400105, 43004 -> new Outcome(true, accepted);
            case 410100, 130101 -> new Outcome(true, "the token is known, and the robot is throttled right now "
                    + "(errcode " + errcode + ": " + errmsg + ")");
            case 310000 -> errmsg.contains("keyword")
                    ? new Outcome(true, accepted)
                    : new Outcome(false, "the robot's security settings refused the request (errcode 310000: "
                            + errmsg + "): check `secret` (signature) and the robot's IP allow-list");
            case 300001, 300005, 400101, 400106 -> new Outcome(false, "the robot does not know this access token "
                    + "(errcode " + errcode + ": " + errmsg + "): check `access-token` / `webhook`");
            case 400102 -> new Outcome(false, "the robot is disabled (errcode 400102)");
            case 400013 -> new Outcome(false, "the robot's group was disbanded (errcode 400013)");
            case 0 -> new Outcome(false, "the robot answered ok to a request without a message: this is not "
                    + "DingTalk's behaviour; check base-url");
            default -> new Outcome(false, "unexpected answer errcode " + errcode + ": " + errmsg);
        };
    }

    /** Text from the network may quote the request: anything that looks like a token or a signature goes. */
    private static String scrub(String text) {
        return text.replaceAll("(access_token|sign|timestamp)=[^&\\s]*", "$1=***");
    }
}
