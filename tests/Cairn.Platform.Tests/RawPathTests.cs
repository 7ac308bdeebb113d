namespace Cairn.Platform.Tests;

public sealed class RawPathTests
{
    [Theory]
    [InlineData("/a/b", "/a", "b")]
    [InlineData("/a", "/", "a")]
    [InlineData("/", "/", "/")]
    [InlineData("a", ".", "a")]
    [InlineData("a/b/", "a", "b")]
    [InlineData("/a//b//", "/a", "b")]
    [InlineData("//", "//", "/")]
    public void Parent_and_FileName_work_like_dirname_and_basename(string path, string parent, string fileName)
    {
        var raw = RawPath.FromString(path);
        raw.Parent.ToString().Should().Be(parent);
        RawPath.Display(raw.FileName).Should().Be(fileName);
        Shell.RunText($"dirname -- {Shell.Quote(raw)}").TrimEnd('\n').Should().Be(parent == "//" ? "/" : parent);
    }

    [Fact]
    public void Join_adds_exactly_one_slash()
    {
        RawPath.FromString("/a").Join("b"u8).ToString().Should().Be("/a/b");
        RawPath.FromString("/").Join("b"u8).ToString().Should().Be("/b");
        RawPath.FromString("a/").Join("b"u8).ToString().Should().Be("a/b");
        new RawPath([]).Join("b"u8).ToString().Should().Be("b");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\0b")]
    public void Join_refuses_anything_but_one_name(string name)
    {
        Assert.Throws<ArgumentException>(() => RawPath.FromString("/x").Join(System.Text.Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void A_NUL_byte_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _ = new RawPath([(byte)'a', 0]));
        Assert.Throws<ArgumentException>(() => RawPath.FromString("a\0"));
        Assert.ThrowsAny<ArgumentException>(() => RawPath.FromString("\ud800")); // a lone surrogate has no UTF-8 form
    }

    [Fact]
    public void Bytes_are_kept_exactly_and_copied_in()
    {
        byte[] bytes = [(byte)'/', 0xff, 0xfe, (byte)'\n', 0xc3, 0xa9];
        var path = new RawPath(bytes);
        bytes[1] = (byte)'x';
        path.Bytes.ToArray().Should().Equal((byte)'/', 0xff, 0xfe, (byte)'\n', 0xc3, 0xa9);
        path.Length.Should().Be(6);
        path.ToArray().Should().NotBeSameAs(path.ToArray());
    }

    [Fact]
    public void ToString_shows_invalid_bytes_as_hex_escapes_and_the_rest_as_text()
    {
        new RawPath([.. "/tmp/bad"u8, 0xff, 0xfe, .. "/Grüße"u8]).ToString().Should().Be("/tmp/bad\\xff\\xfe/Grüße");
        new RawPath([0xc3]).ToString().Should().Be("\\xc3", "a truncated sequence is invalid");
        new RawPath([0xed, 0xa0, 0x80]).ToString().Should().Be("\\xed\\xa0\\x80", "an encoded surrogate is invalid");
        RawPath.FromString("new\nline ☃").ToString().Should().Be("new\nline ☃");
    }

    [Fact]
    public void IsValidUtf8_and_IsAbsolute()
    {
        RawPath.FromString("/a/é").IsValidUtf8.Should().BeTrue();
        new RawPath([(byte)'a', 0xff]).IsValidUtf8.Should().BeFalse();
        RawPath.FromString("/a").IsAbsolute.Should().BeTrue();
        RawPath.FromString("a").IsAbsolute.Should().BeFalse();
        default(RawPath).IsAbsolute.Should().BeFalse();
    }

    [Fact]
    public void Equality_is_by_bytes()
    {
        var a = new RawPath([(byte)'a', 0xff]);
        var b = new RawPath([(byte)'a', 0xff]);
        var c = new RawPath([(byte)'a', 0xfe]);
        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        (a != c).Should().BeTrue();
        a.Equals((object)c).Should().BeFalse();
        default(RawPath).Should().Be(new RawPath([]));
        default(RawPath).Length.Should().Be(0);
    }

    [Fact]
    public void Unicode_names_are_not_normalized()
    {
        var composed = RawPath.FromString("\u00e9");
        var decomposed = RawPath.FromString("e\u0301");
        composed.Should().NotBe(decomposed);
        decomposed.Bytes.ToArray().Should().Equal(0x65, 0xcc, 0x81);
    }
}
