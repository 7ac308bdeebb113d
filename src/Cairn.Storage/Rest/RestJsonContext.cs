using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Storage;

/// <summary>Compile-time metadata for reading listings element by element without reflection (Native AOT).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
