package io.logalert.config;

import java.util.Optional;
import java.util.Set;

/**
 * The application's own objects that a configuration names instead of creating a plug-in: a section
 * {@code {bean: opsSink}} in place of {@code {type: dingtalk, …}} takes the object named {@code opsSink}. The Spring
 * Boot starter looks them up in the application context; the runner has none ({@link #NONE}). The assembly neither
 * starts nor closes them: their owner does.
 */
public interface Beans {

    /** No objects: every {@code bean} is a problem that says so. */
    Beans NONE = new Beans() {
        @Override
        public Optional<Object> find(String name) {
            return Optional.empty();
        }

        @Override
        public Set<String> names(Class<?> type) {
            return Set.of();
        }

        @Override
        public String unavailable() {
            return "`bean` names an object of the application that embeds logalert (a bean of the Spring Boot "
                    + "starter's application context); here plug-ins are created by `type`";
        }
    };

    /** The object named {@code name}, if there is one. */
    Optional<Object> find(String name);

    /** The names of the objects that are a {@code type}, for the message that lists them. */
    Set<String> names(Class<?> type);

    /** Why no object can be named here at all, or empty when objects can be. */
    default String unavailable() {
        return "";
    }
}
