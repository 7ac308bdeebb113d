using System.Text;

namespace Cairn.Platform.Tests;

public sealed class GoQuoteTests
{
    [Theory]
    [InlineData("plain name.txt", "plain name.txt")]
    [InlineData("new\nline", "new\\nline")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("q\"uote", "q\\\"uote")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("\a\b\f\r\v", "\\a\\b\\f\\r\\v")]
    [InlineData("\u0001\u001f\u007f", "\\x01\\x1f\\x7f")]
    [InlineData("Grüße ☃ 日本 😀", "Grüße ☃ 日本 😀")]
    [InlineData("nbsp\u00a0soft\u00adhyphen", "nbsp\\u00a0soft\\u00adhyphen")]
    [InlineData("nel\u0085", "nel\\u0085")]
    [InlineData("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff")]
    [InlineData("ideographic\u3000space", "ideographic\\u3000space")]
    [InlineData("private\ue000", "private\\ue000")]
    [InlineData("plane15\U000F0000", "plane15\\U000f0000")]
    [InlineData("e\u0301", "e\u0301")]
    [InlineData("replacement\ufffd", "replacement\ufffd")]
    public void Escape_quotes_like_Gos_strconv_Quote(string name, string escaped)
    {
        var raw = Encoding.UTF8.GetBytes(name);
        GoQuote.Escape(raw).Should().Be(escaped);
        GoQuote.Unescape(escaped).Should().Equal(raw);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_escaped_one_by_one()
    {
        GoQuote.Escape([.. "bad"u8, 0xff, 0xfe]).Should().Be("bad\\xff\\xfe");
        GoQuote.Escape([0xe2, 0x98, (byte)'A']).Should().Be("\\xe2\\x98A", "a truncated sequence is two bad bytes, then A");
        GoQuote.Escape([0xed, 0xa0, 0x80]).Should().Be("\\xed\\xa0\\x80", "an encoded surrogate is not UTF-8");
        GoQuote.Escape([0xc0, 0x80]).Should().Be("\\xc0\\x80", "an overlong NUL is not UTF-8");
        GoQuote.Unescape("bad\\xff\\xfe").Should().Equal([.. "bad"u8, 0xff, 0xfe]);
    }

    [Fact]
    public void Unescape_reads_every_form_strconv_Unquote_reads()
    {
        GoQuote.Unescape("\\101\\x42\\u0043\\U00000044\\377").Should().Equal([.. "ABCD"u8, 0xff]);
        GoQuote.Unescape("").Should().BeEmpty();
    }

    [Theory]
    [InlineData("raw\"quote")]
    [InlineData("raw\nnewline")]
    [InlineData("trailing\\")]
    [InlineData("\\q")]
    [InlineData("\\'")]
    [InlineData("\\x4")]
    [InlineData("\\xzz")]
    [InlineData("\\ud800")]
    [InlineData("\\U00110000")]
    [InlineData("\\400")]
    [InlineData("\\18")]
    public void Unescape_refuses_what_strconv_Unquote_refuses(string escaped)
    {
        GoQuote.TryUnescape(escaped, out _).Should().BeFalse();
        Assert.Throws<FormatException>(() => GoQuote.Unescape(escaped));
    }

    [Fact]
    public void Unescape_refuses_a_lone_surrogate()
    {
        GoQuote.TryUnescape("lone\ud800", out _).Should().BeFalse();
    }

    [Fact]
    public void Random_names_round_trip()
    {
        var random = new Random(5);
        for (int i = 0; i < 5_000; i++)
        {
            var raw = new byte[random.Next(1, 24)];
            random.NextBytes(raw);
            var escaped = GoQuote.Escape(raw);
            escaped.Should().NotContain("\n").And.NotContain("\0");
            GoQuote.Unescape(escaped).Should().Equal(raw);
        }
    }
}
