package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.logalert.examples.demo.DemoOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's command line. */
class DemoOptionsTest {

    @Test
    void noOptionsStartANodeAndTheEmulator() {
        DemoOptions options = DemoOptions.parse();
        assertThat(options.startsNode()).isTrue();
        assertThat(options.indexesSamples()).isTrue();
        assertThat(options.usesEmulator()).isTrue();
        assertThat(options.cycles()).isEqualTo(DemoOptions.DEFAULT_CYCLES);
        assertThat(options.interval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRealClusterAndRobotReplaceTheNodeAndTheEmulator() {
        DemoOptions options = DemoOptions.parse("--es-hosts=https://es.example.com:9200", "--index", "logs-*",
                "--dingtalk-token", "tok", "--cycles", "3", "--interval", "10", "--source", "field.message=message");
        assertThat(options.startsNode()).isFalse();
        assertThat(options.indexesSamples()).isFalse();
        assertThat(options.usesEmulator()).isFalse();
        assertThat(options.sourceSettings()).containsEntry("field.message", "message");
        assertThat(options.cycles()).isEqualTo(3);
        assertThat(options.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void secretsAreNeverPrinted() {
        DemoOptions options = DemoOptions.parse("--es-hosts", "https://es.example.com:9200", "--index", "logs-*",
                "--es-user", "elastic", "--es-password", "pw-s3cret", "--dingtalk-token", "tok-s3cret",
                "--dingtalk-secret", "SECs3cret");
        assertThat(options.toString()).doesNotContain("s3cret").contains("elastic");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoOptions.parse("--dingtalk-secret", "SECs3cret", "--bogus=s3cret", "s3cret"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret")
                        .contains("--dingtalk-secret needs --dingtalk-token").contains("unknown option --bogus"));
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DemoOptions.parse("--es-hosts", "http://h:9200", "--cycles", "0", "--es-user", "u"))
                .satisfies(e -> assertThat(e.getMessage()).contains("--es-hosts needs --index")
                        .contains("--cycles must be a whole number from 1 to 100")
                        .contains("--es-user and --es-password go together"));
    }

    @Test
    void theUsageNamesEveryOption() {
        assertThat(DemoOptions.usage()).contains("--es-hosts", "--index", "--index-sample-logs", "--dingtalk-token",
                "--dingtalk-secret", "--cycles", "--help");
    }
}
