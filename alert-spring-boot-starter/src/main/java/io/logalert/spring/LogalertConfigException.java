package io.logalert.spring;

import java.util.List;

/**
 * The {@code logalert.*} properties are wrong: every problem, each naming its property and where it was set. Thrown
 * while the application context starts, which then fails; nothing has been started.
 */
public final class LogalertConfigException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    LogalertConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each: {@code logalert.pipelines[0].interval (where): what is wrong}. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        return "the logalert configuration has " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + ":\n  " + String.join("\n  ", problems);
    }
}
