package io.logalert.sink.dingtalk;

import io.logalert.sink.robot.Hmac;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The signature of a signed robot ("加签"): {@code base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret))},
 * URL-encoded when it goes into the query. Shared by the sink, the emulator and the runner's token check; a robot's
 * signature is worked out in this one place.
 */
public final class Signature {

    private Signature() {
    }

    /** The Base64 signature for {@code timestampMillis}, not yet URL-encoded. */
    public static String base64(long timestampMillis, String secret) {
        return Hmac.sha256Base64(secret, timestampMillis + "\n" + secret);
    }

    /** The signature as the {@code sign} query parameter carries it. */
    public static String queryValue(long timestampMillis, String secret) {
        return URLEncoder.encode(base64(timestampMillis, secret), StandardCharsets.UTF_8);
    }
}
