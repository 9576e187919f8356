package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LookupKeyTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void equalTextsBuiltApartHaveEqualHashesAtEveryLength() {
        LookupKey.Hasher hasher = new LookupKey.Hasher();
        StringBuilder text = new StringBuilder();
        // lengths around the eight-byte steps and the 512-character chunks, and characters above U+00FF
        for (int length = 0; length < 1_100; length++) {
            String a = text.toString();
            String b = new String(a.toCharArray());
            assertThat(new LookupKey("p", a, b, false, hasher)).isEqualTo(new LookupKey("p", b, a, false, hasher))
                    .hasSameHashCodeAs(new LookupKey("p", b, a, false, hasher));
            text.append(length % 97 == 0 ? '\u00e9' : length % 89 == 0 ? '\u9519' : (char) ('a' + length % 26));
        }
    }

    @Test
    void textsThatDifferAnywhereAreTwoKeys() {
        LookupKey.Hasher hasher = new LookupKey.Hasher();
        String base = "x".repeat(700);
        Map<LookupKey, String> keys = new HashMap<>();
        // past the first chunk, in the tail after the last eight bytes, and by characters with the same low byte
        keys.put(new LookupKey("p", "", base, false, hasher), "base");
        keys.put(new LookupKey("p", "", base.substring(0, 650) + "y" + base.substring(651), false, hasher), "650");
        keys.put(new LookupKey("p", "", base + "y", false, hasher), "tail");
        keys.put(new LookupKey("p", "", "A", false, hasher), "A");
        keys.put(new LookupKey("p", "", "\u0141", false, hasher), "L-stroke");
        keys.put(new LookupKey("p", "A", "", false, hasher), "kind");
        keys.put(new LookupKey("p", "", "A", true, hasher), "fixed");

        assertThat(keys).hasSize(7);
        assertThat(keys.get(new LookupKey("p", "", "\u0141", false, hasher))).isEqualTo("L-stroke");
        assertThat(keys.get(new LookupKey("p", "", "A", false, hasher))).isEqualTo("A");
    }

    @Test
    void linesThatDifferByOneWordSpreadOverHashes() {
        LookupKey.Hasher hasher = new LookupKey.Hasher();
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        // a word of a long masked line changes at one place: every place and length must count in the hash, or
        // such lines would share a bucket and every look-up walk them all
        for (int i = 0; i < 10_000; i++) {
            String word = Integer.toString(i, 36);
            String line = "Failed to reserve stock <*> for order <*> after " + word + " retries "
                    + "x".repeat(i % 600) + " ¶ java.lang.IllegalStateException " + word;
            hashes.add(new LookupKey("shop", "sig", line, false, hasher).hashCode());
        }
        assertThat(hashes.size()).isGreaterThan(9_990);
    }

    @Test
    void aGroupKeepsTheEarliestFirstAndLatestLastSeenDownToTheNanosecond() {
        GroupTable table = new GroupTable(true);
        Instant early = T0.plusNanos(5);
        table.add("p", "", "t", LogEvent.builder().timestamp(T0.plusNanos(7)).project("p").message("m").build());
        table.add("p", "", "t", LogEvent.builder().timestamp(early).project("p").message("m").build());
        table.add("p", "", "t", LogEvent.builder().timestamp(T0.plusNanos(6)).project("p").message("m").build());
        table.add("p", "", "t", LogEvent.builder().timestamp(T0.minusSeconds(1).plusNanos(999_999_999)).project("p")
                .message("m").lastTimestamp(T0.plusSeconds(1)).build());

        ErrorGroup group = table.groups().get(0);
        assertThat(group.count()).isEqualTo(4);
        assertThat(group.firstSeen()).isEqualTo(T0.minusNanos(1));
        assertThat(group.lastSeen()).isEqualTo(T0.plusSeconds(1));
    }
}
