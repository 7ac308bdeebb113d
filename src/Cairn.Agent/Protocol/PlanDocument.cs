namespace Cairn.Agent.Protocol;

/// <summary>A backup plan as Space sends it (docs/agent-protocol.md, "Plans").</summary>
public sealed record PlanDocument
{
    public required string Id { get; init; }

    public string Name { get; init; } = "";

    public required string Task { get; init; }

    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Excludes { get; init; } = [];

    public bool OneFileSystem { get; init; }

    public string? PreCommand { get; init; }

    public string? PostCommand { get; init; }

    public int HookTimeoutSeconds { get; init; } = 300;

    public bool HookFailureAborts { get; init; } = true;

    public required ScheduleDocument Schedule { get; init; }

    public string TimeZone { get; init; } = "UTC";

    public WindowDocument? Window { get; init; }

    public long? UploadLimitKiBps { get; init; }

    public RetentionDocument? Retention { get; init; }

    public PruneDocument? Prune { get; init; }

    public bool Paused { get; init; }

    public long Revision { get; init; }
}

/// <summary>When a plan runs: <c>kind</c> is hourly, daily, weekly, monthly or cron.</summary>
public sealed record ScheduleDocument
{
    public required string Kind { get; init; }

    public int? Minute { get; init; }

    public string? Time { get; init; }

    public string? Weekday { get; init; }

    public int? DayOfMonth { get; init; }

    public string? Cron { get; init; }
}

/// <summary>The local hours (HH:MM to HH:MM, may cross midnight) a run may start in.</summary>
public sealed record WindowDocument(string Start, string End);

/// <summary>restic's forget policy.</summary>
public sealed record RetentionDocument
{
    public int KeepLast { get; init; }

    public int KeepHourly { get; init; }

    public int KeepDaily { get; init; }

    public int KeepWeekly { get; init; }

    public int KeepMonthly { get; init; }

    public int KeepYearly { get; init; }

    public string? KeepWithin { get; init; }

    public IReadOnlyList<string> KeepTags { get; init; } = [];
}

public sealed record PruneDocument
{
    public required ScheduleDocument Schedule { get; init; }

    public string MaxUnused { get; init; } = "5%";
}
