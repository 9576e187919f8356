package io.logalert.sink.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logalert.spi.AlertSink;
import io.logalert.spi.AlertSinkProvider;
import io.logalert.spi.ConfigException;
import io.logalert.spi.PluginConfig;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DingTalkSinkProviderTest {

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(AlertSinkProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("dingtalk")).toList())
                .singleElement().isInstanceOf(DingTalkSinkProvider.class);
    }

    @Test
    void createsAWorkingSinkFromConfiguration() {
        try (DingTalkEmulator robot = DingTalkEmulator.builder().secret("SECabc").keywords("alert").start()) {
            AlertSink sink = new DingTalkSinkProvider().create(PluginConfig.of(Map.of(
                    "webhook", robot.url(), "secret", "SECabc", "keywords", "alert, 告警",
                    "message-type", "text", "time-zone", "Asia/Shanghai", "at-mobiles", "13800138000",
                    "request-timeout", "5s", "max-attempts", "2")));

            assertThat(sink.deliver(List.of(Digests.of("shop", 2)))).singleElement()
                    .satisfies(r -> assertThat(r.isDelivered()).isTrue());
            assertThat(robot.accepted()).singleElement().satisfies(m -> {
                assertThat(m.msgtype()).isEqualTo("text");
                assertThat(m.text()).contains("(+08:00)");
            });
        }
    }

    @Test
    void aUserNameAndPasswordInTheUrlAreRefusedWithoutShowingThem() {
        ConfigException inWebhook = catchThrowableOfType(ConfigException.class, () -> new DingTalkSinkProvider()
                .create(PluginConfig.of(Map.of(
                        "webhook", "https://ops:hunter2@gateway.example/robot/send?access_token=t"))));
        ConfigException inBaseUrl = catchThrowableOfType(ConfigException.class, () -> new DingTalkSinkProvider()
                .create(PluginConfig.of(Map.of("access-token", "t", "base-url", "https://ops:hunter2@gateway.example"))));

        assertThat(inWebhook).hasMessageContaining("'webhook' must not hold a user name or password")
                .hasMessageNotContaining("hunter2");
        assertThat(inBaseUrl).hasMessageContaining("'base-url' must not hold a user name or password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aBaseUrlThatIsNoUsableUrlIsRefusedWithoutShowingAPasswordInIt() {
        // an authority that is not a host name hides its user info; a space makes the URL unparsable
        for (String url : List.of("https://ops:hunter2@gate_way.example", "https://ops:hunter 2@gateway.example")) {
            ConfigException refused = catchThrowableOfType(ConfigException.class, () -> new DingTalkSinkProvider()
                    .create(PluginConfig.of(Map.of("access-token", "t", "base-url", url))));
            assertThat(refused).hasMessageContaining("'base-url' must be").hasMessageNotContaining("hunter");
        }
        DingTalkSink.Builder builder = DingTalkSink.builder().baseUrl(URI.create("https://ops:hunter2@gate_way.x"));
        assertThat(builder.toString()).doesNotContain("hunter2");
    }

    @Test
    void aConfiguredNameStaysWhenTheTokenChangesWhileTheDefaultNameFollowsTheRobot() {
        DingTalkSinkProvider provider = new DingTalkSinkProvider();
        AlertSink before = provider.create(PluginConfig.of(Map.of("access-token", "old-token", "name", "ops-robot")));
        AlertSink after = provider.create(PluginConfig.of(Map.of("access-token", "new-token", "name", "ops-robot")));
        AlertSink unnamedBefore = provider.create(PluginConfig.of(Map.of("access-token", "old-token")));
        AlertSink unnamedAfter = provider.create(PluginConfig.of(Map.of("access-token", "new-token")));

        assertThat(before.name()).isEqualTo("ops-robot").isEqualTo(after.name());
        assertThat(unnamedBefore.name()).startsWith("dingtalk[").isNotEqualTo(unnamedAfter.name())
                .doesNotContain("old-token");
    }

    @Test
    void reportsEveryProblemAtOnceWithoutEchoingSecrets() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new DingTalkSinkProvider()
                .create(PluginConfig.of(Map.of(
                        "webhook", "https://oapi.dingtalk.com/robot/send?access_token=topsecret-token",
                        "access-token", "topsecret-token",
                        "secret", "not-a-sec-secret",
                        "message-type", "card",
                        "time-zone", "Mars/Olympus",
                        "messages-per-minute", "25",
                        "title", "{project} {oops}",
                        "proxy", "nohost",
                        "retry-backof", "1s"))));

        assertThat(e.problems()).hasSize(8);
        assertThat(e.getMessage()).contains("'webhook' or 'access-token', not both", "starts with SEC",
                "'message-type'", "'time-zone'", "'messages-per-minute' must be from 1 to 20", "{oops}", "'proxy'",
                "unknown key 'retry-backof'")
                .doesNotContain("topsecret-token", "not-a-sec-secret");
    }

    @Test
    void actionCardNeedsALinkAndNoMentions() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new DingTalkSinkProvider()
                .create(PluginConfig.of(Map.of("access-token", "t", "message-type", "actionCard", "at-all", "true"))));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("needs 'action-url'"))
                .anySatisfy(p -> assertThat(p).contains("not actionCard"));
    }

    @Test
    void aMissingRobotIsReported() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new DingTalkSinkProvider().create(PluginConfig.empty()));

        assertThat(e.problems()).singleElement().asString().contains("'webhook' or 'access-token' is required");
    }

    @Test
    void localeZhCnSendsChineseLabelsToTheRobot() {
        try (DingTalkEmulator robot = DingTalkEmulator.builder().keywords("告警").start()) {
            AlertSink sink = new DingTalkSinkProvider().create(PluginConfig.of(Map.of(
                    "webhook", robot.url(), "keywords", "告警", "locale", "zh-CN", "time-zone", "Asia/Shanghai",
                    "action-url", "https://kibana.example/?q={project}")));

            assertThat(sink.deliver(List.of(Digests.of("shop", 2)))).singleElement()
                    .satisfies(r -> assertThat(r.isDelivered()).isTrue());
            assertThat(robot.accepted()).singleElement().satisfies(m -> {
                assertThat(m.title()).isEqualTo("告警 shop：1,999 个错误");
                assertThat(m.text()).contains("**时间窗口** 2026-03-01 18:00:00 – 18:02:00 (+08:00)",
                        "**合计** 1,999 个错误，分 2 类", "[查看日志](https://kibana.example/?q=shop)",
                        "示例：failure shop/g0", "出现于 18:00:00 – 18:00:30 · 线程 worker-0")
                        .doesNotContain("Window", "Total", "Open logs", "e.g.", "seen", "thread");
            });
        }
    }

    @Test
    void anUnknownLocaleIsRefusedWithTheAllowedValues() {
        ConfigException fromConfig = catchThrowableOfType(ConfigException.class, () -> new DingTalkSinkProvider()
                .create(PluginConfig.of(Map.of("access-token", "t", "locale", "zh-TW"))));
        ConfigException fromBuilder = catchThrowableOfType(ConfigException.class, () -> DingTalkSink.builder()
                .accessToken("t").locale(Locale.FRENCH).build());

        assertThat(fromConfig.problems()).containsExactly("'locale' must be one of en, zh-CN, was 'zh-TW'");
        assertThat(fromBuilder.problems()).containsExactly("'locale' must be one of en, zh-CN, was 'fr'");
    }
}
