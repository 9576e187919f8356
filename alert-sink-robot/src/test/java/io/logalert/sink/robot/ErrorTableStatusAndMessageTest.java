package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Codes answered with another status than 200, and one code that means different things by its message. */
class ErrorTableStatusAndMessageTest {

    private static final Redactor NONE = Redactor.of(List.of());

    private static ErrorTable table(boolean anyStatus) {
        ErrorTable.Builder b = ErrorTable.builder("Bot").field("code", "msg")
                .code(0, Action.DELIVERED, "ok")
                .codeWhenMessageHas(40058, "exceed max length", Action.TOO_LONG, "message too long")
                .code(40058, Action.ROBOT_REJECTED, "invalid parameter", "a bug")
                .code(9499, Action.THROTTLED, "too fast");
        return (anyStatus ? b.codesOnAnyStatus() : b).build();
    }

    @Test
    void aCodeInAReplyOfAnotherStatusDecidesOnlyWhenTheTableSaysSo() {
        String body = "{\"code\":9499,\"msg\":\"too many request\",\"data\":{}}";

        assertThat(table(true).interpret(400, body, "h", "a", NONE).action()).isEqualTo(Action.THROTTLED);
        assertThat(table(false).interpret(400, body, "h", "a", NONE).action()).isEqualTo(Action.ROBOT_REJECTED);
        // without a code, the status still decides
        assertThat(table(true).interpret(503, "<html>busy</html>", "h", "a", NONE).action()).isEqualTo(Action.RETRY);
        assertThat(table(true).interpret(404, "", "h", "a", NONE).action()).isEqualTo(Action.ROBOT_REJECTED);
    }

    @Test
    void aCodesMessageChoosesItsMeaningInAnyCase() {
        Verdict tooLong = table(false).verdict("code", 40058, "markdown.content EXCEED MAX LENGTH 4096");
        Verdict other = table(false).verdict("code", 40058, "invalid Request Parameter");

        assertThat(tooLong.action()).isEqualTo(Action.TOO_LONG);
        assertThat(tooLong.reason()).startsWith("Bot code 40058 (message too long)");
        assertThat(other.action()).isEqualTo(Action.ROBOT_REJECTED);
        assertThat(other.reason()).contains("(invalid parameter)", "— a bug");
    }
}
