using System.Text;
using Cairn.Repository.Filtering;

namespace Cairn.Restore;

/// <summary>
/// The include and exclude patterns of one restore, case-sensitive and case-insensitive ones together (restic's
/// --iinclude/--iexclude: <see cref="PathPatternSet"/> lowers pattern and path alike).
/// </summary>
internal sealed class RestoreFilter(RestoreOptions options)
{
    private readonly PathPatternSet _includes = new(options.Includes);
    private readonly PathPatternSet _excludes = new(options.Excludes);
    private readonly PathPatternSet _includesIgnoringCase = new(options.IncludesIgnoringCase, ignoreCase: true);
    private readonly PathPatternSet _excludesIgnoringCase = new(options.ExcludesIgnoringCase, ignoreCase: true);

    /// <summary>No include pattern at all: everything not excluded is restored.</summary>
    public bool IncludesEverything => _includes.IsEmpty && _includesIgnoringCase.IsEmpty;

    public bool IsExcluded(string snapshotPath)
    {
        var path = Encoding.UTF8.GetBytes(snapshotPath);
        return _excludes.IsMatch(path) || _excludesIgnoringCase.IsMatch(path);
    }

    public bool IsIncluded(string snapshotPath)
    {
        var path = Encoding.UTF8.GetBytes(snapshotPath);
        return _includes.IsMatch(path) || _includesIgnoringCase.IsMatch(path);
    }

    /// <summary>Whether an include pattern could match something below this folder, so it must be entered.</summary>
    public bool MayIncludeBelow(string snapshotPath)
    {
        var path = Encoding.UTF8.GetBytes(snapshotPath);
        return _includes.MayMatchBelow(path) || _includesIgnoringCase.MayMatchBelow(path);
    }
}
