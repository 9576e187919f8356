package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.MessageRenderer;
import io.logalert.sink.robot.OutgoingMessage;
import io.logalert.sink.robot.Redactor;
import io.logalert.sink.robot.RobotPlatform;
import io.logalert.sink.robot.Verdict;
import java.net.http.HttpRequest;
import java.time.Instant;

/**
 * DingTalk's rules for one robot: the access token in the URL, the signature in the query, the body the renderer
 * makes, and the {@code errcode} table.
 */
final class DingTalkPlatform implements RobotPlatform {

    private final RobotEndpoint endpoint;
    private final DigestRenderer renderer;

    DingTalkPlatform(RobotEndpoint endpoint, DigestRenderer renderer) {
        this.endpoint = endpoint;
        this.renderer = renderer;
    }

    @Override
    public String type() {
        return DingTalkSink.TYPE;
    }

    @Override
    public String displayName() {
        return "DingTalk";
    }

    @Override
    public String robotKey() {
        return endpoint.budgetKey();
    }

    @Override
    public String host() {
        return endpoint.host();
    }

    @Override
    public String redacted() {
        return endpoint.redacted();
    }

    @Override
    public Redactor redactor() {
        return endpoint.redactor();
    }

    @Override
    public MessageRenderer renderer() {
        return renderer;
    }

    @Override
    public HttpRequest.Builder request(OutgoingMessage message, Instant now) {
        return HttpRequest.newBuilder(endpoint.requestUri(now.toEpochMilli()))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
    }

    @Override
    public Verdict interpret(int status, String body) {
        return ErrorCodes.TABLE.interpret(status, body, endpoint.host(), endpoint.redacted(), endpoint.redactor());
    }

    @Override
    public String throttleCodes() {
        return "errcode " + ErrorCodes.THROTTLED + "/" + ErrorCodes.THROTTLED_LEGACY;
    }

    @Override
    public String toString() {
        return "DingTalkPlatform[" + endpoint.redacted() + "]";
    }
}
