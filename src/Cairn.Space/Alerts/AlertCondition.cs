namespace Cairn.Space.Alerts;

/// <summary>One rule firing for one subject right now, with the words its alert carries.</summary>
public sealed record AlertCondition(string Rule, Guid SubjectId, Guid AccountId, string Instance, string? Plan, string Message)
{
    /// <summary>The incident's key while open: the rule and its subject.</summary>
    public string Key => KeyOf(Rule, SubjectId);

    public static string KeyOf(string rule, Guid subjectId) => $"{rule}:{subjectId:N}";
}

/// <summary>The rules' names, as the API, the webhook body and the console show them.</summary>
public static class AlertRules
{
    public const string MissedBackup = "missed-backup";
    public const string FailedRun = "failed-run";
    public const string AgentSilent = "agent-silent";
    public const string Usage80 = "usage-80";
    public const string Usage100 = "usage-100";

    public static readonly string[] All = [MissedBackup, FailedRun, AgentSilent, Usage80, Usage100];

    /// <summary>What the console calls each rule.</summary>
    public static string Title(string rule) => rule switch
    {
        MissedBackup => "Backup overdue",
        FailedRun => "Backup failed",
        AgentSilent => "Agent not seen",
        Usage80 => "Usage past 80% of the free allowance",
        Usage100 => "Usage past the free allowance",
        _ => rule,
    };

    /// <summary>The words of a "resolved" message.</summary>
    public static string ResolvedMessage(AlertIncident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.Rule switch
        {
            MissedBackup => $"Plan '{incident.Plan}' on instance '{incident.Instance}' is no longer overdue: a backup completed, or the plan was paused or removed.",
            FailedRun => $"Plan '{incident.Plan}' on instance '{incident.Instance}' completed a backup after the failure (or the plan was removed).",
            AgentSilent => $"The agent on instance '{incident.Instance}' is in touch again (or was revoked).",
            Usage80 => $"Instance '{incident.Instance}' is below 80% of its free allowance again (or was removed).",
            Usage100 => $"Instance '{incident.Instance}' is within its free allowance again (or was removed).",
            _ => "Resolved.",
        };
    }
}
