package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignatureTest {

    // Computed outside this code base, with OpenSSL and Python's hmac module (both gave the same value):
    //   T=1700000000000; S='SECb0a3…ba98' (the SECRET below)
    //   printf '%s\n%s' "$T" "$S" | openssl dgst -sha256 -hmac "$S" -binary | base64
    //   python3: urllib.parse.quote_plus(base64.b64encode(hmac.new(S, T+"\n"+S, sha256).digest()))
    private static final long TIMESTAMP = 1_700_000_000_000L;
    private static final String SECRET = "SECb0a3c4d2e1f09876543210fedcba9876543210fedcba9876543210fedcba98";
    private static final String BASE64 = "BfUtW027l8q4yMP90AqVWfwKuMEveD5daY/2vy+VXp4=";
    private static final String URL_ENCODED = "BfUtW027l8q4yMP90AqVWfwKuMEveD5daY%2F2vy%2BVXp4%3D";

    @Test
    void signatureMatchesAnIndependentlyComputedVector() {
        assertThat(Signature.base64(TIMESTAMP, SECRET)).isEqualTo(BASE64);
    }

    @Test
    void signatureInTheQueryIsUrlEncoded() {
        assertThat(Signature.queryValue(TIMESTAMP, SECRET)).isEqualTo(URL_ENCODED);
    }

    @Test
    void requestUriCarriesTokenTimestampAndSign() {
        RobotEndpoint robot = RobotEndpoint.ofWebhook(
                "https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=old",
                java.util.Optional.of(SECRET));

        assertThat(robot.requestUri(TIMESTAMP)).hasToString("https://oapi.dingtalk.com/robot/send?access_token=abc123"
                + "&timestamp=" + TIMESTAMP + "&sign=" + URL_ENCODED);
        assertThat(robot.redacted()).doesNotContain("abc123").doesNotContain(SECRET);
        assertThat(robot.scrub("GET /robot/send?access_token=abc123&sign=" + URL_ENCODED + " " + SECRET))
                .doesNotContain("abc123").doesNotContain(URL_ENCODED).doesNotContain(SECRET);
    }
}
