namespace Cairn.Repository.Format;

/// <summary>
/// restic's <c>--compression</c> setting; only version-2 repositories compress. <c>fastest</c> and <c>better</c> are
/// the names restic 0.16 added for the levels between off, auto and max (levels: <see cref="Internal.Format.Zstd"/>).
/// </summary>
public enum CompressionMode
{
    /// <summary>Zstd at <see cref="Internal.Format.Zstd.AutoLevel"/>, as restic's <c>auto</c>.</summary>
    Auto,
    /// <summary>No compression (format v1 repositories always).</summary>
    Off,
    /// <summary>Zstd at <see cref="Internal.Format.Zstd.MaxLevel"/>, as restic's <c>max</c>.</summary>
    Max,
    /// <summary>Zstd at <see cref="Internal.Format.Zstd.FastestLevel"/>.</summary>
    Fastest,
    /// <summary>Zstd at <see cref="Internal.Format.Zstd.BetterLevel"/>.</summary>
    Better,
}

/// <summary>Parsing of restic's <c>--compression</c> values.</summary>
public static class CompressionModes
{
    /// <summary>Parses <c>auto</c>, <c>off</c>, <c>max</c>, <c>fastest</c> or <c>better</c>.</summary>
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
