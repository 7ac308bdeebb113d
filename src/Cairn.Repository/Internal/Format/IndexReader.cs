using System.Text.Json;
using Cairn.Repository.Format;

namespace Cairn.Repository.Internal.Format;

/// <summary>One blob as an index document names it.</summary>
public readonly record struct IndexedBlob(Id Id, BlobType Type, uint Offset, uint Length, uint UncompressedLength);

/// <summary>Receives one pack of an index document and its blobs (a buffer reused for the next pack).</summary>
public delegate void IndexPackHandler(Id pack, ReadOnlySpan<IndexedBlob> blobs);

/// <summary>
/// Reads an index document (docs/format.md, "Index") pack by pack, straight from its bytes: loading the index at
/// every open then makes no object per blob, which for large repositories is most of the work. Unknown properties
/// are skipped, as the document type <see cref="IndexFile"/> does; a missing blob type means "data", as there.
/// </summary>
public static class IndexReader
{
    /// <exception cref="FormatException">The document is not an index: not JSON, or a pack or blob without an ID,
    /// an unknown blob type, a negative or too large offset or length.</exception>
    public static void Read(ReadOnlySpan<byte> json, IndexPackHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            Expect(ref reader, JsonTokenType.StartObject);
            var blobs = new List<IndexedBlob>();
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("packs"u8))
                {
                    Skip(ref reader);
                    continue;
                }

                if (Next(ref reader) == JsonTokenType.Null)
                {
                    continue;
                }

                Require(reader.TokenType == JsonTokenType.StartArray, "packs is not a list");
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    ReadPack(ref reader, blobs, handler);
                }
            }
        }
        catch (JsonException e)
        {
            throw new FormatException("index is not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e) when (e.InnerException is System.Text.DecoderFallbackException)
        {
            // A string of the document is not UTF-8 (found by fuzzing: the reader throws this, not a JsonException).
            throw new FormatException("index has text that is not valid UTF-8", e);
        }
    }

    private static void ReadPack(ref Utf8JsonReader reader, List<IndexedBlob> blobs, IndexPackHandler handler)
    {
        Require(reader.TokenType == JsonTokenType.StartObject, "a pack is not an object");
        Id? pack = null;
        blobs.Clear();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                pack = ReadId(ref reader, "a pack ID");
            }
            else if (reader.ValueTextEquals("blobs"u8))
            {
                if (Next(ref reader) == JsonTokenType.Null)
                {
                    continue;
                }

                Require(reader.TokenType == JsonTokenType.StartArray, "blobs is not a list");
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    blobs.Add(ReadBlob(ref reader));
                }
            }
            else
            {
                Skip(ref reader);
            }
        }

        handler(pack ?? throw new FormatException("a pack has no ID"), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blobs));
    }

    private static IndexedBlob ReadBlob(ref Utf8JsonReader reader)
    {
        Require(reader.TokenType == JsonTokenType.StartObject, "a blob is not an object");
        Id? id = null;
        var type = BlobType.Data;
        uint offset = 0, length = 0, uncompressed = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = ReadId(ref reader, "a blob ID");
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                Require(Next(ref reader) == JsonTokenType.String, "a blob type is not a string");
                type = reader.ValueTextEquals("data"u8) ? BlobType.Data
                    : reader.ValueTextEquals("tree"u8) ? BlobType.Tree
                    : throw new FormatException($"unknown blob type '{reader.GetString()}'");
            }
            else if (reader.ValueTextEquals("offset"u8))
            {
                offset = ReadLength(ref reader, "offset");
            }
            else if (reader.ValueTextEquals("length"u8))
            {
                length = ReadLength(ref reader, "length");
            }
            else if (reader.ValueTextEquals("uncompressed_length"u8))
            {
                uncompressed = ReadLength(ref reader, "uncompressed_length");
            }
            else
            {
                Skip(ref reader);
            }
        }

        return new IndexedBlob(id ?? throw new FormatException("a blob has no ID"), type, offset, length, uncompressed);
    }

    private static Id ReadId(ref Utf8JsonReader reader, string what)
    {
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || !Id.TryParseUtf8(reader.ValueSpan, out var id))
        {
            throw new FormatException($"{what} is not 64 hexadecimal characters");
        }

        return id;
    }

    /// <summary>A byte count: a pack is at most 4 GiB, as the in-memory index stores it (null counts as absent).</summary>
    private static uint ReadLength(ref Utf8JsonReader reader, string what)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return 0;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt32(out var value))
        {
            throw new FormatException($"{what} is not a length");
        }

        return value;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("index ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type) =>
        Require(Next(ref reader) == type, "index is not a JSON object");

    private static void Skip(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }
}
