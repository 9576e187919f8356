package io.logalert.sink.dingtalk;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            // every JDK ships HmacSHA256; the message of e cannot hold the secret, but keep it out anyway
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getClass().getName());
        }
    }

    /** The signature as the {@code sign} query parameter carries it. */
    public static String queryValue(long timestampMillis, String secret) {
        return URLEncoder.encode(base64(timestampMillis, secret), StandardCharsets.UTF_8);
    }
}
