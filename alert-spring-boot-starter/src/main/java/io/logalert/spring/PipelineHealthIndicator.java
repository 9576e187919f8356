package io.logalert.spring;

import io.logalert.AlertPipeline;
import io.logalert.PipelineHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A pipeline's {@link AlertPipeline#health()} as Spring Boot's health: UP, DOWN (its source failed the last run, its
 * state could not be saved, or its checkpoint lags too far) or UNKNOWN (no run yet), with the reason, the last run,
 * the checkpoint and its lag as details.
 */
public final class PipelineHealthIndicator implements HealthIndicator {

    private final AlertPipeline pipeline;

    /** The health of {@code pipeline}. */
    public PipelineHealthIndicator(AlertPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Health health() {
        PipelineHealth health = pipeline.health();
        Status status = switch (health.status()) {
            case UP -> Status.UP;
            case DOWN -> Status.DOWN;
            case UNKNOWN -> Status.UNKNOWN;
        };
        Health.Builder builder = Health.status(status).withDetail("reason", health.reason());
        health.lastRun().ifPresent(at -> builder.withDetail("lastRun", at.toString()));
        health.checkpoint().ifPresent(at -> builder.withDetail("checkpoint", at.toString()));
        health.lag().ifPresent(lag -> builder.withDetail("lag", lag.toString()));
        return builder.build();
    }
}
