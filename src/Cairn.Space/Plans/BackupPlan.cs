namespace Cairn.Space.Plans;

/// <summary>
/// What, when and how long to keep for one backup task of an instance; <c>cairn agent</c> on the instance runs it.
/// A plan is removed softly (<see cref="DeletedAt"/>), so its run history stays readable.
/// </summary>
public sealed class BackupPlan
{
    private BackupPlan()
    {
    }

    public BackupPlan(Guid id, Guid instanceId, PlanDefinition definition, long revision, DateTimeOffset now)
    {
        Id = id;
        InstanceId = instanceId;
        CreatedAt = now.ToUniversalTime();
        Apply(definition, revision, now);
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string Name { get; private set; } = "";
    public string Task { get; private set; } = "";
    public IReadOnlyList<string> Paths { get; private set; } = [];
    public IReadOnlyList<string> Excludes { get; private set; } = [];
    public bool OneFileSystem { get; private set; }
    public string? PreCommand { get; private set; }
    public string? PostCommand { get; private set; }
    public int HookTimeoutSeconds { get; private set; }
    public bool HookFailureAborts { get; private set; }
    public PlanSchedule Schedule { get; private set; } = new("daily");
    public string TimeZone { get; private set; } = "UTC";
    public PlanWindow? Window { get; private set; }
    public int? UploadLimitKiBps { get; private set; }
    public PlanRetention Retention { get; private set; } = new();
    public PlanPrune? Prune { get; private set; }
    public bool Paused { get; private set; }

    /// <summary>The instance's plan revision at this plan's last change.</summary>
    public long Revision { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Takes a validated definition (see <see cref="PlanValidation"/>) as the plan's new content.</summary>
    public void Apply(PlanDefinition definition, long revision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Name = definition.Name;
        Task = definition.Task;
        Paths = definition.Paths;
        Excludes = definition.Excludes;
        OneFileSystem = definition.OneFileSystem;
        PreCommand = definition.PreCommand;
        PostCommand = definition.PostCommand;
        HookTimeoutSeconds = definition.HookTimeoutSeconds;
        HookFailureAborts = definition.HookFailureAborts;
        Schedule = definition.Schedule;
        TimeZone = definition.TimeZone;
        Window = definition.Window;
        UploadLimitKiBps = definition.UploadLimitKiBps;
        Retention = definition.Retention;
        Prune = definition.Prune;
        Touch(revision, now);
    }

    public void SetPaused(bool paused, long revision, DateTimeOffset now)
    {
        Paused = paused;
        Touch(revision, now);
    }

    public void Delete(long revision, DateTimeOffset now)
    {
        DeletedAt ??= now.ToUniversalTime();
        Touch(revision, now);
    }

    private void Touch(long revision, DateTimeOffset now)
    {
        Revision = revision;
        UpdatedAt = now.ToUniversalTime();
    }
}

/// <summary>A plan's content as the owner sets it, after validation: every field present and in range.</summary>
public sealed record PlanDefinition(
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
    PlanPrune? Prune);
