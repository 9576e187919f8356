package io.logalert.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageMaskerTest {

    private static String mask(String text) {
        return MessageMasker.mask(text, 0, text.length(), false);
    }

    @Test
    void masksNumbersSignedDecimalAndHex() {
        assertThat(mask("order 8812 failed")).isEqualTo("order <*> failed");
        assertThat(mask("balance -42 after 3.75 and 0x7fed3eb4d")).isEqualTo("balance <*> after <*> and <*>");
    }

    @Test
    void masksIdsGluedToWordsWhole() {
        assertThat(mask("user42 logged out")).isEqualTo(mask("user7 logged out")).isEqualTo("<*> logged out");
        assertThat(mask("block blk_-1608999687919862906 served")).isEqualTo("block <*> served");
    }

    @Test
    void masksVersionsDatesDurationsAndSizes() {
        assertThat(mask("upgraded to 1.2.3 on 2024-01-02T10:11:12Z in 250ms using 10GB"))
                .isEqualTo("upgraded to <*> on <*> in <*> using <*>");
    }

    @Test
    void masksIpv4AndIpv6AddressesWithPorts() {
        assertThat(mask("connect 10.0.0.1:8080 and [2001:db8::ff00:42]:443 and fe80::1"))
                .isEqualTo("connect <*> and [<*>]<*> and <*>");
    }

    @Test
    void masksUuidsEmailsUrlsAndPaths() {
        assertThat(mask("job 123e4567-e89b-12d3-a456-426614174000 mailed bob@example.com from "
                + "https://x.io/a?b=c reading /var/log/app.log"))
                .isEqualTo("job <*> mailed <*> from <*> reading <*>");
    }

    @Test
    void masksQuotedValuesButNotApostrophes() {
        assertThat(mask("unknown command 'stop now' from \"bob\"; don't retry"))
                .isEqualTo("unknown command '<*>' from \"<*>\"; don't retry");
    }

    @Test
    void masksValuesOfKeyValuePairsAndKeepsTheKeys() {
        assertThat(mask("uid=0 euid=1000 status=500")).isEqualTo("uid=<*> euid=<*> status=<*>");
    }

    @Test
    void masksCalendarWordsOfPrintedTimes() {
        assertThat(mask("connection at Sun Jul 10 03:55:15 2005")).isEqualTo("connection at <*> <*> <*> <*> <*>");
    }

    @Test
    void keepsWordsAndNonAsciiTextAndCollapsesWhiteSpace() {
        assertThat(mask("  Zahlung   fehlgeschlagen:\tKonto gesperrt "))
                .isEqualTo("Zahlung fehlgeschlagen: Konto gesperrt");
        assertThat(mask("支付失败 订单 12345 已取消")).isEqualTo("支付失败 订单 <*> 已取消");
    }

    @Test
    void keepsTheWordAroundAShortDigitRunWhenAskedTo() {
        String text = "Link up on awdl0 via t1.example.com, id 1a2b3c, quoted 'Active'";
        assertThat(MessageMasker.mask(text, 0, text.length(), true))
                .isEqualTo("Link up on awdl<*> via <*>, id <*>, quoted 'Active'");
    }

    @Test
    void masksOnlyTheRangeAsked() {
        String text = "first 1\nsecond 2";
        assertThat(MessageMasker.mask(text, 0, 7, false)).isEqualTo("first <*>");
    }

    @Test
    void masksAUrlTokenWholeEvenAfterPiecesOfItLookedLikeKeyValues() {
        assertThat(mask("GET (url=http://x.io/a?id=42), sent 7 to=bob@example.com; from=\"me\" ~/x.log 0xff"))
                .isEqualTo("GET (<*>), sent <*> to=bob@example.com; from=\"me\" <*> <*>");
    }

    @Test
    void keepsTheWordAroundASignedDigitRunOnlyWhenTheSignStandsAlone() {
        String text = "blk_-17 a-5 x+3 0x12 -4 IO80211Family id=wl0.";
        assertThat(MessageMasker.mask(text, 0, text.length(), true))
                .isEqualTo("blk_<*> <*> x+<*> <*> <*> IO<*>Family id=wl<*>.");
    }

    @Test
    void collapsesWhiteSpaceAtTheEdgesOfTheRangeAsked() {
        assertThat(MessageMasker.mask("  a  1 b \t c", 1, 8, false)).isEqualTo("a <*> b");
    }

    @Test
    void collapsesWhiteSpaceBetweenWordsThatNeedNoMasking() {
        // the words before and after the white space are all read as quiet: the rules for white space still apply
        assertThat(mask("quiet words  then\tmore words ")).isEqualTo("quiet words then more words");
        assertThat(mask("a b c  ")).isEqualTo("a b c");
    }

    @Test
    void masksACalendarWordAndAQuotedValueThatFollowQuietWords() {
        assertThat(mask("backup ran on Mon. and failed")).isEqualTo("backup ran on <*>. and failed");
        assertThat(mask("the job failed with 'disk full' again")).isEqualTo("the job failed with '<*>' again");
        assertThat(mask("a Monday in January")).isEqualTo("a Monday in January");
    }

    @Test
    void keepsQualifiedNamesAndSentenceEndsAndMasksTheirNumbers() {
        assertThat(mask("at com.example.OrderService.handle, then stopped.")).isEqualTo(
                "at com.example.OrderService.handle, then stopped.");
        assertThat(mask("retry #3 of u-42 failed!")).isEqualTo("retry <*> of <*> failed!");
    }

    @Test
    void masksOnlyTheFirstLineEvenWhenAQuoteOrSpacesRunAcrossTheBreak() {
        assertThat(MessageMasker.maskFirstLine("  failed 'a \n b' 42", false)).isEqualTo("failed 'a");
        assertThat(MessageMasker.maskFirstLine("failed 42  \r\nat x", false)).isEqualTo("failed <*>");
        assertThat(MessageMasker.maskFirstLine("\n\n  only line", false)).isEqualTo("only line");
    }

    @Test
    void masksIntoTheBuilderGivenAndReusesIt() {
        StringBuilder scratch = new StringBuilder("left over");
        assertThat(MessageMasker.maskFirstLine("order 8812 failed", false, scratch)).isEqualTo("order <*> failed");
        assertThat(MessageMasker.maskFirstLine("ok", false, scratch)).isEqualTo("ok");
        assertThat(MessageMasker.mask("x  lambda$run$0  ", 0, 17, false)).isEqualTo("x <*>");
    }
}
