using Cairn.Repository.Filtering;

namespace Cairn.Maintenance.Rewrite;

/// <summary>
/// What <c>rewrite</c> removes: backup's exclude patterns (<c>--exclude</c>, <c>--exclude-file</c>), matched against
/// a node's path from the snapshot's root, and their case-insensitive form (<c>--iexclude</c>,
/// <c>--iexclude-file</c>), which compares the lower-cased pattern with the lower-cased path, as restic does.
/// </summary>
public sealed class ExcludeRules
{
    private readonly PathPatternSet _exact;
    private readonly PathPatternSet _insensitive;

    /// <summary>Rules from exclude patterns, matched exactly and case-insensitively.</summary>
    public ExcludeRules(IEnumerable<string> patterns, IEnumerable<string> insensitivePatterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(insensitivePatterns);
        _exact = new PathPatternSet(patterns);
        _insensitive = new PathPatternSet(insensitivePatterns, ignoreCase: true);
    }

    /// <summary>Whether no pattern was given.</summary>
    public bool IsEmpty => _exact.IsEmpty && _insensitive.IsEmpty;

    /// <summary>Whether the node at this absolute path (and so everything below it) is left out.</summary>
    public bool Excludes(ReadOnlySpan<byte> path) => _exact.IsMatch(path) || _insensitive.IsMatch(path);
}
