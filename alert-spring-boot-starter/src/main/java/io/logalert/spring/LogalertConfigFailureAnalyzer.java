package io.logalert.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a start that failed on the {@code logalert.*} properties as Spring Boot prints a failed start: every problem
 * under "Description", what to do under "Action", instead of a stack trace through the bean factory.
 */
final class LogalertConfigFailureAnalyzer extends AbstractFailureAnalyzer<LogalertConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LogalertConfigException cause) {
        return new FailureAnalysis(cause.getMessage(), "Correct the logalert.* properties above (each line names "
                + "the property and where it was set), or set logalert.enabled=false to start without logalert.",
                cause);
    }
}
