using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Repository.Format;

namespace Cairn.Repository.Json;

/// <summary>Reads and writes <see cref="NodeTime"/> as Go's RFC3339Nano string.</summary>
internal sealed class NodeTimeJsonConverter : JsonConverter<NodeTime>
{
    public override NodeTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        NodeTime.TryParse(reader.GetString() ?? "", out var t) ? t : throw new JsonException("not an RFC 3339 time");

    public override void Write(Utf8JsonWriter writer, NodeTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>Reads and writes <see cref="Id"/> as 64 lowercase hexadecimal characters.</summary>
internal sealed class IdJsonConverter : JsonConverter<Id>
{
    public override Id Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Id.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("not a 64-character hexadecimal ID");

    public override void Write(Utf8JsonWriter writer, Id value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
