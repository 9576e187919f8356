package io.logalert.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

/** The runner's logback.xml (src/main/resources), read as the jar reads it. */
class LoggingConfigTest {

    private static LoggerContext configured() throws Exception {
        URL config = Path.of("src/main/resources/logback.xml").toUri().toURL();
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        return context;
    }

    @Test
    void logalertLogsAtInfoAndTheHttpClientsThatPrintCredentialsAtWarn() throws Exception {
        LoggerContext context = configured();

        assertThat(context.getLogger("io.logalert.AlertPipeline").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.http.headers").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.http.wire").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.elasticsearch.client.RestClient").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        // the HTTP clients log through commons-logging: the bridge sends that to SLF4J, hence to these levels
        assertThat(LogFactory.getLog("org.apache.http.headers").getClass().getName())
                .startsWith("org.apache.commons.logging.impl.SLF4J");
        context.stop();
    }

    @Test
    void everyEventIsOneLineExceptionsIncluded() throws Exception {
        LoggerContext context = configured();
        @SuppressWarnings("unchecked")
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stderr =
                (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) context.getLogger("ROOT")
                        .getAppender("STDERR");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) stderr.getEncoder();
        ch.qos.logback.classic.Logger logger = context.getLogger("io.logalert.X");
        LoggingEvent plain = new LoggingEvent("x", logger, Level.INFO, "plain message", null, null);
        LoggingEvent failed = new LoggingEvent("x", logger, Level.WARN, "run failed",
                new IllegalStateException("boom", new RuntimeException("the cause")), null);

        String plainLine = new String(encoder.encode(plain), StandardCharsets.UTF_8);
        String failedLine = new String(encoder.encode(failed), StandardCharsets.UTF_8);

        assertThat(plainLine).endsWith("INFO  [main] X: plain message\n").containsOnlyOnce("\n");
        assertThat(failedLine).containsOnlyOnce("\n").contains("X: run failed | java.lang.IllegalStateException: "
                + "boom | at ", "Caused by: java.lang.RuntimeException: the cause");
        context.stop();
    }
}
