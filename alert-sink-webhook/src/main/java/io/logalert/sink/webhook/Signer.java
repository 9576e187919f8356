package io.logalert.sink.webhook;

import io.logalert.sink.robot.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
        byte[] mac = Hmac.mac(algorithm.jcaName(), secret.getBytes(StandardCharsets.UTF_8), signed);
        headers.put(header, prefix + (encoding == SignatureEncoding.HEX ? HexFormat.of().formatHex(mac)
                : Base64.getEncoder().encodeToString(mac)));
        return headers;
    }

    @Override
    public String toString() {
        return "Signer[" + header + ", " + algorithm + ", secret not shown]";
    }
}
