namespace Cairn.Maintenance.Forget;

/// <summary>What snapshots must share to be judged together (<c>--group-by</c>); none puts all in one group.</summary>
[Flags]
public enum GroupBy
{
    /// <summary>All snapshots form one group.</summary>
    None = 0,
    /// <summary>Group by host name.</summary>
    Host = 1,
    /// <summary>Group by the set of backed-up paths.</summary>
    Paths = 2,
    /// <summary>Group by the set of tags.</summary>
    Tags = 4,
}

/// <summary>Parses restic's <c>--group-by</c> value (for example <c>host,paths</c>).</summary>
public static class GroupByParser
{
    /// <summary>restic's default, <c>host,paths</c>.</summary>
    public const GroupBy Default = GroupBy.Host | GroupBy.Paths;

    /// <summary>Parses <c>host,paths,tags</c> in any order and combination; the empty string means no grouping.</summary>
    public static GroupBy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = GroupBy.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= part switch
            {
                "host" => GroupBy.Host,
                "paths" => GroupBy.Paths,
                "tags" => GroupBy.Tags,
                _ => throw new FormatException($"unknown grouping option \"{part}\": use host, paths and/or tags, separated by commas"),
            };
        }

        return result;
    }
}
