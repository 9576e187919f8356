package io.logalert.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignerTest {

    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsAsGitHubDocumentsItsOwnExample() {
        // GitHub's "validating webhook deliveries" example; also: printf 'Hello, World!' | openssl dgst -sha256
        // -hmac "It's a Secret to Everybody"
        Signer signer = new Signer("It's a Secret to Everybody", "X-Hub-Signature-256",
                SignatureAlgorithm.HMAC_SHA256, SignatureEncoding.HEX, "sha256=", Optional.empty());

        assertThat(signer.headers(BODY, Instant.EPOCH)).containsExactly(Map.entry("X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    }

    @Test
    void withATimestampItSignsTheSecondsADotAndTheBody() {
        // printf '1772359380.Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody" -binary | base64
        Signer signer = new Signer("It's a Secret to Everybody", "X-Sig", SignatureAlgorithm.HMAC_SHA256,
                SignatureEncoding.BASE64, "", Optional.of("X-Ts"));

        assertThat(signer.headers(BODY, Instant.ofEpochSecond(1_772_359_380L)))
                .containsEntry("X-Ts", "1772359380")
                .containsEntry("X-Sig", "LYCy7BP3TDwHJOKo+B6KZwO3+tMevh05KHPa6zzFCc4=");
    }

    @Test
    void itsToStringHoldsNoSecret() {
        assertThat(new Signer("It's a Secret", "X-Sig", SignatureAlgorithm.HMAC_SHA1, SignatureEncoding.HEX, "",
                Optional.empty()).toString()).doesNotContain("Secret");
    }
}
