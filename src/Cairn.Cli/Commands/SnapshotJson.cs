using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Json;

namespace Cairn.Cli.Commands;

/// <summary>Snapshots as restic prints them with --json: the stored document plus "id" and "short_id".</summary>
internal static class SnapshotJson
{
    public static JsonObject Object(Id id, Snapshot snapshot)
    {
        var node = JsonSerializer.SerializeToNode(snapshot, RepositoryJson.Context.Snapshot)!.AsObject();
        node["id"] = id.ToString();
        node["short_id"] = id.Short;
        return node;
    }

    public static string Array(IEnumerable<(Id Id, Snapshot Snapshot)> snapshots) =>
        new JsonArray([.. snapshots.Select(s => (JsonNode)Object(s.Id, s.Snapshot))]).ToJsonString();
}
