namespace Cairn.Architecture.Tests;

/// <summary>
/// The layers of docs/architecture.md, innermost first: storage and platform know nothing of the others; the
/// repository format sits on storage; the engines (backup, restore, maintenance) on the repository; the programs
/// (Space, agent) on the engines; the CLI, which hosts the agent's verbs, on the agent. An arrow may only point to a
/// lower layer.
/// </summary>
internal static class Layers
{
    private static readonly Dictionary<string, int> LayerOf = new(StringComparer.Ordinal)
    {
        ["Cairn.Storage"] = 0,
        ["Cairn.Platform"] = 0,
        ["Cairn.Repository"] = 1,
        ["Cairn.Backup"] = 2,
        ["Cairn.Restore"] = 2,
        ["Cairn.Maintenance"] = 2,
        ["Cairn.Space"] = 3,
        ["Cairn.Agent"] = 3,
        ["Cairn.Cli"] = 4,
    };

    /// <summary>The engine libraries, whose <c>Internal</c> namespaces the programs must not use.</summary>
    public static readonly IReadOnlySet<string> Engine = LayerOf.Where(l => l.Value < 3).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);

    public static int? Of(string project) => LayerOf.TryGetValue(project, out var layer) ? layer : null;

    /// <summary>Every reference that does not point to a lower layer, and every project no layer names.</summary>
    public static IEnumerable<string> Violations(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        foreach (var (project, references) in graph)
        {
            if (Of(project) is not { } layer)
            {
                yield return $"{project} is in no layer: add it to Layers and docs/architecture.md";
                continue;
            }

            foreach (var reference in references)
            {
                if (Of(reference) is not { } target || target >= layer)
                {
                    yield return $"{project} -> {reference} points outward or sideways (layer {layer} -> {(Of(reference)?.ToString() ?? "none")})";
                }
            }
        }
    }

    /// <summary>The projects one project may name: itself and everything it references, directly or not.</summary>
    public static IReadOnlySet<string> Reachable(IReadOnlyDictionary<string, IReadOnlyList<string>> graph, string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { project };
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var next))
        {
            foreach (var reference in graph.GetValueOrDefault(next) ?? [])
            {
                if (seen.Add(reference))
                {
                    queue.Enqueue(reference);
                }
            }
        }

        return seen;
    }
}
