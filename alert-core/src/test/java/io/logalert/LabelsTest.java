package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logalert.spi.ConfigException;
import io.logalert.spi.ConfigValidator;
import io.logalert.spi.PluginConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void tagsUsersWriteChooseTheirLabels() {
        assertThat(Labels.forTag("en")).contains(Labels.ENGLISH);
        assertThat(Labels.forTag("en-GB")).contains(Labels.ENGLISH);
        assertThat(Labels.forTag("zh-CN")).contains(Labels.SIMPLIFIED_CHINESE);
        assertThat(Labels.forTag("zh_CN")).contains(Labels.SIMPLIFIED_CHINESE);
        assertThat(Labels.forTag("zh-Hans")).contains(Labels.SIMPLIFIED_CHINESE);
        assertThat(Labels.forTag(" zh ")).contains(Labels.SIMPLIFIED_CHINESE);
        // Traditional Chinese readers would get the wrong script; refusing says so instead
        assertThat(Labels.forTag("zh-TW")).isEmpty();
        assertThat(Labels.forTag("zh-Hant")).isEmpty();
        assertThat(Labels.forTag("fr")).isEmpty();
        assertThat(Labels.forTag("")).isEmpty();
        assertThat(Labels.of(Locale.US)).isSameAs(Labels.ENGLISH);
        assertThat(Labels.of(Locale.CHINA)).isSameAs(Labels.SIMPLIFIED_CHINESE);
    }

    @Test
    void everySupportedTagNamesLabels() {
        assertThat(Labels.SUPPORTED).allSatisfy(tag -> assertThat(Labels.forTag(tag)).isPresent());
    }

    @Test
    void theLocaleKeyDefaultsToEnglishAndAWrongValueListsTheAllowedOnes() {
        ConfigValidator unset = PluginConfig.of(Map.of()).validator("test");
        assertThat(Labels.read(unset, "locale")).isSameAs(Labels.ENGLISH);
        unset.validate();

        ConfigValidator chinese = PluginConfig.of(Map.of("locale", "zh-CN")).validator("test");
        assertThat(Labels.read(chinese, "locale")).isSameAs(Labels.SIMPLIFIED_CHINESE);

        ConfigValidator wrong = PluginConfig.of(Map.of("locale", "de-DE")).validator("test");
        Labels.read(wrong, "locale");
        ConfigException e = catchThrowableOfType(ConfigException.class, wrong::validate);
        assertThat(e.problems()).containsExactly("'locale' must be one of en, zh-CN, was 'de-DE'");
    }

    @Test
    void numbersHaveGroupingSeparatorsAndEnglishCountsAgree() {
        assertThat(Labels.ENGLISH.totals(13_604, 3)).isEqualTo("13,604 errors in 3 groups");
        assertThat(Labels.ENGLISH.totals(1, 1)).isEqualTo("1 error in 1 group");
        assertThat(Labels.ENGLISH.moreGroups(1, 1)).isEqualTo("+1 more group (1 error)");
        assertThat(Labels.SIMPLIFIED_CHINESE.totals(1_234_567, 12)).isEqualTo("1,234,567 个错误，分 12 类");
        assertThat(Labels.ENGLISH.heldBySilences(2_000, 3)).isEqualTo("2,000 held by 3 silences");
        assertThat(Labels.SIMPLIFIED_CHINESE.heldBySilences(2_000, 1)).isEqualTo("2,000 个被静默规则屏蔽");
    }

    @Test
    void manyProjectsAreNamedUpToThree() {
        List<String> five = List.of("a", "b", "c", "d", "e");

        assertThat(Labels.ENGLISH.projects(five).plain()).isEqualTo("a, b, c +2 more");
        assertThat(Labels.SIMPLIFIED_CHINESE.projects(five).plain()).isEqualTo("a、b、c 等 5 个项目");
        assertThat(Labels.ENGLISH.projects(List.of("a", Digest.ALL_PROJECTS)).plain()).isEqualTo("a, (all projects)");
    }
}
