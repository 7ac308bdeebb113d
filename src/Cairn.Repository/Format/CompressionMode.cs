namespace Cairn.Repository.Format;

/// <summary>
/// restic's <c>--compression</c> setting; only version-2 repositories compress. <c>fastest</c> and <c>better</c> are
/// the names restic 0.16 added for the levels between off, auto and max (levels: <see cref="Zstd.Level"/>).
/// </summary>
public enum CompressionMode
{
    Auto,
    Off,
    Max,
    Fastest,
    Better,
}

public static class CompressionModes
{
    public static bool TryParse(string? text, out CompressionMode mode)
    {
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "auto": mode = CompressionMode.Auto; return true;
            case "off": mode = CompressionMode.Off; return true;
            case "max": mode = CompressionMode.Max; return true;
            case "fastest": mode = CompressionMode.Fastest; return true;
            case "better": mode = CompressionMode.Better; return true;
            default: mode = default; return false;
        }
    }
}
