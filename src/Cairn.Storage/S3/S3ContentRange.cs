using System.Globalization;

namespace Cairn.Storage;

/// <summary>Reads the object's size from a ranged answer's <c>Content-Range: bytes first-last/size</c> (RFC 9110 §14.4).</summary>
internal static class S3ContentRange
{
    public static bool TryParseSize(string? header, out long size)
    {
        size = 0;
        var slash = header?.LastIndexOf('/') ?? -1;
        return slash >= 0
            && long.TryParse(header.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
