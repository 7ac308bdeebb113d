namespace Cairn.Space.Agents;

/// <summary>
/// Something the owner asked an instance's agent to do (back up now, cancel a run, restore). It is sent with every
/// sync until an agent acknowledges it; <see cref="Payload"/> holds a restore's options as the protocol's JSON.
/// </summary>
public sealed class AgentCommand
{
    private AgentCommand()
    {
    }

    public AgentCommand(Guid id, Guid instanceId, string kind, Guid? planId, Guid? runId, string? payload, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        Id = id;
        InstanceId = instanceId;
        Kind = kind;
        PlanId = planId;
        RunId = runId;
        Payload = payload;
        CreatedAt = createdAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }

    /// <summary>When set, only this agent receives the command; otherwise any agent of the instance.</summary>
    public Guid? AgentId { get; private set; }

    public string Kind { get; private set; } = "";
    public Guid? PlanId { get; private set; }
    public Guid? RunId { get; private set; }
    public string? Payload { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public Guid? AcknowledgedBy { get; private set; }
}

/// <summary>The protocol's command kinds.</summary>
public static class AgentCommandKinds
{
    public const string BackupNow = "backupNow";
    public const string Cancel = "cancel";
    public const string Restore = "restore";
}
