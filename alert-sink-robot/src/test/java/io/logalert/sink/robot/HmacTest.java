package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HmacTest {

    // Computed outside this code base, with OpenSSL and Python's hmac module (both gave the same value):
    //   printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nSECtest123')" -binary | base64
    //   base64.b64encode(hmac.new(b'1700000000\nSECtest123', b'', hashlib.sha256).digest())
    private static final String FEISHU_STYLE = "eHRRCyLH7Z4IJQSJlfwertHZThRUYVu2hTUH02xPXYU=";

    @Test
    void signsAnEmptyMessageUnderAKeyAsFeishuDoes() {
        assertThat(Hmac.sha256Base64("1700000000\nSECtest123", "")).isEqualTo(FEISHU_STYLE);
    }

    @Test
    void anEmptyKeyIsTheKeyOfZeroBytesAsHmacDefinesIt() {
        // python: base64.b64encode(hmac.new(b'', b'body', hashlib.sha256).digest())
        assertThat(Hmac.sha256Base64(new byte[0], "body".getBytes()))
                .isEqualTo("fsNhnqf5IXIbbYvsg+otDG1VfgsWTa9XfmLIzIjtdK4=");
    }
}
