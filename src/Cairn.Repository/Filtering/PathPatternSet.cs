using System.Text;

namespace Cairn.Repository.Filtering;

/// <summary>
/// restic-style path patterns (backup's --exclude, restore's --include/--exclude), matched against an absolute path:
/// <c>*</c>, <c>?</c> and <c>[...]</c> within one path component, <c>**</c> across any number of them; a pattern not
/// starting with <c>/</c> may match at any depth. A matched directory covers everything below it.
/// </summary>
public sealed class PathPatternSet
{
    private readonly List<string[]> _patterns = [];
    private readonly bool _ignoreCase;

    /// <param name="patterns">The patterns; blank ones and # comments are skipped.</param>
    /// <param name="ignoreCase">Match without regard to case (restic's --iexclude): patterns and paths are lowered alike.</param>
    public PathPatternSet(IEnumerable<string> patterns, bool ignoreCase = false)
    {
        _ignoreCase = ignoreCase;
        foreach (var raw in patterns)
        {
            var p = ignoreCase ? raw.Trim().ToLowerInvariant() : raw.Trim();
            if (p.Length == 0 || p.StartsWith('#'))
            {
                continue;
            }

            var parts = p.Split('/', StringSplitOptions.RemoveEmptyEntries);
            _patterns.Add(p.StartsWith('/') ? parts : ["**", .. parts]);
        }
    }

    /// <summary>Whether the set holds no pattern.</summary>
    public bool IsEmpty => _patterns.Count == 0;

    /// <summary>Reads patterns from a file: one a line, blank lines and # comments ignored.</summary>
    public static IEnumerable<string> ReadFile(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>Whether a pattern matches the path itself.</summary>
    public bool IsMatch(ReadOnlySpan<byte> absolutePath) => Any(absolutePath, prefix: false);

    /// <summary>Whether a pattern could match something below the path (so a directory must be entered).</summary>
    public bool MayMatchBelow(ReadOnlySpan<byte> absolutePath) => Any(absolutePath, prefix: true);

    private bool Any(ReadOnlySpan<byte> absolutePath, bool prefix)
    {
        if (_patterns.Count == 0)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(absolutePath);
        var parts = (_ignoreCase ? text.ToLowerInvariant() : text).Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var pattern in _patterns)
        {
            if (Match(pattern, 0, parts, 0, prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Match(string[] pattern, int pi, string[] path, int si, bool prefix = false)
    {
        if (si == path.Length && prefix && pi < pattern.Length)
        {
            return true;
        }

        if (pi == pattern.Length)
        {
            return si == path.Length;
        }

        if (pattern[pi] == "**")
        {
            for (var k = si; k <= path.Length; k++)
            {
                if (Match(pattern, pi + 1, path, k, prefix))
                {
                    return true;
                }
            }

            return false;
        }

        return si < path.Length && Glob(pattern[pi], path[si]) && Match(pattern, pi + 1, path, si + 1, prefix);
    }

    /// <summary>Shell-style match of one component.</summary>
    public static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (!pattern.IsEmpty)
        {
            var c = pattern[0];
            switch (c)
            {
                case '*':
                    var rest = pattern[1..];
                    for (var k = 0; k <= name.Length; k++)
                    {
                        if (Glob(rest, name[k..]))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (name.IsEmpty)
                    {
                        return false;
                    }

                    pattern = pattern[1..];
                    name = name[1..];
                    break;
                case '[':
                    var close = pattern.IndexOf(']');
                    if (close < 0 || name.IsEmpty)
                    {
                        return false;
                    }

                    var set = pattern[1..close];
                    var negate = set.Length > 0 && (set[0] == '^' || set[0] == '!');
                    if (negate)
                    {
                        set = set[1..];
                    }

                    var hit = false;
                    for (var k = 0; k < set.Length; k++)
                    {
                        if (k + 2 < set.Length && set[k + 1] == '-')
                        {
                            hit |= name[0] >= set[k] && name[0] <= set[k + 2];
                            k += 2;
                        }
                        else
                        {
                            hit |= name[0] == set[k];
                        }
                    }

                    if (hit == negate)
                    {
                        return false;
                    }

                    pattern = pattern[(close + 1)..];
                    name = name[1..];
                    break;
                case '\\' when pattern.Length > 1:
                    if (name.IsEmpty || name[0] != pattern[1])
                    {
                        return false;
                    }

                    pattern = pattern[2..];
                    name = name[1..];
                    break;
                default:
                    if (name.IsEmpty || name[0] != c)
                    {
                        return false;
                    }

                    pattern = pattern[1..];
                    name = name[1..];
                    break;
            }
        }

        return name.IsEmpty;
    }
}
