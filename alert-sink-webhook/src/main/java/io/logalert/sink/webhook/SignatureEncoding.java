package io.logalert.sink.webhook;

/** How a signature's bytes are written in its header: {@code hex} (lower case, the default) or {@code base64}. */
public enum SignatureEncoding {
    /** Lower-case hexadecimal, as GitHub, Slack and Stripe write it. */
    HEX,
    /** Standard Base64 with padding. */
    BASE64
}
