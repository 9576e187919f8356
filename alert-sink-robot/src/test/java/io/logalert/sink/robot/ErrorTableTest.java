package io.logalert.sink.robot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorTableTest {

    private static final Redactor REDACTOR = Redactor.of(List.of("the-key"));

    private final ErrorTable table = ErrorTable.builder("WeCom")
            .field("errcode", "errmsg")
            .field("StatusCode", "StatusMessage")
            .code(0, Action.DELIVERED, "ok")
            .code(45009, Action.THROTTLED, "sending too fast")
            .code(93000, Action.ROBOT_REJECTED, "invalid webhook key", "check 'webhook' against the robot")
            .code(40058, Action.TOO_LONG, "too long", msg -> msg.contains("text") ? "a text message" : "")
            .otherwise(Action.MESSAGE_REJECTED, "unknown error code")
            .httpAdvice("check 'webhook'")
            .build();

    private Verdict interpret(int status, String body) {
        return table.interpret(status, body, "robot.example", "https://robot.example/send?key=***", REDACTOR);
    }

    @Test
    void aZeroCodeIsDeliveredAndReportsItsCode() {
        assertThat(interpret(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"))
                .isEqualTo(new Verdict(Action.DELIVERED, Optional.of("0"), ""));
    }

    @Test
    void aRefusalSaysThePlatformItsCodeItsMeaningItsMessageAndWhatToSet() {
        Verdict verdict = interpret(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url the-key\"}");

        assertThat(verdict.action()).isEqualTo(Action.ROBOT_REJECTED);
        assertThat(verdict.code()).contains("93000");
        assertThat(verdict.reason()).isEqualTo("WeCom errcode 93000 (invalid webhook key): invalid webhook url *** "
                + "— check 'webhook' against the robot");
    }

    @Test
    void adviceCanDependOnThePlatformsMessage() {
        assertThat(interpret(200, "{\"errcode\":40058,\"errmsg\":\"text.content exceed\"}").reason())
                .endsWith(" — a text message");
        assertThat(interpret(200, "{\"errcode\":40058,\"errmsg\":\"markdown.content exceed\"}").reason())
                .endsWith("markdown.content exceed");
    }

    @Test
    void anUnknownCodeIsTheTablesOtherwise() {
        assertThat(interpret(200, "{\"errcode\":777}"))
                .isEqualTo(new Verdict(Action.MESSAGE_REJECTED, Optional.of("777"),
                        "WeCom errcode 777 (unknown error code)"));
    }

    @Test
    void theFirstCodeFieldPresentDecides() {
        assertThat(interpret(200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}").action())
                .isEqualTo(Action.DELIVERED);
    }

    @Test
    void serverErrorsAndTooManyRequestsArePassingWithTheStatusAsCode() {
        assertThat(interpret(503, "busy")).isEqualTo(new Verdict(Action.RETRY, Optional.of("503"),
                "HTTP 503 from robot.example"));
        assertThat(interpret(429, "").action()).isEqualTo(Action.RETRY);
    }

    @Test
    void anotherStatusMeansAWrongAddressWithAdvice() {
        assertThat(interpret(404, "not found")).isEqualTo(new Verdict(Action.ROBOT_REJECTED, Optional.of("404"),
                "HTTP 404 from https://robot.example/send?key=***; check 'webhook'"));
    }

    @Test
    void aReplyThatIsNotJsonOrHasNoCodeIsPassingTrouble() {
        assertThat(interpret(200, "<html>gateway</html>")).isEqualTo(Verdict.retry("a reply that is not JSON from "
                + "robot.example"));
        assertThat(interpret(200, "{\"ok\":true}")).isEqualTo(Verdict.retry("a reply without errcode from "
                + "robot.example"));
    }

    @Test
    void aTableIsBuiltWithACodeFieldAndEachCodeOnce() {
        assertThatThrownBy(() -> ErrorTable.builder("X").code(0, Action.DELIVERED, "ok").build())
                .hasMessageContaining("field");
        assertThatThrownBy(() -> ErrorTable.builder("X").code(1, Action.RETRY, "a").code(1, Action.RETRY, "b"))
                .hasMessageContaining("X code 1 is in the table twice");
    }
}
