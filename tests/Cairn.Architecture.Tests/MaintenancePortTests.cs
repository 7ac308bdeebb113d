using System.Text.RegularExpressions;
using AwesomeAssertions;

namespace Cairn.Architecture.Tests;

/// <summary>
/// Maintenance lists, reads and deletes a repository's files through <c>ResticRepository.Files</c>
/// (<c>IRepositoryFiles</c>), never through the raw store (issue 13, item 2). The one exception is the format
/// migration, which replaces the config itself.
/// </summary>
public sealed partial class MaintenancePortTests
{
    private static readonly SourceTree Tree = SourceTree.Find();

    [Fact]
    public void Maintenance_reaches_no_repository_store_but_the_config_migration()
    {
        var violations = Tree.SourcesOf("Cairn.Maintenance")
            .Where(file => !Tree.Relative(file).Contains("/Migrate/", StringComparison.Ordinal))
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (file, line, i)))
            .Where(x => StoreUse().IsMatch(x.line))
            .Select(x => $"{Tree.Relative(x.file)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

        violations.Should().BeEmpty("maintenance goes through repository.Files (IRepositoryFiles)");
    }

    [GeneratedRegex(@"\.Store\b")]
    private static partial Regex StoreUse();
}
