package io.logalert.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

class LogalertConfigFailureAnalyzerTest {

    @Test
    void aFailedStartIsDescribedByItsProblems() {
        LogalertConfigException problems = new LogalertConfigException(List.of(
                "logalert.pipelines[0].interval (application.yml - 4:17): `…` (2 characters) is not a duration"));
        BeanCreationException failure = new BeanCreationException("logalertPipelines", "factory method threw",
                problems);

        FailureAnalysis analysis = new LogalertConfigFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).isEqualTo("the logalert configuration has 1 problem:\n"
                + "  logalert.pipelines[0].interval (application.yml - 4:17): `…` (2 characters) is not a duration");
        assertThat(analysis.getAction()).contains("logalert.enabled=false");
    }

    @Test
    void springBootFindsTheAnalyzer() {
        // Spring Boot's own analyzers take constructor arguments the loader here does not have: they are skipped
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { })))
                .hasAtLeastOneElementOfType(LogalertConfigFailureAnalyzer.class);
    }
}
