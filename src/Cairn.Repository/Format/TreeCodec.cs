using System.Buffers;
using System.Text;
using System.Text.Json;
using Cairn.Repository.Json;

namespace Cairn.Repository.Format;

/// <summary>
/// Encodes a tree blob exactly as restic does (Go encoding/json field order and escaping, names Go-quoted,
/// nodes sorted by raw name, a trailing newline) and decodes any tree restic or Cairn wrote (docs/format.md, "Trees").
/// </summary>
public static class TreeCodec
{
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
        w.PropertyName("mtime"u8); w.String(n.ModTime.ToString());
        w.PropertyName("atime"u8); w.String(n.AccessTime.ToString());
        w.PropertyName("ctime"u8); w.String(n.ChangeTime.ToString());
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
            foreach (var id in n.Content)
            {
                w.String(id.ToString());
            }

            w.EndArray();
        }

        if (n.Subtree is { } subtree) { w.PropertyName("subtree"u8); w.String(subtree.ToString()); }
        w.EndObject();
    }

    public static List<Node> Decode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var doc = JsonDocument.ParseValue(ref reader);
        if (!doc.RootElement.TryGetProperty("nodes", out var nodesElement))
        {
            throw new FormatException("tree has no \"nodes\"");
        }

        var nodes = new List<Node>(nodesElement.ValueKind == JsonValueKind.Array ? nodesElement.GetArrayLength() : 0);
        if (nodesElement.ValueKind != JsonValueKind.Array)
        {
            return nodes;
        }

        foreach (var e in nodesElement.EnumerateArray())
        {
            nodes.Add(ReadNode(e));
        }

        return nodes;
    }

    private static Node ReadNode(JsonElement e)
    {
        var quotedName = Str(e, "name") ?? throw new FormatException("node without a name");
        var name = GoQuote.TryUnquote(quotedName, out var raw) ? raw : Encoding.UTF8.GetBytes(quotedName);
        if (!NodeTypes.TryParse(Str(e, "type"), out var type))
        {
            throw new FormatException($"node '{quotedName}' has an unknown type '{Str(e, "type")}'");
        }

        byte[]? linkTarget = null;
        if (Str(e, "linktarget_raw") is { } rawTarget)
        {
            linkTarget = Convert.FromBase64String(rawTarget);
        }
        else if (Str(e, "linktarget") is { } target)
        {
            linkTarget = Encoding.UTF8.GetBytes(target);
        }

        List<ExtendedAttribute>? xattrs = null;
        if (e.TryGetProperty("extended_attributes", out var xa) && xa.ValueKind == JsonValueKind.Array)
        {
            xattrs = [];
            foreach (var a in xa.EnumerateArray())
            {
                var value = a.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetBytesFromBase64() : [];
                xattrs.Add(new ExtendedAttribute(Str(a, "name") ?? "", value));
            }
        }

        List<Id>? content = null;
        if (e.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Array)
        {
            content = new List<Id>(c.GetArrayLength());
            foreach (var id in c.EnumerateArray())
            {
                content.Add(Id.Parse(id.GetString()));
            }
        }

        return new Node
        {
            Name = name,
            Type = type,
            Mode = (uint)U64(e, "mode"),
            ModTime = Time(e, "mtime"),
            AccessTime = Time(e, "atime"),
            ChangeTime = Time(e, "ctime"),
            Uid = (uint)U64(e, "uid"),
            Gid = (uint)U64(e, "gid"),
            User = Str(e, "user"),
            Group = Str(e, "group"),
            Inode = U64(e, "inode"),
            DeviceId = U64(e, "device_id"),
            Size = U64(e, "size"),
            Links = U64(e, "links"),
            LinkTarget = linkTarget,
            ExtendedAttributes = xattrs,
            Device = U64(e, "device"),
            Content = content,
            Subtree = Str(e, "subtree") is { } s ? Id.Parse(s) : null,
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static ulong U64(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var u) ? u : 0;

    private static NodeTime Time(JsonElement e, string name) =>
        Str(e, name) is { } s && NodeTime.TryParse(s, out var t) ? t : default;
}
