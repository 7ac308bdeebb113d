namespace Cairn.Maintenance.Tag;

/// <summary>
/// What <c>tag</c> does to a snapshot's tags: replace them all (<c>--set</c>), or add and remove some
/// (<c>--add</c>, <c>--remove</c>). Each flag value is a comma-separated list; tags are trimmed, empty ones dropped
/// and duplicates kept once, so <c>--set ''</c> leaves a snapshot without tags.
/// </summary>
public sealed class TagEdit
{
    private TagEdit(IReadOnlyList<string>? set, IReadOnlyList<string> add, IReadOnlyList<string> remove)
    {
        Set = set;
        Add = add;
        Remove = remove;
    }

    /// <summary>The new tags, or null when <c>--set</c> was not given.</summary>
    public IReadOnlyList<string>? Set { get; }
    /// <summary>Tags to add.</summary>
    public IReadOnlyList<string> Add { get; }
    /// <summary>Tags to remove.</summary>
    public IReadOnlyList<string> Remove { get; }

    /// <summary>Builds the edit from the raw flag values; throws <see cref="FormatException"/> with restic's reasons.</summary>
    public static TagEdit Parse(IReadOnlyList<string> set, IReadOnlyList<string> add, IReadOnlyList<string> remove)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        if (set.Count == 0 && add.Count == 0 && remove.Count == 0)
        {
            throw new FormatException("nothing to do: give --set, --add or --remove");
        }

        if (set.Count > 0 && (add.Count > 0 || remove.Count > 0))
        {
            throw new FormatException("--set and --add/--remove cannot be given at the same time");
        }

        return new TagEdit(set.Count > 0 ? Flatten(set) : null, Flatten(add), Flatten(remove));
    }

    private static List<string> Flatten(IReadOnlyList<string> values) =>
        [.. values.SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>The tags after the edit, or null when they would not change (the snapshot is then left alone).</summary>
    public IReadOnlyList<string>? Apply(IReadOnlyList<string>? current)
    {
        var before = current ?? [];
        List<string> after;
        if (Set is not null)
        {
            after = [.. Set];
        }
        else
        {
            after = [.. before];
            after.AddRange(Add.Where(t => !after.Contains(t, StringComparer.Ordinal)));
            after.RemoveAll(t => Remove.Contains(t, StringComparer.Ordinal));
        }

        return after.SequenceEqual(before, StringComparer.Ordinal) ? null : after;
    }
}
