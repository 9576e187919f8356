package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = Redactor.of(List.of("key+with/slash", "SECsecret", "  "));

    @Test
    void masksEverySecretAsGivenAndUrlEncoded() {
        String scrubbed = redactor.scrub("POST /send?key=key%2Bwith%2Fslash failed for key+with/slash; SECsecret");

        assertThat(scrubbed).isEqualTo("POST /send?key=*** failed for ***; ***");
    }

    @Test
    void masksSignaturesInQueriesAndJsonBodies() {
        String scrubbed = redactor.scrub("GET /x?timestamp=1&sign=abc%2Bdef "
                + "{\"timestamp\":\"1\",\"sign\" : \"abc+=\"}");

        assertThat(scrubbed).doesNotContain("abc").contains("sign=***", "\"sign\" : \"***\"");
    }

    @Test
    void masksALongerSecretWholeWhenItHoldsAShorterOne() {
        Redactor nested = Redactor.of(List.of("abc", "abcdef"));

        assertThat(nested.scrub("token abcdef")).isEqualTo("token ***");
    }

    @Test
    void showsNoSecretOfItsOwn() {
        assertThat(redactor.scrub(null)).isEmpty();
        assertThat(redactor.toString()).doesNotContain("key", "SEC").contains("2 secret(s)");
    }

    @Test
    void aFingerprintIsShortAndTheSameForTheSameSecret() {
        assertThat(Redactor.fingerprint("token")).hasSize(8).isEqualTo(Redactor.sha256("token").substring(0, 8))
                .isNotEqualTo(Redactor.fingerprint("token2"));
    }
}
