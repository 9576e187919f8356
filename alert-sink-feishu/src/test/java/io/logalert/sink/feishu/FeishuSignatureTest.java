package io.logalert.sink.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeishuSignatureTest {

    @Test
    void signsAnEmptyMessageKeyedWithTheTimestampAndTheSecret() {
        // worked out apart from this code, with OpenSSL:
        // printf '' | openssl dgst -sha256 -hmac "$(printf '1599360473\nd3Yp5qu8PJ0gZbOMLqfBHd')" -binary | base64
        assertThat(FeishuSignature.sign(1_599_360_473L, "d3Yp5qu8PJ0gZbOMLqfBHd"))
                .isEqualTo("UvEWsKQ1gVDvB3M45c+H+ICpeI9Od//yZMA/GlzwZU8=");
    }

    @Test
    void eachSecondHasItsOwnSignature() {
        assertThat(FeishuSignature.sign(1_599_360_474L, "d3Yp5qu8PJ0gZbOMLqfBHd"))
                .isNotEqualTo(FeishuSignature.sign(1_599_360_473L, "d3Yp5qu8PJ0gZbOMLqfBHd"));
    }
}
