package io.logalert.spi;

import java.util.List;

/**
 * A configuration is wrong. Carries every problem found at once, each naming the key, what was wrong and what is
 * allowed. Never carries a secret's value.
 */
public class ConfigException extends IllegalArgumentException {

    private final transient List<String> problems;

    /** {@code subject} (a plug-in type, a pipeline) is configured wrongly in each of {@code problems}. */
    public ConfigException(String subject, List<String> problems) {
        super(message(subject, problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String subject, List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        StringBuilder text = new StringBuilder("invalid configuration of ").append(subject).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
