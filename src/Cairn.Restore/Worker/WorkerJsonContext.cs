using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Restore.Worker;

/// <summary>
/// The worker protocol's JSON headers, generated at build time: the native <c>cairn</c> has no reflection-based JSON,
/// and both sides must read and write the very same shapes.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StartMessage))]
[JsonSerializable(typeof(CallMessage))]
[JsonSerializable(typeof(ReplyMessage))]
[JsonSerializable(typeof(EventMessage))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
