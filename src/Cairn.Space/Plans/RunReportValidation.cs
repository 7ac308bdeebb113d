namespace Cairn.Space.Plans;

/// <summary>Checks a run report from an agent and brings it to the form it is stored in.</summary>
public static class RunReportValidation
{
    public const int MaxWarnings = 1000;
    public const int MaxTextLength = 4096;

    public static RunReport Validate(RunReportRequest? request)
    {
        if (request is null)
        {
            throw Bad("body", "a run's state is required");
        }

        var planId = request.PlanId ?? throw Bad("planId", "is required");
        var kind = OneOf("kind", request.Kind, RunPhases.Kinds);
        var trigger = OneOf("trigger", request.Trigger, RunPhases.Triggers);
        var phase = OneOf("phase", request.Phase, RunPhases.Phases);
        var startedAt = Moment(request.StartedAt ?? throw Bad("startedAt", "is required"));
        var endedAt = request.EndedAt is { } ended ? Moment(ended) : (DateTimeOffset?)null;
        var p = request.Progress ?? new RunProgressRequest(0, 0, 0, 0, 0, null);
        if (p.FilesDone < 0 || p.FilesTotal < 0 || p.BytesDone < 0 || p.BytesTotal < 0 || p.BytesPerSecond < 0 || p.EtaSeconds < 0)
        {
            throw Bad("progress", "counters are 0 or more");
        }

        var r = request.Result ?? new RunResultRequest(null, 0, 0, 0, null, null);
        if (r.Files < 0 || r.BytesAdded < 0 || r.BytesStored < 0)
        {
            throw Bad("result", "counters are 0 or more");
        }

        if (r.SnapshotId is { Length: > 64 })
        {
            throw Bad("result.snapshotId", "is at most 64 characters");
        }

        var warnings = r.Warnings ?? [];
        if (warnings.Length > MaxWarnings || warnings.Any(w => w is null || w.Length > MaxTextLength))
        {
            throw Bad("result.warnings", $"at most {MaxWarnings} warnings of at most {MaxTextLength} characters");
        }

        if (r.Error is { Length: > MaxTextLength })
        {
            throw Bad("result.error", $"is at most {MaxTextLength} characters");
        }

        return new RunReport(planId, kind, trigger, phase, startedAt, endedAt,
            new RunProgress(p.FilesDone, p.FilesTotal, p.BytesDone, p.BytesTotal, p.BytesPerSecond, p.EtaSeconds),
            new RunResult(r.SnapshotId, r.Files, r.BytesAdded, r.BytesStored, warnings, r.Error));
    }

    // Kept to the millisecond, which both databases hold exactly (PostgreSQL keeps microseconds, Space's SQLite
    // dates a tenth of a millisecond): a report sent again must compare equal to what was stored from it.
    private static DateTimeOffset Moment(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.UtcTicks - (utc.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    private static string OneOf(string field, string? value, string[] words)
        => value is not null && words.Contains(value, StringComparer.Ordinal) ? value : throw Bad(field, $"is one of {string.Join(", ", words)}");

    private static DomainRuleException Bad(string field, string message) => new($"{field}: {message}");
}
