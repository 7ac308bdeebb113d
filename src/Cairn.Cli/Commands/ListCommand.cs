using System.CommandLine;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;

namespace Cairn.Cli.Commands;

internal static class ListCommand
{
    public static Command Create()
    {
        var type = new Argument<string>("type") { Description = "keys, locks, snapshots, index, packs or blobs" };
        var command = new Command("list", "List object IDs of one type (blobs: \"type id\" from the index)") { type };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var kind = result.GetValue(type)!;
            ObjectKind? objects = kind switch
            {
                "keys" => ObjectKind.Key,
                "locks" => ObjectKind.Lock,
                "snapshots" => ObjectKind.Snapshot,
                "index" => ObjectKind.Index,
                "packs" => ObjectKind.Pack,
                "blobs" => null,
                _ => throw new UsageException($"invalid type \"{kind}\": use keys, locks, snapshots, index, packs or blobs"),
            };
            // The index (for blobs) is read under the lock, as every reader reads it.
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.None, ct, loadIndex: objects is null);
            var repository = session.Repository;
            if (objects is { } objectKind)
            {
                foreach (var info in (await repository.Store.ListAllAsync(objectKind, ct)).OrderBy(o => o.Name.Name, StringComparer.Ordinal))
                {
                    if (output.Json)
                    {
                        output.JsonLine(new ListedFileJson(info.Name.Name, info.Size), CliJsonContext.Lines.ListedFileJson);
                    }
                    else
                    {
                        output.Result(info.Name.Name);
                    }
                }

                return ExitCodes.Success;
            }

            foreach (var (id, location) in repository.Index.All().OrderBy(b => b.Location.Type).ThenBy(b => b.Id))
            {
                if (output.Json)
                {
                    output.JsonLine(new ListedBlobJson(location.Type.ToJsonName(), id.ToString(), location.Pack.ToString(), location.Offset, location.Length, location.UncompressedLength), CliJsonContext.Lines.ListedBlobJson);
                }
                else
                {
                    output.Result($"{location.Type.ToJsonName()} {id}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>list --json of a kind of file.</summary>
internal sealed record ListedFileJson(string Id, long Size);

/// <summary>list blobs --json.</summary>
internal sealed record ListedBlobJson(string Type, string Id, string Pack, uint Offset, uint Length, uint UncompressedLength);
