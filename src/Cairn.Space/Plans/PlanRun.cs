namespace Cairn.Space.Plans;

/// <summary>
/// One backup, forget, prune or restore an agent ran for a plan, as the agent last reported it. The agent names the
/// run (a GUID it makes), so a report sent twice, or replayed from its journal, changes nothing.
/// </summary>
public sealed class PlanRun
{
    private PlanRun()
    {
    }

    public PlanRun(Guid id, Guid instanceId, Guid agentId, RunReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        Id = id;
        InstanceId = instanceId;
        AgentId = agentId;
        PlanId = report.PlanId;
        Kind = report.Kind;
        Trigger = report.Trigger;
        CreatedAt = now.ToUniversalTime();
        Record(report, now);
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public Guid AgentId { get; private set; }
    public Guid PlanId { get; private set; }
    public string Kind { get; private set; } = "";
    public string Trigger { get; private set; } = "";
    public string Phase { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public long FilesDone { get; private set; }
    public long FilesTotal { get; private set; }
    public long BytesDone { get; private set; }
    public long BytesTotal { get; private set; }
    public long BytesPerSecond { get; private set; }
    public long? EtaSeconds { get; private set; }
    public string? SnapshotId { get; private set; }
    public long Files { get; private set; }
    public long BytesAdded { get; private set; }
    public long BytesStored { get; private set; }
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    public string? Error { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Raised on every update; a concurrency token, so two replicas never both update one run's old state.</summary>
    public int Version { get; private set; }

    public bool HasEnded => RunPhases.IsEnded(Phase);

    /// <summary>The run's state as the agent reports it, to compare a new report with.</summary>
    public RunReport ToReport() => new(PlanId, Kind, Trigger, Phase, StartedAt, EndedAt,
        new RunProgress(FilesDone, FilesTotal, BytesDone, BytesTotal, BytesPerSecond, EtaSeconds),
        new RunResult(SnapshotId, Files, BytesAdded, BytesStored, Warnings, Error));

    public void Record(RunReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (HasEnded)
        {
            throw new InvalidOperationException("an ended run is never changed");
        }

        Phase = report.Phase;
        StartedAt = report.StartedAt;
        EndedAt = report.EndedAt;
        FilesDone = report.Progress.FilesDone;
        FilesTotal = report.Progress.FilesTotal;
        BytesDone = report.Progress.BytesDone;
        BytesTotal = report.Progress.BytesTotal;
        BytesPerSecond = report.Progress.BytesPerSecond;
        EtaSeconds = report.Progress.EtaSeconds;
        SnapshotId = report.Result.SnapshotId;
        Files = report.Result.Files;
        BytesAdded = report.Result.BytesAdded;
        BytesStored = report.Result.BytesStored;
        Warnings = report.Result.Warnings;
        Error = report.Result.Error;
        UpdatedAt = now.ToUniversalTime();
        Version++;
    }
}

/// <summary>A run's whole state as <c>PUT /agent/runs/{runId}</c> carries it, validated and normalised.</summary>
public sealed record RunReport(
    Guid PlanId,
    string Kind,
    string Trigger,
    string Phase,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    RunProgress Progress,
    RunResult Result)
{
    /// <summary>Same content; lists compared item by item.</summary>
    public bool SameAs(RunReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var none = Array.Empty<string>();
        return this with { Result = Result with { Warnings = none } } == other with { Result = other.Result with { Warnings = none } }
               && Result.Warnings.SequenceEqual(other.Result.Warnings, StringComparer.Ordinal);
    }
}

public sealed record RunProgress(long FilesDone, long FilesTotal, long BytesDone, long BytesTotal, long BytesPerSecond, long? EtaSeconds);

public sealed record RunResult(string? SnapshotId, long Files, long BytesAdded, long BytesStored, IReadOnlyList<string> Warnings, string? Error);

/// <summary>The words of the protocol for a run's kind, trigger and phase.</summary>
public static class RunPhases
{
    public static readonly string[] Kinds = ["backup", "forget", "prune", "restore"];
    public static readonly string[] Triggers = ["schedule", "manual", "catchUp", "resume"];
    public static readonly string[] Phases = ["pending", "running", "completed", "failed", "canceled", "interrupted"];
    private static readonly string[] Ended = ["completed", "failed", "canceled", "interrupted"];

    public static bool IsEnded(string phase) => Ended.Contains(phase, StringComparer.Ordinal);
}
