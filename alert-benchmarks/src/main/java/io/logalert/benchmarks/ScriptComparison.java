package io.logalert.benchmarks;

import java.util.Map;

/**
 * How far the original script's counts are off: it reads one search of {@code size: 10000} and counts identical
 * messages per project, so it sees at most 10,000 events of the window.
 *
 * @param truthEvents       ERROR events in the window
 * @param countedEvents     events the script counted
 * @param missedEvents      events it never saw
 * @param truthGroups       distinct (project, message) pairs in the window
 * @param seenGroups        pairs it saw
 * @param missedGroups      pairs it never saw
 * @param undercountGroups  pairs it saw with a count below the true one
 * @param exactGroups       pairs it counted exactly
 */
public record ScriptComparison(long truthEvents, long countedEvents, long missedEvents, long truthGroups,
        long seenGroups, long missedGroups, long undercountGroups, long exactGroups) {

    /** Compares the script's counts, by {@link Truth.Multiset#key} of (project, message), with the truth. */
    public static ScriptComparison of(Map<Long, Long> scriptCounts, Truth truth) {
        long counted = 0;
        long under = 0;
        long exact = 0;
        long seen = 0;
        for (Map.Entry<Long, Long> entry : scriptCounts.entrySet()) {
            long real = truth.count(entry.getKey());
            counted += entry.getValue();
            if (real == 0) {
                continue; // not a group of the window at all: the script read something it should not have
            }
            seen++;
            if (entry.getValue() < real) {
                under++;
            } else if (entry.getValue() == real) {
                exact++;
            }
        }
        return new ScriptComparison(truth.events(), counted, truth.events() - counted, truth.groups(), seen,
                truth.groups() - seen, under, exact);
    }

    /** Whether every event was counted under its own group with its true count. */
    public boolean exact() {
        return missedEvents == 0 && missedGroups == 0 && undercountGroups == 0 && exactGroups == truthGroups;
    }

    /** Share of the window's events it missed, in percent. */
    public double missedPercent() {
        return truthEvents == 0 ? 0 : 100.0 * missedEvents / truthEvents;
    }
}
