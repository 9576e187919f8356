package io.logalert.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?": the known name nearest to a misspelt one, by edit distance. */
public final class Suggest {

    private Suggest() {
    }

    /**
     * The name of {@code known} nearest to {@code wrong}, when it is near enough to be a likely misspelling: at most
     * a third of the longer name's edits (at least 2, at most 3), and fewer edits than {@code wrong} has
     * characters, so that an unrelated key suggests nothing rather than something random.
     */
    public static Optional<String> nearest(String wrong, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = wrong.toLowerCase(Locale.ROOT);
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null || bestDistance == 0 && best.equals(wrong)) {
            return Optional.empty();
        }
        int allowed = Math.min(3, Math.max(2, Math.max(wrong.length(), best.length()) / 3));
        return bestDistance <= allowed && bestDistance < wrong.length() ? Optional.of(best) : Optional.empty();
    }

    /** " (did you mean `x`?)" or nothing. */
    public static String didYouMean(String wrong, Collection<String> known) {
        return nearest(wrong, known).map(s -> " (did you mean `" + s + "`?)").orElse("");
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit (Damerau's restricted form). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
