package io.logalert.sink.robot;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HmacSHA256, the signature every robot platform asks for, in the one place it is computed: DingTalk signs
 * {@code timestamp + "\n" + secret} keyed with the secret, Feishu signs an empty message keyed with
 * {@code timestamp + "\n" + secret}, a generic webhook signs its body (with the HMAC it is set to, {@link #mac}).
 */
public final class Hmac {

    private Hmac() {
    }

    /** HmacSHA256 of {@code data} keyed with {@code key}, Base64-encoded. */
    public static String sha256Base64(byte[] key, byte[] data) {
        return Base64.getEncoder().encodeToString(sha256(key, data));
    }

    /** HmacSHA256 of {@code data} keyed with {@code key}, both UTF-8, Base64-encoded. */
    public static String sha256Base64(String key, String data) {
        return sha256Base64(key.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8));
    }

    /** HmacSHA256 of {@code data} keyed with {@code key}. */
    public static byte[] sha256(byte[] key, byte[] data) {
        return mac("HmacSHA256", key, data);
    }

    /**
     * The HMAC {@code algorithm} (a JCA name: "HmacSHA256", "HmacSHA512", "HmacSHA1") of {@code data} keyed with
     * {@code key}.
     */
    public static byte[] mac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // an empty key is legal for HMAC but not for SecretKeySpec: a zero byte is the same key (RFC 2104 pads)
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // every JDK ships the HMACs in use; the message of e cannot hold the key, but keep it out anyway
            throw new IllegalStateException(algorithm + " is not available: " + e.getClass().getName());
        }
    }
}
