using Cairn.Repository.Filtering;

namespace Cairn.Cli;

/// <summary>The patterns of one --exclude/--include-style flag and its --*-file twin, as backup, restore and rewrite take them.</summary>
internal static class PatternArguments
{
    /// <summary>Patterns given on the command line, then those read from files (blank lines and # comments left out).</summary>
    public static List<string> Read(string[]? given, string[]? files)
    {
        var patterns = new List<string>(given ?? []);
        foreach (var file in files ?? [])
        {
            try
            {
                patterns.AddRange(PathPatternSet.ReadFile(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read patterns from {file}: {e.Message}");
            }
        }

        return patterns;
    }
}
