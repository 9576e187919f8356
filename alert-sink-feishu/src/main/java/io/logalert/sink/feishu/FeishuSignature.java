package io.logalert.sink.feishu;

import io.logalert.sink.robot.Hmac;

/**
 * The signature of a Feishu/Lark custom bot with "signature verification" on:
 * {@code base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty))}, with {@code timestamp} in epoch
 * seconds. Unlike DingTalk's, the secret is in the key and the signed message is empty, and the result goes into the
 * JSON body ({@code "timestamp"}, {@code "sign"}) as it is, not URL-encoded. Shared by the sink and the emulator.
 */
public final class FeishuSignature {

    private FeishuSignature() {
    }

    /** The {@code sign} for {@code epochSeconds} and {@code secret}. */
    public static String sign(long epochSeconds, String secret) {
        return Hmac.sha256Base64(epochSeconds + "\n" + secret, "");
    }
}
