namespace Cairn.Cli.Tests;

/// <summary>Sizes print as restic prints them (Go's %.3f, which rounds exact halves to the even digit).</summary>
public sealed class OutputBytesTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.000 KiB")]
    [InlineData(591_680L, "577.812 KiB")]
    [InlineData(1_088L, "1.062 KiB")]
    [InlineData(1_216L, "1.188 KiB")]
    [InlineData(1_100L, "1.074 KiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.000 GiB")]
    public void Prints_sizes_like_restic(long bytes, string expected) => Output.Bytes(bytes).Should().Be(expected);
}
