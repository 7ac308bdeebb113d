using System.Text.Json;

namespace Cairn.Cli.Tests;

/// <summary>A snapshot as restic snapshots --json lists it.</summary>
public sealed record ListedSnapshot(string Id, string Tree, string Time, string Host, string[] Paths, string[] Tags, string? Original)
{
    public static List<ListedSnapshot> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(s => new ListedSnapshot(
            s.GetProperty("id").GetString()!,
            s.GetProperty("tree").GetString()!,
            s.GetProperty("time").GetString()!,
            s.GetProperty("hostname").GetString()!,
            [.. s.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!)],
            s.TryGetProperty("tags", out var tags) ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : [],
            s.TryGetProperty("original", out var original) ? original.GetString() : null))];
    }
}
