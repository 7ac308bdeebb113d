using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Agent.Journal;
using Cairn.Agent.State;

namespace Cairn.Agent.Protocol;

/// <summary>Source-generated JSON for the protocol and the state folder (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EnrollRequest))]
[JsonSerializable(typeof(EnrollResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(SyncResponse))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(AgentIdentity))]
[JsonSerializable(typeof(JournalEntry))]
[JsonSerializable(typeof(Dictionary<string, DateTimeOffset>))]
public sealed partial class AgentJsonContext : JsonSerializerContext;
