using System.Xml.Linq;

namespace Cairn.Architecture.Tests;

/// <summary>The repository as files: its projects under <c>src/</c>, their references and their C# sources.</summary>
internal sealed class SourceTree
{
    private SourceTree(string root) => Root = root;

    public string Root { get; }

    /// <summary>The checkout this test runs from: the first folder above the test binary that holds Cairn.slnx.</summary>
    public static SourceTree Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cairn.slnx")))
            {
                return new SourceTree(dir.FullName);
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>Every project under src/, by name, with the names of the projects it references.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ProjectGraph()
    {
        var graph = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            graph[Path.GetFileNameWithoutExtension(file)] = XDocument.Load(file).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .Order(StringComparer.Ordinal).ToList();
        }

        return graph;
    }

    /// <summary>The InternalsVisibleTo names of a project (items in its project file).</summary>
    public IReadOnlyList<string> InternalsVisibleTo(string project)
        => XDocument.Load(Path.Combine(Root, "src", project, project + ".csproj")).Descendants("InternalsVisibleTo")
            .Select(i => i.Attribute("Include")!.Value).ToList();

    /// <summary>The C# files of a project under src/, build output left out.</summary>
    public IEnumerable<string> SourcesOf(string project)
    {
        var folder = Path.Combine(Root, "src", project);
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"));
    }

    public string Relative(string path) => Path.GetRelativePath(Root, path);
}
