using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Cli.Commands;
using Cairn.Repository.Json;

namespace Cairn.Cli;

/// <summary>
/// Compile-time metadata for everything the CLI prints with --json, so the Native AOT build needs no reflection.
/// Metadata mode only: names, null handling and escaping come from the runtime options of <see cref="Lines"/> and
/// <see cref="Plain"/>, exactly as they did under reflection.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(InitializedJson))]
[JsonSerializable(typeof(BackupSummaryJson))]
[JsonSerializable(typeof(RestoreSummaryJson))]
[JsonSerializable(typeof(RestoreItemJson))]
[JsonSerializable(typeof(CheckSummaryJson))]
[JsonSerializable(typeof(ListedFileJson))]
[JsonSerializable(typeof(ListedBlobJson))]
[JsonSerializable(typeof(RestoreSizeStatsJson))]
[JsonSerializable(typeof(RawDataStatsJson))]
[JsonSerializable(typeof(KeySavedJson))]
[JsonSerializable(typeof(List<KeyListEntryJson>))]
[JsonSerializable(typeof(LsNodeJson))]
[JsonSerializable(typeof(UnlockJson))]
[JsonSerializable(typeof(VersionJson))]
[JsonSerializable(typeof(IndexRepairJson))]
[JsonSerializable(typeof(SnapshotRepairJson))]
[JsonSerializable(typeof(DiffChangeJson))]
[JsonSerializable(typeof(DiffStatisticsJson))]
[JsonSerializable(typeof(PruneSummaryJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>--json lines: the repository's options (converters, relaxed escaping) with snake_case names, nulls left out.</summary>
    public static CliJsonContext Lines { get; } = new(new JsonSerializerOptions(RepositoryJson.Options)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    });

    /// <summary>The serializer's defaults (declared names, nulls written, default escaping), as key list --json has always printed.</summary>
    public static CliJsonContext Plain { get; } = new(new JsonSerializerOptions());
}
