package io.logalert.sink.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook request: the HMAC of the exact body bytes under the secret, or, with a timestamp header, of
 * {@code <timestamp>.<body>} (Stripe's convention), so that a receiver can refuse a replayed request. Holds the
 * secret: no {@code toString()} shows it.
 *
 * @param secret          the signing secret
 * @param header          the header the signature goes in
 * @param algorithm       the HMAC
 * @param encoding        how the signature is written
 * @param prefix          what the header value starts with ({@code sha256=}), possibly nothing
 * @param timestampHeader the header of the epoch seconds the signature covers, when it covers one
 */
record Signer(String secret, String header, SignatureAlgorithm algorithm, SignatureEncoding encoding, String prefix,
        Optional<String> timestampHeader) {

    /** The headers that sign {@code body} sent at {@code now}: the signature, and the timestamp when there is one. */
    Map<String, String> headers(byte[] body, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] signed = body;
        if (timestampHeader.isPresent()) {
            String seconds = Long.toString(now.getEpochSecond());
            headers.put(timestampHeader.get(), seconds);
            byte[] head = (seconds + ".").getBytes(StandardCharsets.US_ASCII);
            signed = new byte[head.length + body.length];
            System.arraycopy(head, 0, signed, 0, head.length);
            System.arraycopy(body, 0, signed, head.length, body.length);
        }
        byte[] mac = mac(signed);
        headers.put(header, prefix + (encoding == SignatureEncoding.HEX ? HexFormat.of().formatHex(mac)
                : Base64.getEncoder().encodeToString(mac)));
        return headers;
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm.jcaName());
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm.jcaName()));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // every JDK ships these three; the exception's message cannot hold the key, but keep it out anyway
            throw new IllegalStateException(algorithm.jcaName() + " is not available: " + e.getClass().getName());
        }
    }

    @Override
    public String toString() {
        return "Signer[" + header + ", " + algorithm + ", secret not shown]";
    }
}
