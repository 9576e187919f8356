package io.logalert.benchmarks;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a window really holds, computed from the generator rather than from Elasticsearch: events, events per
 * project, and every (project, message) group with its count, kept as sorted 64-bit keys so that a million groups
 * cost 16 MB. {@link #digest()} is an order-independent fingerprint of the whole multiset, which a reader compares
 * with the {@link Multiset} of what it counted.
 */
public final class Truth {

    /** Messages longer than this have no keyword value under a dynamic mapping ({@code ignore_above: 256}). */
    public static final int IGNORE_ABOVE = 256;

    private final long events;
    private final long keywordEvents;
    private final Map<String, Long> perProject;
    private final long digest;
    private final long keywordDigest;
    private final long[] keys;
    private final long[] counts;

    private Truth(long events, long keywordEvents, Map<String, Long> perProject, long digest, long keywordDigest,
            long[] keys, long[] counts) {
        this.events = events;
        this.keywordEvents = keywordEvents;
        this.perProject = perProject;
        this.digest = digest;
        this.keywordDigest = keywordDigest;
        this.keys = keys;
        this.counts = counts;
    }

    /** The truth of the generator's errors logged before {@code until}. */
    public static Truth of(MixGenerator generator, Instant until) {
        long[] all = new long[generator.errors()];
        int[] n = {0};
        Multiset digest = new Multiset();
        Multiset keywordDigest = new Multiset();
        Map<String, Long> perProject = new TreeMap<>();
        generator.errorDocs().forEach(doc -> {
            if (!doc.timestamp().isBefore(until)) {
                return;
            }
            long key = Multiset.key(doc.project(), doc.message());
            all[n[0]++] = key;
            digest.add(key, 1);
            if (doc.message().length() <= IGNORE_ABOVE) {
                keywordDigest.add(key, 1);
            }
            perProject.merge(doc.project(), 1L, Long::sum);
        });
        long[] sorted = Arrays.copyOf(all, n[0]);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        long[] keys = new long[distinct];
        long[] counts = new long[distinct];
        int g = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                keys[++g] = sorted[i];
            }
            counts[g]++;
        }
        return new Truth(digest.events(), keywordDigest.events(), Map.copyOf(perProject), digest.value(), keywordDigest.value(), keys,
                counts);
    }

    /** ERROR events in the window. */
    public long events() {
        return events;
    }

    /** Those whose message has a keyword value (at most 256 characters). */
    public long keywordEvents() {
        return keywordEvents;
    }

    /** Events per project. */
    public Map<String, Long> perProject() {
        return perProject;
    }

    /** Distinct (project, message) pairs. */
    public int groups() {
        return keys.length;
    }

    /** The {@link Multiset} value of all events. */
    public long digest() {
        return digest;
    }

    /** The {@link Multiset} value of the events with a keyword message. */
    public long keywordDigest() {
        return keywordDigest;
    }

    /** The true count of the (project, message) pair with {@code key}, 0 if none. */
    public long count(long key) {
        int index = Arrays.binarySearch(keys, key);
        return index < 0 ? 0 : counts[index];
    }

    /** An order-independent fingerprint of a multiset of (project, message) pairs. Not thread-safe. */
    public static final class Multiset {
        private long value;
        private long events;

        /** A 64-bit key of a (project, message) pair: FNV-1a over the characters, then a murmur3 finalizer. */
        public static long key(String project, String message) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < project.length(); i++) {
                h = (h ^ project.charAt(i)) * 0x100000001b3L;
            }
            h = (h ^ 0xffff) * 0x100000001b3L;
            for (int i = 0; i < message.length(); i++) {
                h = (h ^ message.charAt(i)) * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return h;
        }

        /** Adds {@code count} occurrences of {@code key}. */
        public void add(long key, long count) {
            value += key * count;
            events += count;
        }

        /** Adds {@code count} occurrences of (project, message). */
        public void add(String project, String message, long count) {
            add(key(project, message), count);
        }

        /** The fingerprint. */
        public long value() {
            return value;
        }

        /** Occurrences added. */
        public long events() {
            return events;
        }
    }
}
