using Microsoft.Net.Http.Headers;

namespace Cairn.Space.Backups.Protocol;

/// <summary>One byte range of an object, resolved against its size from a <c>Range</c> header.</summary>
internal readonly record struct ByteRange(long Offset, long Length)
{
    public long Last => Offset + Length - 1;

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
