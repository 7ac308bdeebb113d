namespace Cairn.Repository.Format;

/// <summary>restic's <c>--compression</c> setting; only version-2 repositories compress.</summary>
public enum CompressionMode
{
    Auto,
    Off,
    Max,
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
            default: mode = default; return false;
        }
    }
}
