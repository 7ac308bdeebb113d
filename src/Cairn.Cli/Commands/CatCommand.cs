using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Json;
using Cairn.Storage;

namespace Cairn.Cli.Commands;

internal static class CatCommand
{
    /// <summary>The repository documents' metadata with indentation, as restic's cat prints them.</summary>
    private static readonly RepositoryJsonContext s_indented = new(new JsonSerializerOptions(RepositoryJson.Options) { WriteIndented = true });

    public static Command Create()
    {
        var type = new Argument<string>("type") { Description = "config, masterkey, key, snapshot, index, blob, pack or pack-header" };
        var id = new Argument<string?>("id") { Description = "ID (or unique prefix) of the object", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("cat", "Print internal objects to standard output") { type, id };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var kind = result.GetValue(type)!;
            var idText = result.GetValue(id);
            // Under the shared lock, as restic reads; only a blob needs the index, and no kind lists snapshots first.
            await using var session = await RepositoryOpener.OpenReaderAsync(result, SnapshotQuery.None, ct, loadIndex: kind is "blob");
            var repository = session.Repository;
            switch (kind)
            {
                case "config":
                    WriteJson(output, repository.Config, s_indented.RepositoryConfig);
                    break;
                case "masterkey":
                    WriteJson(output, new MasterKeyJson(new MacKeyJson(repository.Key.MacK.ToArray(), repository.Key.MacR.ToArray()), repository.Key.EncryptionKey.ToArray()), s_indented.MasterKeyJson);
                    break;
                case "key":
                    var keyName = await ResolveAsync(repository.Store, ObjectKind.Key, Require(idText, kind), ct);
                    WriteJson(output, await KeyRing.ReadKeyFileAsync(repository.Store, keyName, ct), s_indented.KeyFile);
                    break;
                case "snapshot":
                    var (_, snapshot) = await SnapshotFinder.FindAsync(repository, Require(idText, kind), cancellationToken: ct);
                    WriteJson(output, snapshot, s_indented.Snapshot);
                    break;
                case "index":
                    var indexName = await ResolveAsync(repository.Store, ObjectKind.Index, Require(idText, kind), ct);
                    await WriteRawJsonAsync(output, await repository.LoadUnpackedAsync(indexName, ct));
                    break;
                case "blob":
                    var blobId = Id.Parse(Require(idText, kind));
                    var blobType = repository.Index.Has(BlobType.Tree, blobId) ? BlobType.Tree : BlobType.Data;
                    var bytes = await repository.LoadBlobAsync(blobType, blobId, ct);
                    await using (var stdout = Console.OpenStandardOutput())
                    {
                        await stdout.WriteAsync(bytes, ct);
                    }

                    break;
                case "pack":
                    var packName = await ResolveAsync(repository.Store, ObjectKind.Pack, Require(idText, kind), ct);
                    await using (var stdout = Console.OpenStandardOutput())
                    {
                        await stdout.WriteAsync(await repository.Store.ReadAllAsync(packName, ct), ct);
                    }

                    break;
                case "pack-header":
                    var headerName = await ResolveAsync(repository.Store, ObjectKind.Pack, Require(idText, kind), ct);
                    var size = (await repository.Store.StatAsync(headerName, ct)).Size;
                    var entries = await PackFile.ReadHeaderAsync(repository, Id.Parse(headerName.Name), size, ct);
                    IReadOnlyList<IndexBlob> blobs = [.. entries.Select(e => new IndexBlob
                    {
                        Id = e.Id,
                        Type = e.Type.ToJsonName(),
                        Offset = e.Offset,
                        Length = e.Length,
                        UncompressedLength = e.UncompressedLength != 0 ? e.UncompressedLength : null,
                    })];
                    WriteJson(output, blobs, s_indented.IReadOnlyListIndexBlob);
                    break;
                default:
                    throw new UsageException($"invalid type \"{kind}\": use config, masterkey, key, snapshot, index, blob, pack or pack-header");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Require(string? id, string kind) => id ?? throw new UsageException($"cat {kind} needs an ID");

    private static void WriteJson<T>(Output output, T value, JsonTypeInfo<T> typeInfo)
    {
        output.Out.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }

    /// <summary>A stored document re-indented as it is, unknown fields included (the serializer's default escaping).</summary>
    private static Task WriteRawJsonAsync(Output output, byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            doc.RootElement.WriteTo(writer);
        }

        output.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        return Task.CompletedTask;
    }

    /// <summary>Resolves a full ID or unique prefix among the stored objects of one kind.</summary>
    public static async Task<ObjectName> ResolveAsync(IObjectStore store, ObjectKind kind, string prefix, CancellationToken ct)
    {
        var matches = (await store.ListAllAsync(kind, ct)).Where(o => o.Name.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Name,
            0 => throw new UsageException($"no {kind.FolderName()} object matches \"{prefix}\""),
            _ => throw new UsageException($"prefix \"{prefix}\" is ambiguous: {matches.Count} {kind.FolderName()} objects match"),
        };
    }
}
