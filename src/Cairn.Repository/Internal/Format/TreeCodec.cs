using System.Buffers;
using System.Text;
using System.Text.Json;
using Cairn.Repository.Format;
using Cairn.Repository.Json;

namespace Cairn.Repository.Internal.Format;

/// <summary>
/// Encodes a tree blob exactly as restic does (Go encoding/json field order and escaping, names Go-quoted,
/// nodes sorted by raw name, a trailing newline) and decodes any tree restic or Cairn wrote (docs/format.md, "Trees").
/// </summary>
public static class TreeCodec
{
    /// <summary>Encodes a tree as restic's JSON, byte for byte, so tree ids match restic's.</summary>
    public static byte[] Encode(IReadOnlyList<Node> nodes)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (nodes.Count * 400));
        var w = new GoJsonWriter(buffer);
        w.StartObject();
        w.PropertyName("nodes"u8);
        w.StartArray();
        foreach (var node in nodes)
        {
            WriteNode(w, node);
        }

        w.EndArray();
        w.EndObject();
        w.NewLine();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Sorts nodes the way trees must be ordered: by raw name bytes.</summary>
    public static void Sort(List<Node> nodes) => nodes.Sort(static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));

    private static void WriteNode(GoJsonWriter w, Node n)
    {
        w.StartObject();
        w.PropertyName("name"u8); w.String(GoQuote.Quote(n.Name));
        w.PropertyName("type"u8); w.String(n.Type.ToJsonName());
        w.PropertyName("mode"u8); w.Number(n.Mode);
        Span<byte> time = stackalloc byte[NodeTime.MaxUtf8Length];
        w.PropertyName("mtime"u8); w.String(time[..n.ModTime.FormatUtf8(time)]);
        w.PropertyName("atime"u8); w.String(time[..n.AccessTime.FormatUtf8(time)]);
        w.PropertyName("ctime"u8); w.String(time[..n.ChangeTime.FormatUtf8(time)]);
        w.PropertyName("uid"u8); w.Number(n.Uid);
        w.PropertyName("gid"u8); w.Number(n.Gid);
        if (!string.IsNullOrEmpty(n.User)) { w.PropertyName("user"u8); w.String(n.User); }
        if (!string.IsNullOrEmpty(n.Group)) { w.PropertyName("group"u8); w.String(n.Group); }
        if (n.Inode != 0) { w.PropertyName("inode"u8); w.Number(n.Inode); }
        if (n.DeviceId != 0) { w.PropertyName("device_id"u8); w.Number(n.DeviceId); }
        if (n.Size != 0) { w.PropertyName("size"u8); w.Number(n.Size); }
        if (n.Links != 0) { w.PropertyName("links"u8); w.Number(n.Links); }
        if (n.LinkTarget is { Length: > 0 } target)
        {
            w.PropertyName("linktarget"u8); w.String(target);
            if (!System.Text.Unicode.Utf8.IsValid(target))
            {
                // restic >= 0.16 reads the raw bytes from here; older versions fall back to the lossy string.
                w.PropertyName("linktarget_raw"u8); w.String(Convert.ToBase64String(target));
            }
        }

        if (n.ExtendedAttributes is { Count: > 0 } xattrs)
        {
            w.PropertyName("extended_attributes"u8);
            w.StartArray();
            foreach (var a in xattrs)
            {
                w.StartObject();
                w.PropertyName("name"u8); w.String(a.Name);
                w.PropertyName("value"u8); w.String(Convert.ToBase64String(a.Value));
                w.EndObject();
            }

            w.EndArray();
        }

        if (n.Device != 0) { w.PropertyName("device"u8); w.Number(n.Device); }
        w.PropertyName("content"u8);
        if (n.Content is null)
        {
            w.Null();
        }
        else
        {
            w.StartArray();
            Span<byte> hex = stackalloc byte[Id.Size * 2];
            foreach (var id in n.Content)
            {
                id.FormatHexUtf8(hex);
                w.String(hex);
            }

            w.EndArray();
        }

        if (n.Subtree is { } subtree)
        {
            Span<byte> hex = stackalloc byte[Id.Size * 2];
            subtree.FormatHexUtf8(hex);
            w.PropertyName("subtree"u8);
            w.String(hex);
        }

        w.EndObject();
    }

    /// <summary>
    /// Reads a tree with a forward-only reader: no document is built, unknown fields are skipped. Refuses a document
    /// with <see cref="FormatException"/> or <see cref="JsonException"/> only (Repository.LoadTreeAsync maps both).
    /// </summary>
    public static List<Node> Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            return DecodeNodes(json);
        }
        catch (InvalidOperationException e) when (e.InnerException is System.Text.DecoderFallbackException)
        {
            // A string of the tree is not UTF-8 (found by fuzzing: the reader throws this, not a JsonException).
            throw new FormatException("tree has text that is not valid UTF-8", e);
        }
    }

    private static List<Node> DecodeNodes(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var nodes = new List<Node>();
        Expect(ref reader, JsonTokenType.StartObject);
        var sawNodes = false;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("nodes"u8))
            {
                reader.Skip();
                continue;
            }

            sawNodes = true;
            if (Next(ref reader) == JsonTokenType.Null)
            {
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FormatException("tree \"nodes\" is not an array");
            }

            while (Next(ref reader) == JsonTokenType.StartObject)
            {
                nodes.Add(ReadNode(ref reader));
            }
        }

        return sawNodes ? nodes : throw new FormatException("tree has no \"nodes\"");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("tree JSON ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new FormatException($"tree JSON: expected {type}, found {reader.TokenType}");
        }
    }

    private static Node ReadNode(ref Utf8JsonReader reader)
    {
        string? quotedName = null, typeName = null, user = null, group = null, linkTarget = null, linkTargetRaw = null;
        Id? subtree = null;
        ulong mode = 0, uid = 0, gid = 0, inode = 0, deviceId = 0, size = 0, links = 0, device = 0;
        NodeTime mtime = default, atime = default, ctime = default;
        List<ExtendedAttribute>? xattrs = null;
        List<Id>? content = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                quotedName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                typeName = ReadCommonString(ref reader);
            }
            else if (reader.ValueTextEquals("mode"u8))
            {
                mode = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("mtime"u8))
            {
                mtime = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("atime"u8))
            {
                atime = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("ctime"u8))
            {
                ctime = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("uid"u8))
            {
                uid = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("gid"u8))
            {
                gid = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("user"u8))
            {
                user = ReadCommonString(ref reader);
            }
            else if (reader.ValueTextEquals("group"u8))
            {
                group = ReadCommonString(ref reader);
            }
            else if (reader.ValueTextEquals("inode"u8))
            {
                inode = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("device_id"u8))
            {
                deviceId = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("size"u8))
            {
                size = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("links"u8))
            {
                links = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("linktarget"u8))
            {
                linkTarget = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("linktarget_raw"u8))
            {
                linkTargetRaw = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("device"u8))
            {
                device = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("subtree"u8))
            {
                subtree = ReadId(ref reader);
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                content = ReadIds(ref reader);
            }
            else if (reader.ValueTextEquals("extended_attributes"u8))
            {
                xattrs = ReadXattrs(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        if (quotedName is null)
        {
            throw new FormatException("node without a name");
        }

        var name = GoQuote.TryUnquote(quotedName, out var raw) ? raw : Encoding.UTF8.GetBytes(quotedName);
        if (!NodeTypes.TryParse(typeName, out var type))
        {
            throw new FormatException($"node '{quotedName}' has an unknown type '{typeName}'");
        }

        return new Node
        {
            Name = name,
            Type = type,
            Mode = (uint)mode,
            ModTime = mtime,
            AccessTime = atime,
            ChangeTime = ctime,
            Uid = (uint)uid,
            Gid = (uint)gid,
            User = user,
            Group = group,
            Inode = inode,
            DeviceId = deviceId,
            Size = size,
            Links = links,
            LinkTarget = linkTargetRaw is not null ? Convert.FromBase64String(linkTargetRaw) : linkTarget is not null ? Encoding.UTF8.GetBytes(linkTarget) : null,
            ExtendedAttributes = xattrs,
            Device = device,
            Content = content,
            Subtree = subtree,
        };
    }

    /// <summary>A string value, or null for JSON null (any other type is skipped as if absent).</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static ulong ReadNumber(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token == JsonTokenType.Number && reader.TryGetUInt64(out var value))
        {
            return value;
        }

        reader.Skip();
        return 0;
    }

    /// <summary>
    /// A string that repeats across nodes (a type, user or group name): the same instance is handed out for the same
    /// bytes, so a tree of thousands of files does not hold thousands of copies of "root".
    /// </summary>
    private static string? ReadCommonString(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 64)
        {
            return reader.GetString();
        }

        var recent = t_commonStrings ??= new (byte[], string)[8];
        var value = reader.ValueSpan;
        foreach (var (bytes, text) in recent)
        {
            if (bytes is not null && value.SequenceEqual(bytes))
            {
                return text;
            }
        }

        var made = reader.GetString()!;
        recent[t_nextCommonString] = (value.ToArray(), made);
        t_nextCommonString = (t_nextCommonString + 1) % recent.Length;
        return made;
    }

    [ThreadStatic]
    private static (byte[] Bytes, string Text)[]? t_commonStrings;

    [ThreadStatic]
    private static int t_nextCommonString;

    private static Id? ReadId(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return IdValue(ref reader, "subtree is not 64 hexadecimal characters");
    }

    /// <summary>The ID in the string token the reader is on, parsed in place.</summary>
    private static Id IdValue(ref Utf8JsonReader reader, string whenNotAnId)
    {
        // 64 hex digits never need escaping, so an escaped or split value is not an ID either.
        return !reader.HasValueSequence && !reader.ValueIsEscaped && Id.TryParseUtf8(reader.ValueSpan, out var id)
            ? id
            : throw new FormatException(whenNotAnId);
    }

    /// <summary>A time, parsed from the reader's buffer without making a string.</summary>
    private static NodeTime ReadTime(ref Utf8JsonReader reader)
    {
        var token = Next(ref reader);
        if (token != JsonTokenType.String)
        {
            reader.Skip();
            return default;
        }

        Span<char> text = stackalloc char[64];
        if (reader.HasValueSequence || reader.ValueSpan.Length > text.Length)
        {
            return reader.GetString() is { } longText && NodeTime.TryParse(longText, out var parsed) ? parsed : default;
        }

        var n = reader.CopyString(text);
        return NodeTime.TryParse(text[..n], out var time) ? time : default;
    }

    private static List<Id>? ReadIds(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var ids = new List<Id>();
        while (Next(ref reader) == JsonTokenType.String)
        {
            ids.Add(IdValue(ref reader, "content names a blob ID that is not 64 hexadecimal characters"));
        }

        return ids;
    }

    private static List<ExtendedAttribute>? ReadXattrs(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var list = new List<ExtendedAttribute>();
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            string? name = null;
            byte[] value = [];
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    name = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    value = ReadString(ref reader) is { } b64 ? Convert.FromBase64String(b64) : [];
                }
                else
                {
                    reader.Skip();
                }
            }

            list.Add(new ExtendedAttribute(name ?? "", value));
        }

        return list;
    }
}
