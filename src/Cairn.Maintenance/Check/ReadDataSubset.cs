using System.Globalization;

namespace Cairn.Maintenance.Check;

/// <summary>Picks the packs <c>--read-data-subset</c> asks for.</summary>
public static class ReadDataSubset
{
    /// <summary>Picks the packs a <c>--read-data-subset</c> spec (n/t, a percentage or a size) names.</summary>
    public static List<(Id Id, long Size)> Select(IReadOnlyList<(Id Id, long Size)> packs, string spec, Random random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sorted = packs.OrderBy(p => p.Id).ToList();
        var slash = spec.IndexOf('/');
        if (slash > 0)
        {
            if (!int.TryParse(spec.AsSpan(0, slash), CultureInfo.InvariantCulture, out var n)
                || !int.TryParse(spec.AsSpan(slash + 1), CultureInfo.InvariantCulture, out var t) || t < 1 || n < 1 || n > t)
            {
                throw new ArgumentException($"invalid subset \"{spec}\": use n/t with 1 <= n <= t");
            }

            // The first byte of a pack ID is uniformly distributed, so groups are of even size.
            return [.. sorted.Where(p => FirstByte(p.Id) % t == n - 1)];
        }

        if (spec.EndsWith('%'))
        {
            if (!double.TryParse(spec.AsSpan(0, spec.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent <= 0 || percent > 100)
            {
                throw new ArgumentException($"invalid subset \"{spec}\": a percentage must be in (0, 100]");
            }

            var count = (int)Math.Ceiling(sorted.Count * percent / 100);
            return [.. sorted.OrderBy(_ => random.Next()).Take(count)];
        }

        var bytes = ParseSize(spec);
        var chosen = new List<(Id, long)>();
        long total = 0;
        foreach (var p in sorted.OrderBy(_ => random.Next()))
        {
            if (total >= bytes)
            {
                break;
            }

            chosen.Add(p);
            total += p.Size;
        }

        return chosen;
    }

    private static int FirstByte(Id id)
    {
        Span<byte> b = stackalloc byte[Id.Size];
        id.CopyTo(b);
        return b[0];
    }

    /// <summary>Parses a size such as <c>50M</c> or <c>2G</c> into bytes.</summary>
    public static long ParseSize(string text)
    {
        var units = new Dictionary<char, long> { ['K'] = 1L << 10, ['M'] = 1L << 20, ['G'] = 1L << 30, ['T'] = 1L << 40 };
        var t = text.Trim().ToUpperInvariant();
        var factor = 1L;
        if (t.Length > 0 && units.TryGetValue(t[^1], out var f))
        {
            factor = f;
            t = t[..^1];
        }

        return long.TryParse(t, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n * factor
            : throw new ArgumentException($"invalid subset \"{text}\": use n/t, x% or a size such as 500M");
    }
}
