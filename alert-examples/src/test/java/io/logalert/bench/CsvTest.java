package io.logalert.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static List<List<String>> read(String text) throws IOException {
        return Csv.read(new BufferedReader(new StringReader(text)));
    }

    @Test
    void readsQuotedFieldsWithCommasDoubledQuotesAndLineBreaks() throws IOException {
        assertThat(read("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\r\n"))
                .containsExactly(List.of("a", "b", "c"), List.of("1", "x, y", "say \"hi\""),
                        List.of("2", "two\nlines", ""));
    }

    @Test
    void readsALastRecordWithoutLineBreakAndEmptyFields() throws IOException {
        assertThat(read("a,,\"\"")).containsExactly(List.of("a", "", ""));
    }

    @Test
    void rejectsAnUnclosedQuote() {
        assertThatThrownBy(() -> read("a,\"b\n")).isInstanceOf(IOException.class).hasMessageContaining("quoted");
    }

    @Test
    void quotesOnlyFieldsThatNeedIt() {
        assertThat(Csv.field("plain")).isEqualTo("plain");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }
}
