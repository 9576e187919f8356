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
                + "com.example.Orders.place\ncom.example.Orders.lambda$retry$<*>\ncom.example.Api.post");
    }

    @Test
    void masksTheNumberedPartsOfAFrameAndKeepsItsNames() {
        String trace = "java.lang.IllegalStateException: x\n"
                + "\tat com.example.Foo$1.run(Foo.java:3)\n"
                + "\tat com.example.Foo$$Lambda$14/0x0000000800c03000.accept(Unknown Source)\n"
                + "\tat jdk.internal.reflect.GeneratedMethodAccessor123.invoke(Unknown Source)\n";
        assertThat(signature("failed", trace)).isEqualTo("java.lang.IllegalStateException\n"
                + "com.example.Foo$<*>.run\ncom.example.Foo$$Lambda$<*>/<*>.accept\njdk.internal.reflect.<*>.invoke");
        // two lambdas of two classes stay two frames
        assertThat(signature("failed", "E: x\n\tat a.B.lambda$f$0(B.java:1)"))
                .isNotEqualTo(signature("failed", "E: x\n\tat a.C.lambda$g$0(C.java:1)"));
        // JavaScript frames (an unqualified TypeError is no exception type): blanks collapse, and a frame without
        // parentheses keeps its file and loses its line and column
        assertThat(signature("failed", "TypeError: x\n    at async  Promise.all \n    at /app/x.js:10:5\n"))
                .isEqualTo("\nasync Promise.all\n/app/x.js:<*>:<*>");
    }

    @Test
    void readsOnlyLinesThatStartWithAtAndAnyLineBreak() {
        // "at " inside a line is no frame; \r\n and a lone \r end lines; a frame may have no file part
        String message = "java.io.IOException: at wits' end\r\n\tat a.B.c(B.java:1) at x.Y.z\r\tat d.E.f\r\n"
                + "Caused by: java.lang.Error: at bottom\n\tat g.H.i(H.java:2)\n\tat ";
        assertThat(signature(message, ""))
                .isEqualTo("java.io.IOException\na.B.c\nd.E.f\ng.H.i\nCaused by: java.lang.Error\ng.H.i");
    }

    @Test
    void readsOnlyTheFirst8KiBOfATrace() {
        String head = "java.io.IOException: x\n" + "y".repeat(StackSignature.SCAN_LIMIT - 40) + "\n";
        String frame = "\tat a.B.cdefghijklmnopqrstuvwxyz(B.java:1)\n";
        // the first frame starts before the limit and is cut there; the second is past it
        assertThat(signature("failed", head + frame + frame)).isEqualTo("java.io.IOException\na.B.cdefghij");
    }

    @Test
    void isEmptyForOneLineWithoutAStackTrace() {
        assertThat(signature("java.io.IOException: at the end\r\n  \n", "")).isEmpty();
    }
}
