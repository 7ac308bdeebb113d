using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Json;

namespace Cairn.Cli.Commands;

/// <summary>Snapshots as restic prints them with --json: the stored document plus "id" and "short_id", zero uid and gid left out.</summary>
internal static class SnapshotJson
{
    public static JsonObject Object(Id id, Snapshot snapshot)
    {
        var node = JsonSerializer.SerializeToNode(snapshot, RepositoryJson.Context.Snapshot)!.AsObject();
        // restic leaves a zero uid or gid out (Go's omitempty), whatever the file holds.
        foreach (var name in (ReadOnlySpan<string>)["uid", "gid"])
        {
            if (node[name] is JsonValue value && value.TryGetValue<uint>(out var number) && number == 0)
            {
                node.Remove(name);
            }
        }

        node["id"] = id.ToString();
        node["short_id"] = id.Short;
        return node;
    }

    public static string Array(IEnumerable<(Id Id, Snapshot Snapshot)> snapshots) =>
        new JsonArray([.. snapshots.Select(s => (JsonNode)Object(s.Id, s.Snapshot))]).ToJsonString();
}
