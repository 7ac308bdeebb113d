using System.Text.Json.Serialization;

namespace Cairn.Agent.Protocol;

/// <summary>The whole state of one run, as <c>PUT /agent/runs/{runId}</c> takes it (and as the journal keeps it).</summary>
public sealed record RunReport
{
    public required string PlanId { get; init; }

    public required string Kind { get; init; }

    public required string Trigger { get; init; }

    public required string Phase { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public RunProgress Progress { get; init; } = new();

    public RunResult Result { get; init; } = new();

    [JsonIgnore]
    public bool HasEnded => RunPhases.IsEnded(Phase);
}

public sealed record RunProgress
{
    public long FilesDone { get; init; }

    public long FilesTotal { get; init; }

    public long BytesDone { get; init; }

    public long BytesTotal { get; init; }

    public long BytesPerSecond { get; init; }

    public long? EtaSeconds { get; init; }
}

public sealed record RunResult
{
    public string? SnapshotId { get; init; }

    public long Files { get; init; }

    public long BytesAdded { get; init; }

    public long BytesStored { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string? Error { get; init; }
}

public static class RunKinds
{
    public const string Backup = "backup";
    public const string Forget = "forget";
    public const string Prune = "prune";
    public const string Restore = "restore";
}

public static class RunTriggers
{
    public const string Schedule = "schedule";
    public const string Manual = "manual";
    public const string CatchUp = "catchUp";
    public const string Resume = "resume";
}

public static class RunPhases
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Interrupted = "interrupted";

    public static bool IsEnded(string phase) => phase is Completed or Failed or Canceled or Interrupted;
}
