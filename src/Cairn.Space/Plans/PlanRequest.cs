namespace Cairn.Space.Plans;

/// <summary>A plan as <c>POST</c> and <c>PUT /instances/{instance}/plans</c> carry it; <see cref="PlanValidation"/> checks it.</summary>
public sealed record PlanRequest(
    string? Name,
    string? Task,
    string[]? Paths,
    string[]? Excludes,
    bool? OneFileSystem,
    string? PreCommand,
    string? PostCommand,
    int? HookTimeoutSeconds,
    bool? HookFailureAborts,
    PlanSchedule? Schedule,
    string? TimeZone,
    PlanWindow? Window,
    int? UploadLimitKiBps,
    PlanRetention? Retention,
    PlanPrune? Prune,
    bool? Paused);

/// <summary>A plan as the owner routes and the agent's sync answer it (docs/agent-protocol.md, "Plans").</summary>
public sealed record PlanResponse(
    Guid Id,
    string Name,
    string Task,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> Excludes,
    bool OneFileSystem,
    string? PreCommand,
    string? PostCommand,
    int HookTimeoutSeconds,
    bool HookFailureAborts,
    PlanSchedule Schedule,
    string TimeZone,
    PlanWindow? Window,
    int? UploadLimitKiBps,
    PlanRetention Retention,
    PlanPrune? Prune,
    bool Paused,
    long Revision)
{
    public static PlanResponse From(BackupPlan p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Name, p.Task, p.Paths, p.Excludes, p.OneFileSystem, p.PreCommand, p.PostCommand, p.HookTimeoutSeconds,
            p.HookFailureAborts, p.Schedule, p.TimeZone, p.Window, p.UploadLimitKiBps, p.Retention, p.Prune, p.Paused, p.Revision);
    }
}
