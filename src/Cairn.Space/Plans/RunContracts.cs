namespace Cairn.Space.Plans;

/// <summary>A run's state as <c>PUT /agent/runs/{runId}</c> sends it (docs/agent-protocol.md, "Runs").</summary>
public sealed record RunReportRequest(
    Guid? PlanId,
    string? Kind,
    string? Trigger,
    string? Phase,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    RunProgressRequest? Progress,
    RunResultRequest? Result);

public sealed record RunProgressRequest(long FilesDone, long FilesTotal, long BytesDone, long BytesTotal, long BytesPerSecond, long? EtaSeconds);

public sealed record RunResultRequest(string? SnapshotId, long Files, long BytesAdded, long BytesStored, string[]? Warnings, string? Error);

/// <summary>A run as the owner routes answer it.</summary>
public sealed record RunResponse(
    Guid Id,
    Guid PlanId,
    Guid AgentId,
    string Kind,
    string Trigger,
    string Phase,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    RunProgress Progress,
    RunResult Result,
    DateTimeOffset UpdatedAt)
{
    public static RunResponse From(PlanRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var report = run.ToReport();
        return new(run.Id, run.PlanId, run.AgentId, run.Kind, run.Trigger, run.Phase, run.StartedAt, run.EndedAt, report.Progress,
            report.Result, run.UpdatedAt);
    }
}
