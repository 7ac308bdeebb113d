using Microsoft.Net.Http.Headers;

namespace Cairn.Space.Backups.Protocol;

/// <summary>One byte range of an object, resolved against its size from a <c>Range</c> header.</summary>
internal readonly record struct ByteRange(long Offset, long Length)
{
    public long Last => Offset + Length - 1;

    /// <summary>
    /// Where a GET starts reading without knowing the object's size: no header (the whole object) or one
    /// <c>bytes=first-[last]</c> range. False for a suffix range or a malformed header, which need the size (or a refusal) first.
    /// </summary>
    public static bool TryReadStart(string header, out long offset, out long? length)
    {
        offset = 0;
        length = null;
        if (header.Length == 0)
        {
            return true;
        }

        if (!RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.Ranges.Count != 1
            || parsed.Ranges.First() is not { From: { } from } item
            || item.To < from)
        {
            return false;
        }

        offset = from;
        length = item.To is { } to ? to - from + 1 : null;
        return true;
    }

    /// <summary>
    /// Reads a single <c>bytes=</c> range: <see cref="RangeOutcome.Malformed"/> for anything that does not parse
    /// (or asks for several ranges), <see cref="RangeOutcome.Unsatisfiable"/> for a range outside the object.
    /// </summary>
    public static RangeOutcome TryResolve(string header, long size, out ByteRange range)
    {
        range = default;
        if (!RangeHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.Ranges.Count != 1)
        {
            return RangeOutcome.Malformed;
        }

        var item = parsed.Ranges.First();
        switch (item.From, item.To)
        {
            case ({ } from, { } to) when from > to:
                return RangeOutcome.Malformed;
            case ({ } from, var to):
                if (from >= size)
                {
                    return RangeOutcome.Unsatisfiable;
                }

                var last = Math.Min(to ?? size - 1, size - 1);
                range = new ByteRange(from, last - from + 1);
                return RangeOutcome.Satisfiable;
            case (null, { } suffix):
                if (suffix == 0 || size == 0)
                {
                    return RangeOutcome.Unsatisfiable;
                }

                var length = Math.Min(suffix, size);
                range = new ByteRange(size - length, length);
                return RangeOutcome.Satisfiable;
            default:
                return RangeOutcome.Malformed;
        }
    }
}

internal enum RangeOutcome
{
    Satisfiable,
    Malformed,
    Unsatisfiable,
}
