using System.Text;
using Cairn.Repository.Filtering;

namespace Cairn.Restore;

/// <summary>
/// The include and exclude patterns of one restore, case-sensitive and case-insensitive ones together. A pattern
/// given to ignore case is lowered once, and matched against the lowered path, as restic's --iinclude/--iexclude.
/// </summary>
internal sealed class RestoreFilter(RestoreOptions options)
{
    private readonly PathPatternSet _includes = new(options.Includes);
    private readonly PathPatternSet _excludes = new(options.Excludes);
    private readonly PathPatternSet _includesIgnoringCase = new(options.IncludesIgnoringCase.Select(p => p.ToLowerInvariant()));
    private readonly PathPatternSet _excludesIgnoringCase = new(options.ExcludesIgnoringCase.Select(p => p.ToLowerInvariant()));

    /// <summary>No include pattern at all: everything not excluded is restored.</summary>
    public bool IncludesEverything => _includes.IsEmpty && _includesIgnoringCase.IsEmpty;

    public bool IsExcluded(string snapshotPath) =>
        _excludes.IsMatch(Encoding.UTF8.GetBytes(snapshotPath))
        || (!_excludesIgnoringCase.IsEmpty && _excludesIgnoringCase.IsMatch(Lowered(snapshotPath)));

    public bool IsIncluded(string snapshotPath) =>
        _includes.IsMatch(Encoding.UTF8.GetBytes(snapshotPath))
        || (!_includesIgnoringCase.IsEmpty && _includesIgnoringCase.IsMatch(Lowered(snapshotPath)));

    /// <summary>Whether an include pattern could match something below this folder, so it must be entered.</summary>
    public bool MayIncludeBelow(string snapshotPath) =>
        _includes.MayMatchBelow(Encoding.UTF8.GetBytes(snapshotPath))
        || (!_includesIgnoringCase.IsEmpty && _includesIgnoringCase.MayMatchBelow(Lowered(snapshotPath)));

    private static byte[] Lowered(string path) => Encoding.UTF8.GetBytes(path.ToLowerInvariant());
}
