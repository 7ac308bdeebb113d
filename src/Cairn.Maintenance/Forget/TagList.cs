namespace Cairn.Maintenance.Forget;

/// <summary>
/// A comma-separated set of tags that must all be present (<c>--tag</c>, <c>--keep-tag</c>). Tags are trimmed; the
/// empty tag stands for "has no tags at all", so <c>''</c> selects untagged snapshots, as in restic 0.14.
/// </summary>
public sealed class TagList
{
    /// <summary>A list of tags that must all be present.</summary>
    public TagList(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Tags = [.. tags];
    }

    /// <summary>The tags, all of which a snapshot must carry.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Parses a comma-separated list, as restic's <c>--tag a,b</c>.</summary>
    public static TagList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TagList(text.Split(',').Select(t => t.Trim()));
    }

    /// <summary>Whether the snapshot's tags include every tag of this list.</summary>
    public bool Matches(IReadOnlyList<string>? snapshotTags)
    {
        foreach (var tag in Tags)
        {
            var present = tag.Length == 0
                ? snapshotTags is null || snapshotTags.Count == 0
                : snapshotTags?.Contains(tag, StringComparer.Ordinal) == true;
            if (!present)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>As restic prints it: <c>[a, b]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", Tags) + "]";
}
