package io.logalert.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.LogGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MixGeneratorTest {

    private static final Instant FROM = Instant.parse("2025-01-06T10:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(FROM, FROM.plus(Duration.ofHours(1)));

    @Test
    void slicesAreTheSameRecordsAsTheWhole() {
        MixGenerator generator = new MixGenerator(42, MixGenerator.Mix.IDS, 25_000, 0, WINDOW);
        List<LogGenerator.Log> whole = generator.errorDocs().toList();
        List<LogGenerator.Log> parts = Stream.of(generator.errorDocs(0, 3), generator.errorDocs(1, 3),
                generator.errorDocs(2, 3)).flatMap(s -> s).toList();
        assertThat(parts).isEqualTo(whole);
        assertThat(new MixGenerator(42, MixGenerator.Mix.IDS, 25_000, 0, WINDOW).errorDocs().toList())
                .isEqualTo(whole);
    }

    @Test
    void verbatimRepeatsAboutOneMessagePerKindAndIdsAreNearlyAllDistinct() {
        int errors = 200_000;
        MixGenerator verbatim = new MixGenerator(42, MixGenerator.Mix.VERBATIM, errors, 0, WINDOW);
        Set<String> distinct = new HashSet<>();
        Set<String> projects = new HashSet<>();
        verbatim.errorDocs().forEach(doc -> {
            distinct.add(doc.project() + "\n" + doc.message());
            projects.add(doc.project());
            assertThat(WINDOW.contains(doc.timestamp())).isTrue();
        });
        assertThat(distinct).hasSizeBetween(4_500, MixGenerator.KINDS);
        assertThat(projects).hasSize(MixGenerator.PROJECTS);

        MixGenerator ids = new MixGenerator(42, MixGenerator.Mix.IDS, errors, 0, WINDOW);
        assertThat(ids.errorDocs().map(doc -> doc.project() + "\n" + doc.message()).distinct().count())
                .isGreaterThan(errors * 9L / 10);
    }

    @Test
    void noiseIsNeverAnErrorInsideTheWindow() {
        MixGenerator generator = new MixGenerator(42, MixGenerator.Mix.IDS, 0, 10_000, WINDOW);
        long errorsOutside = generator.noiseDocs().filter(doc -> {
            assertThat(doc.level().equals("ERROR") && WINDOW.contains(doc.timestamp())).isFalse();
            return doc.level().equals("ERROR");
        }).count();
        assertThat(errorsOutside).isEqualTo(1_000);
    }

    @Test
    void truthCountsEveryPairOfTheWindow() {
        MixGenerator generator = new MixGenerator(42, MixGenerator.Mix.VERBATIM, 30_000, 0, WINDOW);
        Truth truth = Truth.of(generator, WINDOW.to());
        Truth.Multiset all = new Truth.Multiset();
        generator.errorDocs().forEach(doc -> all.add(doc.project(), doc.message(), 1));
        assertThat(truth.events()).isEqualTo(30_000);
        assertThat(truth.digest()).isEqualTo(all.value());
        assertThat(truth.perProject().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30_000);
        Truth half = Truth.of(generator, FROM.plus(Duration.ofMinutes(30)));
        assertThat(half.events()).isEqualTo(15_000);
    }
}
