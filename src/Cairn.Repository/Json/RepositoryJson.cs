using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cairn.Repository.Json;

/// <summary>The one set of JSON options for every repository document (snake_case names come from attributes).</summary>
public static class RepositoryJson
{
    /// <summary>The documents' metadata, bound to <see cref="Options"/> (the context becomes the options' resolver).</summary>
    public static readonly RepositoryJsonContext Context = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new NodeTimeJsonConverter(), new IdJsonConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Options for repository JSON, from the source-generated context.</summary>
    public static readonly JsonSerializerOptions Options = Context.Options;

    /// <summary>Serializes with the source-generated context (no reflection, AOT-safe).</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <summary>Writes the same bytes as <see cref="Serialize{T}(T)"/> into a buffer writer.</summary>
    public static void Serialize<T>(System.Buffers.IBufferWriter<byte> destination, T value)
    {
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions
        {
            Encoder = Options.Encoder,
            Indented = Options.WriteIndented,
            MaxDepth = Options.MaxDepth,
            SkipValidation = true,
        });
        JsonSerializer.Serialize(writer, value, TypeInfo<T>());
    }

    /// <summary>Deserializes, naming <paramref name="what"/> in the error when the JSON is malformed.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what) =>
        JsonSerializer.Deserialize(json, TypeInfo<T>()) ?? throw new JsonException($"{what} is empty");

    /// <summary>
    /// Metadata for a document type; only types registered in <see cref="RepositoryJsonContext"/> have it, and any
    /// other type fails here (NotSupportedException) instead of falling back to reflection.
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
