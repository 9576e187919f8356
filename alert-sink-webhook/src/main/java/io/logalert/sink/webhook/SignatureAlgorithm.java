package io.logalert.sink.webhook;

/**
 * The HMAC a webhook's signature header is computed with. Configured as {@code hmac-sha256}, {@code hmac-sha512} or
 * {@code hmac-sha1}.
 */
public enum SignatureAlgorithm {

    /** HmacSHA256, as GitHub's {@code X-Hub-Signature-256}, Slack and Stripe sign. The default. */
    HMAC_SHA256("HmacSHA256", "sha256="),
    /** HmacSHA512. */
    HMAC_SHA512("HmacSHA512", "sha512="),
    /** HmacSHA1, for receivers that still check GitHub's legacy {@code X-Hub-Signature}; weaker, avoid otherwise. */
    HMAC_SHA1("HmacSHA1", "sha1=");

    private final String jcaName;
    private final String prefix;

    SignatureAlgorithm(String jcaName, String prefix) {
        this.jcaName = jcaName;
        this.prefix = prefix;
    }

    /** The algorithm's name in {@link javax.crypto.Mac#getInstance(String)}. */
    public String jcaName() {
        return jcaName;
    }

    /** The prefix of the header value by default, GitHub's convention: {@code sha256=}. */
    public String defaultPrefix() {
        return prefix;
    }
}
