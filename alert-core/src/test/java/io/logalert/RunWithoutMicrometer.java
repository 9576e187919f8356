package io.logalert;

import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.RecordingAlertSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What an application without Micrometer does with the core: builds a pipeline, listens to it, runs it and asks its
 * health. {@link CoreWithoutMicrometerTest} runs it in a class loader that cannot see Micrometer.
 */
final class RunWithoutMicrometer implements Callable<String> {

    @Override
    public String call() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            return "Micrometer is visible: the test proves nothing";
        } catch (ClassNotFoundException expected) {
            // as in an application without it
        }
        InMemoryLogSource source = new InMemoryLogSource();
        source.add(LogEvent.builder().timestamp(Instant.now().minusSeconds(60)).project("checkout")
                .message("order 8812 failed").build());
        RecordingAlertSink sink = new RecordingAlertSink("robot");
        List<RunReport> heard = new ArrayList<>();
        try (AlertPipeline pipeline = AlertPipeline.builder().id("plain").source(source).addSink(sink).build()) {
            pipeline.addListener(heard::add);
            RunReport report = pipeline.runOnce();
            return report.eventsRead() + " read, " + sink.delivered().size() + " delivered, " + heard.size()
                    + " heard, " + pipeline.health().status();
        }
    }
}
