namespace Cairn.Maintenance.Forget;

/// <summary>What snapshots must share to be judged together (<c>--group-by</c>); none puts all in one group.</summary>
[Flags]
public enum GroupBy
{
    None = 0,
    Host = 1,
    Paths = 2,
    Tags = 4,
}

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
