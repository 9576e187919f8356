package io.logalert.aggregate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A key of three strings and a flag, looked up without joining them, so that counting a record of a known group
 * allocates and copies nothing but this object. Written out rather than a record: a record's {@code hashCode} and
 * {@code equals} go through method handles, which showed up in the profile of every record counted, and this one
 * compares the hash before the strings.
 */
final class LookupKey {

    private final String project;
    private final String kind;
    private final String text;
    private final boolean fixed;
    private final int hash;

    /** A key hashed by {@link String#hashCode()}, which a string keeps: for texts looked up again as the same object. */
    LookupKey(String project, String kind, String text, boolean fixed) {
        this(project, kind, text, fixed, 31 * (31 * project.hashCode() + kind.hashCode()) + text.hashCode());
    }

    /** A key whose kind and text are hashed by {@code hasher}: for texts made anew for every record. */
    LookupKey(String project, String kind, String text, boolean fixed, Hasher hasher) {
        this(project, kind, text, fixed, 31 * (31 * project.hashCode() + hasher.hash(kind)) + hasher.hash(text));
    }

    private LookupKey(String project, String kind, String text, boolean fixed, int hash) {
        this.project = project;
        this.kind = kind;
        this.text = text;
        this.fixed = fixed;
        this.hash = hash * 2 + (fixed ? 1 : 0);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LookupKey key && hash == key.hash && fixed == key.fixed && text.equals(key.text)
                && kind.equals(key.kind) && project.equals(key.project);
    }

    /**
     * Hashes the text of a key eight characters at a time. The texts are new strings for every record (a masked line,
     * a stack signature), so {@link String#hashCode()} finds no cached hash and runs its loop, whose every step waits
     * for the one before: at 100 to 300 characters a record it was the largest single cost of counting a record of a
     * known line. Reading eight bytes at once is about four times faster. The hash is a function of the characters
     * only (a character above U+00FF counts by its low byte, which only makes such keys collide more, never differ when
     * equal); {@link #equals} still compares the strings. Not thread-safe: one per aggregation, which reads one record
     * at a time.
     */
    static final class Hasher {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
        /** Characters copied at a time; a whole message of any length is hashed through this one buffer. */
        private static final int CHUNK = 512;

        private final byte[] bytes = new byte[CHUNK];

        @SuppressWarnings("deprecation") // the low byte of each character, copied without a coder check per character
        int hash(String text) {
            int length = text.length();
            long h = length;
            for (int chunk = 0; chunk < length; chunk += CHUNK) {
                int n = Math.min(CHUNK, length - chunk);
                text.getBytes(chunk, chunk + n, bytes, 0);
                int i = 0;
                for (; i + Long.BYTES <= n; i += Long.BYTES) {
                    h = Long.rotateLeft(h ^ (long) LONGS.get(bytes, i), 23) * MULTIPLIER;
                }
                if (i < n) {
                    long tail = 0;
                    for (; i < n; i++) {
                        tail = tail << 8 | (bytes[i] & 0xff);
                    }
                    h = Long.rotateLeft(h ^ tail, 23) * MULTIPLIER;
                }
            }
            h ^= h >>> 29;
            return (int) (h ^ (h >>> 32));
        }
    }
}
