namespace Cairn.Architecture.Tests;

/// <summary>
/// The project graph as docs/architecture.md shows it, between the markers below: one line per project under src/,
/// naming what it references. The test regenerates it and compares, so the picture cannot drift from the projects.
/// </summary>
internal static class ProjectGraphText
{
    public const string Begin = "<!-- project-graph: generated from src/*/*.csproj; tests/Cairn.Architecture.Tests checks it -->";
    public const string End = "<!-- /project-graph -->";

    public static string Render(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        var lines = graph.OrderBy(p => Layers.Of(p.Key) ?? 99).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key,-17} (layer {Layers.Of(p.Key)}) -> {(p.Value.Count == 0 ? "(nothing)" : string.Join(", ", p.Value))}");
        return "```\n" + string.Join("\n", lines) + "\n```";
    }

    /// <summary>The block between the markers of a document, or null when it has none.</summary>
    public static string? Extract(string document)
    {
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        return start < 0 || end < start ? null : document[(start + Begin.Length)..end].Trim();
    }
}
