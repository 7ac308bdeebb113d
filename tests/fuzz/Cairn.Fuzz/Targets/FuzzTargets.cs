using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Repository.Json;
using Cairn.Space.Backups.Protocol;
using Cairn.Storage;

namespace Cairn.Fuzz;

/// <summary>
/// Every parser of untrusted bytes, each as one function of the input (docs/reliability.md, "Fuzzing"). A parser
/// may refuse its input only with the exceptions its callers turn into a clear "corrupted" or 400 answer; any other
/// exception, a hang or a broken invariant is a crash the fuzzer keeps. The same functions replay the checked-in
/// crash inputs in the default test run (tests/fuzz/regressions).
/// </summary>
public static class FuzzTargets
{
    /// <summary>Target names (the folders of corpus and regressions) and their functions.</summary>
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["pack-header"] = PackHeaderDecode,
        ["index"] = IndexJson,
        ["tree"] = TreeJson,
        ["snapshot"] = SnapshotJson,
        ["key"] = KeyFileJson,
        ["unpacked"] = UnpackedFile,
        ["rest-name"] = RestObjectName,
        ["range"] = RangeHeader,
    };

    /// <summary>A decrypted pack header: entries back to back (PackFile maps both refusals to a corrupted pack).</summary>
    public static void PackHeaderDecode(byte[] data)
    {
        List<PackEntry> entries;
        try
        {
            entries = PackHeader.Decode(data);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return;
        }

        long end = 0;
        foreach (var entry in entries)
        {
            Require(entry.Offset == end, "pack entries are not back to back");
            end += entry.Length;
        }
    }

    /// <summary>An index document (Repository.LoadIndexAsync maps FormatException to a corrupted index).</summary>
    public static void IndexJson(byte[] data)
    {
        try
        {
            IndexReader.Read(data, static (pack, blobs) =>
            {
                foreach (var blob in blobs)
                {
                    Require(blob.Type is BlobType.Data or BlobType.Tree, "an indexed blob has an unknown type");
                }
            });
        }
        catch (FormatException)
        {
        }
    }

    /// <summary>A tree document (Repository.LoadTreeAsync maps FormatException and JsonException to a corrupted tree).</summary>
    public static void TreeJson(byte[] data)
    {
        try
        {
            var nodes = TreeCodec.Decode(data);
            Require(nodes.All(n => n.Name is not null), "a node without a name was accepted");
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }
    }

    /// <summary>A snapshot document (Repository.LoadJsonAsync maps JsonException to a corrupted snapshot).</summary>
    public static void SnapshotJson(byte[] data)
    {
        try
        {
            RepositoryJson.Deserialize<Snapshot>(data, "snapshot");
        }
        catch (JsonException)
        {
        }
    }

    /// <summary>
    /// A key file, opened with a password as the CLI and Space's restore install do: refused only as a corrupted
    /// key file or a wrong password, and never by asking scrypt for more memory or time than a real key needs.
    /// </summary>
    public static void KeyFileJson(byte[] data)
    {
        var store = new InMemoryObjectStore();
        var name = new ObjectName(ObjectKind.Key, Id.Hash(data).ToString());
        store.SaveAsync(name, data).GetAwaiter().GetResult();
        try
        {
            KeyRing.OpenAsync(store, "fuzz password", CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is CorruptedDataException or WrongPasswordException)
        {
        }
    }

    /// <summary>The plaintext of an unpacked file: a version byte and zstd-compressed JSON, or plain JSON.</summary>
    public static void UnpackedFile(byte[] data)
    {
        try
        {
            UnpackedCodec.Decode(data);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or ZstdNet.ZstdException)
        {
        }
    }

    /// <summary>A REST object path <c>{type}/{name}</c> as Space's repository API takes it: valid or refused (400).</summary>
    public static void RestObjectName(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var (type, name) = slash < 0 ? (text, "") : (text[..slash], text[(slash + 1)..]);
        if (RepositoryApi.TryName(type, name, out var parsed))
        {
            Require(parsed.Name == name && name.Length == 64 && name.All(char.IsAsciiHexDigitLower), "a name that is not 64 lowercase hex characters was accepted");
            Require(!name.Contains("..", StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal), "a path was accepted as a name");
        }
    }

    /// <summary>A Range header against an object size (the first 8 bytes): a satisfiable range lies inside the object.</summary>
    public static void RangeHeader(byte[] data)
    {
        if (data.Length < 8)
        {
            return;
        }

        var size = BinaryPrimitives.ReadInt64LittleEndian(data) & long.MaxValue;
        var header = Encoding.UTF8.GetString(data, 8, data.Length - 8);
        if (ByteRange.TryResolve(header, size, out var range) == RangeOutcome.Satisfiable)
        {
            Require(range.Offset >= 0 && range.Length >= 1 && range.Offset <= size - range.Length, $"range {range} is outside an object of {size} bytes");
        }
    }

    private static void Require(bool condition, string broken)
    {
        if (!condition)
        {
            throw new InvalidOperationException("invariant broken: " + broken);
        }
    }
}
