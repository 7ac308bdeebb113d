using System.Text.RegularExpressions;
using AwesomeAssertions;

namespace Cairn.Architecture.Tests;

/// <summary>
/// Space reaches the engine through a narrow facade (issue 13, item 2): storage, the repository's
/// <c>Access</c> namespace (unlock a key, read a snapshot's header) and the restore worker; of the engine projects'
/// root namespaces it names only exception types. It never loads an index, walks a tree or takes a lock itself.
/// </summary>
public sealed partial class SpaceFacadeTests
{
    private static readonly SourceTree Tree = SourceTree.Find();

    /// <summary>The engine namespaces Space may use freely.</summary>
    private static readonly string[] Facade = ["Cairn.Storage", "Cairn.Platform", "Cairn.Repository.Access", "Cairn.Restore.Worker"];

    /// <summary>The namespaces whose exception types (only) Space may name.</summary>
    private static readonly HashSet<string> EngineRoots = ["Cairn.Repository", "Cairn.Restore", "Cairn.Backup", "Cairn.Maintenance"];

    [Fact]
    public void Space_names_no_engine_namespace_but_the_facade()
    {
        var folder = Path.Combine(Tree.Root, "src", "Cairn.Space");
        var violations = Tree.SourcesOf("Cairn.Space").Concat(Directory.EnumerateFiles(folder, "*.razor", SearchOption.AllDirectories))
            .SelectMany(file => Violations(File.ReadAllText(file)).Select(v => $"{Tree.Relative(file)} uses {v}"))
            .ToList();

        violations.Should().BeEmpty("Space calls the engine through Cairn.Repository.Access and Cairn.Restore.Worker; add what it needs there");
    }

    [Fact]
    public void The_check_finds_an_engine_type_or_namespace_beside_the_facade()
    {
        Violations("using Cairn.Repository;\nclass A { RepositoryException? e; }").Should().BeEmpty();
        Violations("using Cairn.Repository;\nclass A { ResticRepository? r; }").Should().Equal("Cairn.Repository: ResticRepository");
        Violations("using Cairn.Repository.Format;\nclass A { }").Should().Equal("Cairn.Repository.Format");
        Violations("class A { Cairn.Maintenance.Prune.Pruner? p; }").Should().Equal("Cairn.Maintenance.Prune.Pruner");
        Violations("using Cairn.Repository.Access;\nusing Cairn.Storage;\nclass A { SnapshotReader? r; IObjectStore? s; }").Should().BeEmpty();
    }

    private static IEnumerable<string> Violations(string code)
    {
        var engine = Tree.ProjectGraph().Keys.Where(Layers.Engine.Contains).ToList();
        foreach (var ns in NamespaceUses.In(code).Where(ns => NamespaceUses.OwnerOf(ns, engine) is not null && !IsFacade(ns)).Order(StringComparer.Ordinal))
        {
            if (!EngineRoots.Contains(ns))
            {
                yield return ns;
                continue;
            }

            var named = PublicTypesOf(ns).Where(type => !type.EndsWith("Exception", StringComparison.Ordinal))
                .Where(type => Regex.IsMatch(code, $@"\b{type}\b")).Order(StringComparer.Ordinal).ToList();
            if (named.Count > 0)
            {
                yield return $"{ns}: {string.Join(", ", named)}";
            }
        }
    }

    private static bool IsFacade(string ns) => Facade.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal));

    /// <summary>The public top-level types declared in files whose file-scoped namespace is <paramref name="ns"/>.</summary>
    private static List<string> PublicTypesOf(string ns) =>
        Tree.SourcesOf(NamespaceUses.OwnerOf(ns, Layers.Engine)!)
            .Select(File.ReadAllText)
            .Where(text => Regex.IsMatch(text, $@"^namespace {Regex.Escape(ns)};", RegexOptions.Multiline))
            .SelectMany(text => PublicType().Matches(text).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|readonly|partial|ref)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>[A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex PublicType();
}
