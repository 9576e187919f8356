package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.AlertPipeline;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.Silence;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PipelineState;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.StateCodec;
import io.logalert.spi.StateStoreException;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State a pipeline cannot use, as its user sees it: a corrupt state file fails every run with a failure naming the
 * file, reads and sends nothing and keeps the file as it is (only {@code reset} starts over); a state directory
 * another process holds makes {@code build()} throw a {@link ConfigException} saying so. No node needed; the holder
 * is a child JVM.
 */
class StateFaultIT {

    private static final String ID = "checkout-errors";
    private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemoryLogSource source = new InMemoryLogSource();
    private final RecordingAlertSink sink = new RecordingAlertSink();

    @TempDir
    Path dir;

    private AlertPipeline.Builder pipeline() {
        return AlertPipeline.builder().id(ID).source(source).addSink(sink).clock(clock)
                .stateStore("file", PluginConfig.of(Map.of("path", dir.toString())));
    }

    /** Contents a state file may be found with, and what the failure must say of each. */
    static Stream<Arguments> unreadableStates() {
        String ofAnotherPipeline = new String(StateCodec.write(PipelineState.initial("billing-errors",
                NOW.minus(Duration.ofHours(1)))), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("a torn write",
                        "{\"version\":1,\"pipelineId\":\"checkout-errors\",\"checkpoint\":\"2026-0", "is not JSON"),
                Arguments.of("another schema version", "{\"version\":7,\"pipelineId\":\"checkout-errors\"}",
                        "schema version 7"),
                Arguments.of("missing fields", "{\"version\":1,\"pipelineId\":\"checkout-errors\"}",
                        "not a complete pipeline state"),
                Arguments.of("another pipeline's state", ofAnotherPipeline, "'billing-errors'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableStates")
    void aStateFileThatCannotBeReadFailsEveryRunNamingTheFileAndNeverStartsOver(String what, String content,
            String problem) throws IOException {
        Path file = dir.resolve(ID + ".json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        source.add(LogEvent.builder().timestamp(NOW.minus(Duration.ofMinutes(1))).project("checkout")
                .message("order 8812 failed").build());

        try (AlertPipeline pipeline = pipeline().build()) {
            for (int i = 0; i < 2; i++) {
                RunReport report = pipeline.runOnce();
                assertThat(report.failure()).as(what).hasValueSatisfying(f -> assertThat(f)
                        .contains(file.toString()).contains(problem));
                assertThat(report.isClean()).isFalse();
                assertThat(report.window()).isEmpty();
                clock.advance(Duration.ofMinutes(1));
            }
            // the state APIs refuse it too, rather than saving over it
            assertThatThrownBy(() -> pipeline.silences().add(new Silence("deploy", Silence.Scope.PROJECT,
                    "checkout", NOW, NOW.plus(Duration.ofHours(1)), "deploying", "alice")))
                    .isInstanceOf(StateStoreException.class).hasMessageContaining(file.toString());
        }
        assertThat(source.reads()).isZero();
        assertThat(sink.calls()).isEmpty();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("the file, untouched").isEqualTo(content);
    }

    @Test
    void resetIsTheWayToStartOverFromAStateFileThatCannotBeRead() throws IOException {
        Path file = dir.resolve(ID + ".json");
        Files.writeString(file, "{\"version\":1,\"pipelineId\":\"checkout-errors\",\"checkpoint\":\"2026-0",
                StandardCharsets.UTF_8);
        source.add(LogEvent.builder().timestamp(NOW.minus(Duration.ofMinutes(1))).project("checkout")
                .message("order 8812 failed").build());
        try (AlertPipeline pipeline = pipeline().build()) {
            assertThat(pipeline.runOnce().failure()).isPresent();

            pipeline.reset();

            RunReport report = pipeline.runOnce();
            assertThat(report.failure()).isEmpty();
            assertThat(report.eventsRead()).isEqualTo(1);
        }
    }

    @Test
    void aStateDirectoryHeldByAnotherProcessIsRefusedWhenThePipelineIsBuilt() throws Exception {
        Path log = Files.createTempFile("logalert-hold-", ".log");
        try (ChildJvm holder = ChildJvm.start(log, "hold", dir.toString())) {
            holder.await("HOLDING", Duration.ofSeconds(30));

            assertThatThrownBy(() -> pipeline().build()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use by another process (pid " + holder.pid() + ")");
            holder.kill();
        } finally {
            Files.deleteIfExists(log);
        }
        // the holder gone, the same configuration builds and runs
        try (AlertPipeline pipeline = pipeline().build()) {
            assertThat(pipeline.runOnce().failure()).isEmpty();
        }
    }

    @Test
    void aSecondPipelineOverADirectoryThisProcessHoldsIsRefusedWhenBuilt() {
        try (AlertPipeline first = pipeline().build()) {
            assertThatThrownBy(() -> pipeline().id("billing-errors").build()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use by another file state store of this process");
            assertThat(first.runOnce().failure()).as("the first pipeline, unharmed").isEmpty();
        }
    }
}
