package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.LogEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StackSignatureTest {

    private static String signature(String message, String stackTrace) {
        return StackSignature.of(LogEvent.builder().timestamp(Instant.parse("2026-03-01T10:00:00Z")).project("p")
                .message(message).stackTrace(stackTrace).build());
    }

    @Test
    void isTheExceptionTypeAndTheTopThreeMethodsWithoutFilesAndLines() {
        String trace = "java.lang.IllegalStateException: failed at step 3\n"
                + "\tat com.example.Orders.place(Orders.java:42)\n"
                + "\tat com.example.Orders.lambda$retry$0(Orders.java:17)\n"
                + "    at com.example.Api.post(Api.java:9)\n"
                + "\tat com.example.Main.main(Main.java:1)\n";
        assertThat(signature("order failed", trace)).isEqualTo("java.lang.IllegalStateException\n"
                + "com.example.Orders.place\n<*>\ncom.example.Api.post");
    }

    @Test
    void readsOnlyLinesThatStartWithAtAndAnyLineBreak() {
        // "at " inside a line is no frame; \r\n and a lone \r end lines; a frame may have no file part
        String message = "java.io.IOException: at wits' end\r\n\tat a.B.c(B.java:1) at x.Y.z\r\tat d.E.f\r\n"
                + "Caused by: java.lang.Error: at bottom\n\tat g.H.i(H.java:2)\n\tat ";
        assertThat(signature(message, "")).isEqualTo("java.io.IOException\na.B.c\nd.E.f\ng.H.i");
    }

    @Test
    void isEmptyForOneLineWithoutAStackTrace() {
        assertThat(signature("java.io.IOException: at the end\r\n  \n", "")).isEmpty();
    }
}
