using System.Text.Json.Serialization;
using Cairn.Repository.Format;

namespace Cairn.Repository.Json;

/// <summary>
/// Compile-time JSON metadata for every repository document (config, keys, master key, snapshots, index files,
/// locks), so reading and writing them needs no reflection and works in the Native AOT build of the CLI.
/// Metadata mode only: names and ignore rules then come from the runtime <see cref="RepositoryJson.Options"/>,
/// exactly as they did under reflection. Tree blobs are not here: <see cref="GoJsonWriter"/> writes them.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(RepositoryConfig))]
[JsonSerializable(typeof(KeyFile))]
[JsonSerializable(typeof(MasterKeyJson))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(IndexFile))]
[JsonSerializable(typeof(LockFile))]
public sealed partial class RepositoryJsonContext : JsonSerializerContext;
