namespace Cairn.Space.Alerts;

/// <summary>
/// One incident of one rule for one subject (a plan, an agent, an instance): opened once when the rule starts to
/// fire, resolved once when it clears. While open, <see cref="OpenKey"/> (rule and subject) is set and unique in the
/// database, so two replicas evaluating at once never open it twice; resolving clears it.
/// </summary>
public sealed class AlertIncident
{
    public const int MaxKeyLength = 100;
    public const int MaxMessageLength = 1000;

    private AlertIncident()
    {
    }

    public AlertIncident(Guid id, AlertCondition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Id = id;
        AccountId = condition.AccountId;
        Rule = condition.Rule;
        SubjectId = condition.SubjectId;
        OpenKey = condition.Key;
        Instance = condition.Instance;
        Plan = condition.Plan;
        // A run's error may be long; the message keeps its start (the column is bounded on PostgreSQL).
        Message = condition.Message.Length > MaxMessageLength ? condition.Message[..(MaxMessageLength - 1)] + "…" : condition.Message;
        OpenedAt = now.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }

    /// <summary>One of <see cref="AlertRules"/>' names.</summary>
    public string Rule { get; private set; } = "";

    public Guid SubjectId { get; private set; }
    public string? OpenKey { get; private set; }
    public string Instance { get; private set; } = "";
    public string? Plan { get; private set; }
    public string Message { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedMessage { get; private set; }
}
