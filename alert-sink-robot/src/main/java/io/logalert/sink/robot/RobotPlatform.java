package io.logalert.sink.robot;

import java.net.http.HttpRequest;
import java.time.Instant;

/**
 * One chat-robot platform's rules, for one configured robot: who it is, how a request to it is addressed and signed,
 * what its body looks like, and what its answers mean. {@link RobotSink} does everything else, once for every
 * platform: the rate budget (in the JVM and across processes), splitting under the byte limit, packing projects,
 * retries with backoff, withholding refused log text, redaction and the {@link io.logalert.spi.SinkObserver}.
 *
 * <h2>How to add a robot</h2>
 * <ol>
 *   <li>A module {@code alert-sink-<type>} with package {@code io.logalert.sink.<type>}, depending on
 *       {@code alert-sink-robot}.</li>
 *   <li>A {@link Markup} for its message format, unless {@link Markups} has it, tested with the hostile corpus:
 *       log text must never become a link, an image, a mention or a heading.</li>
 *   <li>An {@link ErrorTable} of its answer codes: which mean delivered, passing trouble ({@link Action#RETRY}),
 *       too fast ({@link Action#THROTTLED}), too long, refused content (the digest is sent again without its log
 *       text), or a wrong setting ({@link Action#ROBOT_REJECTED}, with advice naming the key to set).</li>
 *   <li>This interface: the robot's identity (a hash of its token as {@link #robotKey()}), its redacted address and
 *       a {@link Redactor} of its secrets, the request with its signature ({@link #request}), and the
 *       answer ({@link #interpret}, usually {@link ErrorTable#interpret}).</li>
 *   <li>A {@link MessageRenderer} with a {@link MessageRenderer.Body} that wraps the text in the platform's JSON
 *       (mentions, buttons, a card), the text appearing in it once.</li>
 *   <li>A sink class extending {@link RobotSink}, whose builder extends {@link RobotSettings} (the settings every
 *       robot has, with their validation) and adds the platform's keys; a provider that reads the platform's keys,
 *       then {@link RobotSettings#read} for the common ones, registered in
 *       {@code META-INF/services/io.logalert.spi.AlertSinkProvider}.</li>
 *   <li>Tests: {@code AlertSinkContract} against an emulator of the platform on loopback, its protocol (signature,
 *       limits, every error code), and the markup's hostile corpus.</li>
 * </ol>
 *
 * <p>Implementations hold secrets: they have no {@code toString()} that shows them. Thread-safe.
 */
public interface RobotPlatform {

    /** The sink type, as configured ("dingtalk"); prefixes the robot's key in shared budgets. */
    String type();

    /** The platform's name as a reader knows it ("DingTalk"), in reasons and logs. */
    String displayName();

    /**
     * The robot's identity in rate budgets: the same for every spelling of its address, different for another robot,
     * and free of secrets (the SHA-256 of its token, say; see {@link Redactor#sha256}).
     */
    String robotKey();

    /** A short fingerprint of the robot for names and logs. Default: the first 8 characters of {@link #robotKey()}. */
    default String fingerprint() {
        return robotKey().substring(0, 8);
    }

    /** The host (and port) requests go to. */
    String host();

    /**
     * The robot's address with its secrets masked, e.g.
     * {@code https://oapi.dingtalk.com/robot/send?access_token=***}.
     */
    String redacted();

    /** Masks the robot's secrets in text the sink did not write (exception messages, replies). */
    Redactor redactor();

    /** Renders digests into this platform's messages. */
    MessageRenderer renderer();

    /**
     * The request that sends {@code message} at {@code now}: its URI, headers (a signature header) and body (a
     * signature in the body). The sink adds the request timeout.
     */
    HttpRequest.Builder request(OutgoingMessage message, Instant now);

    /** What a reply with HTTP {@code status} and {@code body} means. */
    Verdict interpret(int status, String body);

    /**
     * The codes that throttle a robot, for the reason of a digest held back while it is blocked
     * ("errcode 410100/130101"). Default: none named.
     */
    default String throttleCodes() {
        return "";
    }
}
