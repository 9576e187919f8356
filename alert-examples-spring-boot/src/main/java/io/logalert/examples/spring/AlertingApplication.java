package io.logalert.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that alerts: the starter on the class path and five lines under {@code logalert} in
 * {@code application.yml}. The pipeline starts with the application, and the actuator shows its health at
 * {@code /actuator/health/logalert} and its meters at {@code /actuator/metrics/logalert.runs} and the like.
 *
 * <pre>
 * ES_HOSTS=http://localhost:9200 DINGTALK_TOKEN=… java -jar alert-examples-spring-boot.jar
 * </pre>
 */
@SpringBootApplication
public class AlertingApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(AlertingApplication.class, args);
    }
}
