package io.logalert.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:-default}} in a configuration value, as a shell does: the default is
 * used when the variable is unset or empty; {@code $${} writes a literal {@code ${}. Names are letters, digits and
 * {@code _}, not starting with a digit.
 */
final class EnvVars {

    /**
     * The outcome of resolving one value.
     *
     * @param value    the value with every reference replaced (an unset one by nothing)
     * @param problems what could not be resolved: unset variables without a default, malformed references
     */
    record Resolved(String value, List<String> problems) {
    }

    private final Map<String, String> env;

    EnvVars(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    Resolved resolve(String text) {
        if (text.indexOf('$') < 0) {
            return new Resolved(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (c != '$' || !text.startsWith("${", i)) {
                out.append(c);
                i++;
                continue;
            }
            int end = text.indexOf('}', i + 2);
            if (end < 0) {
                problems.add("'${' without a closing '}': write ${NAME} or ${NAME:-default} (or $${ for a literal ${)");
                out.append(text, i, text.length());
                break;
            }
            String reference = text.substring(i + 2, end);
            int dash = reference.indexOf(":-");
            String name = dash < 0 ? reference : reference.substring(0, dash);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add("'${" + reference + "}' is not a variable reference: write ${NAME} or ${NAME:-default}, "
                        + "NAME being letters, digits and _");
            } else {
                String value = env.get(name);
                if (dash >= 0) {
                    out.append(value == null || value.isEmpty() ? reference.substring(dash + 2) : value);
                } else if (value == null) {
                    problems.add("environment variable " + name + " is not set; set it, or give a default: ${"
                            + name + ":-…}");
                } else {
                    out.append(value);
                }
            }
            i = end + 1;
        }
        return new Resolved(out.toString(), List.copyOf(problems));
    }
}
