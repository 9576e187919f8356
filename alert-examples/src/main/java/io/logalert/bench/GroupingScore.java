package io.logalert.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well a predicted grouping of lines matches the true one, as Loghub's benchmarks score log parsers.
 *
 * <p>A true group is correct when the predicted group holding its lines holds exactly those lines, none missing and
 * none extra. Grouping accuracy (GA) is the share of lines that sit in correct groups; FGA is the F1 score of
 * correct groups over predicted groups (precision) and over true groups (recall).
 *
 * @param lines           lines scored
 * @param trueGroups      distinct true groups
 * @param predictedGroups distinct predicted groups
 * @param correctGroups   true groups predicted exactly
 * @param correctLines    lines in correct groups
 */
public record GroupingScore(int lines, int trueGroups, int predictedGroups, int correctGroups, int correctLines) {

    /**
     * Scores {@code predicted} against {@code truth}, both giving one group label per line, in the same order.
     *
     * @throws IllegalArgumentException when the lists differ in size
     */
    public static GroupingScore of(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(
                    "truth has " + truth.size() + " lines but the prediction " + predicted.size());
        }
        Map<String, Integer> trueSize = new HashMap<>();
        Map<String, Integer> predictedSize = new HashMap<>();
        // the predicted group of each true group's lines, or null once they fall in two predicted groups
        Map<String, String> predictedOf = new HashMap<>();
        Set<String> split = new HashSet<>();
        for (int i = 0; i < truth.size(); i++) {
            String t = truth.get(i);
            String p = predicted.get(i);
            trueSize.merge(t, 1, Integer::sum);
            predictedSize.merge(p, 1, Integer::sum);
            String previous = predictedOf.putIfAbsent(t, p);
            if (previous != null && !previous.equals(p)) {
                split.add(t);
            }
        }
        int correctGroups = 0;
        int correctLines = 0;
        for (Map.Entry<String, Integer> group : trueSize.entrySet()) {
            String t = group.getKey();
            if (!split.contains(t) && predictedSize.get(predictedOf.get(t)).equals(group.getValue())) {
                correctGroups++;
                correctLines += group.getValue();
            }
        }
        return new GroupingScore(truth.size(), trueSize.size(), predictedSize.size(), correctGroups, correctLines);
    }

    /** Grouping accuracy: the share of lines in correctly predicted groups; 1 when there are no lines. */
    public double ga() {
        return lines == 0 ? 1.0 : (double) correctLines / lines;
    }

    /** Correct groups over predicted groups. */
    public double precision() {
        return predictedGroups == 0 ? 0.0 : (double) correctGroups / predictedGroups;
    }

    /** Correct groups over true groups. */
    public double recall() {
        return trueGroups == 0 ? 0.0 : (double) correctGroups / trueGroups;
    }

    /** The F1 score of {@link #precision()} and {@link #recall()}; 0 when both are 0. */
    public double fga() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }
}
