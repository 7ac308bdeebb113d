using Cairn.Maintenance.Inspection;

namespace Cairn.Maintenance.Tests.Inspection;

public sealed class GoFileModeTextTests
{
    [Theory]
    [InlineData(420u, "-rw-r--r--")]
    [InlineData(2147484141u, "drwxr-xr-x")]
    [InlineData(134218239u, "Lrwxrwxrwx")]
    [InlineData((1u << 26) | (1u << 21) | 0x1b6u, "Dcrw-rw-rw-")]
    [InlineData((1u << 31) | (1u << 20) | 0x1ffu, "dtrwxrwxrwx")]
    [InlineData((1u << 23) | 0x1edu, "urwxr-xr-x")]
    public void Formats_like_gos_FileMode_String(uint mode, string expected)
    {
        GoFileModeText.Format(mode).Should().Be(expected);
    }
}
