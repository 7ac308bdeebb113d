namespace Cairn.Space.Alerts;

/// <summary>
/// An account's alert settings: the grace past a plan's interval before a missed backup alerts (null: twice the
/// interval) and how long an agent may stay silent. A missing row means the defaults.
/// </summary>
public sealed class AlertPreferences
{
    public static readonly TimeSpan DefaultAgentSilence = TimeSpan.FromDays(1);

    private AlertPreferences()
    {
    }

    public AlertPreferences(Guid accountId)
    {
        AccountId = accountId;
        AgentSilenceMinutes = (int)DefaultAgentSilence.TotalMinutes;
    }

    public Guid AccountId { get; private set; }
    public int? MissedBackupGraceMinutes { get; private set; }
    public int AgentSilenceMinutes { get; private set; }

    public void Set(int? missedBackupGraceMinutes, int agentSilenceMinutes)
    {
        MissedBackupGraceMinutes = missedBackupGraceMinutes;
        AgentSilenceMinutes = agentSilenceMinutes;
    }
}

/// <summary>One plan's own grace, overriding its account's (kept beside the plan, not in it: alerts own it).</summary>
public sealed class PlanAlertGrace
{
    private PlanAlertGrace()
    {
    }

    public PlanAlertGrace(Guid planId, Guid accountId, int graceMinutes)
    {
        PlanId = planId;
        AccountId = accountId;
        GraceMinutes = graceMinutes;
    }

    public Guid PlanId { get; private set; }
    public Guid AccountId { get; private set; }
    public int GraceMinutes { get; private set; }

    public void Set(int graceMinutes) => GraceMinutes = graceMinutes;
}
