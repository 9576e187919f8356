package io.logalert.spring;

import io.logalert.AlertPipeline;
import io.logalert.RunReport;
import io.logalert.config.Assembly;
import io.logalert.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The pipelines of the {@code logalert.*} properties, as one bean: built and checked when the context starts (every
 * problem at once, as a {@link LogalertConfigException}), started with it, and closed with it — a run in progress
 * finishes and its state is saved. Each pipeline is also a bean of its own, named by its id.
 *
 * <p>A stopped context closes the pipelines: they cannot be started again. Thread-safe.
 */
public final class LogalertPipelines implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogalertPipelines.class);

    private final Assembly assembly;
    private final boolean autoStartup;
    private volatile boolean running;

    private LogalertPipelines(Assembly assembly, boolean autoStartup) {
        this.assembly = assembly;
        this.autoStartup = autoStartup;
    }

    /**
     * Builds the pipelines of {@code loaded}; {@code otherProblems} are the starter's own, reported with the rest.
     *
     * @throws LogalertConfigException when anything is wrong; what was created is closed
     */
    static LogalertPipelines of(ConfigLoader.Loaded loaded, List<String> otherProblems, Assembly.Options options,
            boolean autoStartup) {
        Assembly assembly = Assembly.of(loaded, options);
        if (!loaded.problems().isEmpty() || !otherProblems.isEmpty()) {
            assembly.close();
            List<String> lines = new ArrayList<>(loaded.problemLines());
            lines.addAll(otherProblems);
            throw new LogalertConfigException(lines);
        }
        return new LogalertPipelines(assembly, autoStartup);
    }

    /** The pipelines, in the order of the configuration. */
    public List<AlertPipeline> pipelines() {
        return assembly.pipelines().stream().map(Assembly.Built::pipeline).toList();
    }

    /** The pipeline {@code id}, if configured. */
    public Optional<AlertPipeline> pipeline(String id) {
        return assembly.pipeline(id).map(Assembly.Built::pipeline);
    }

    /** Starts every pipeline: each runs at once when behind, then every interval. */
    @Override
    public void start() {
        for (AlertPipeline pipeline : pipelines()) {
            pipeline.start();
        }
        running = true;
        log.info("logalert started {}", pipelines().stream().map(AlertPipeline::id).toList());
    }

    /** Closes every pipeline, each letting its run in progress finish, then the plug-ins they were built with. */
    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether the context starts the pipelines ({@code logalert.auto-startup}, default true). */
    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** Idempotent. */
    @Override
    public void close() {
        running = false;
        assembly.close();
    }

    /** One log line per run: INFO when clean, WARN when something was not read or not delivered. */
    static void log(RunReport report) {
        if (report.isClean()) {
            log.info("{}", report);
        } else {
            log.warn("{}", report);
        }
    }
}
