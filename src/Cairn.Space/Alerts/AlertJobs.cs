using Cairn.Space.Cluster;

namespace Cairn.Space.Alerts;

/// <summary>
/// One tick of the alert monitor on one replica: the rules are evaluated when the cluster's interval is due and this
/// replica took it (<see cref="PeriodicSchedule"/>); the outbox is sent on every tick, claim by claim.
/// </summary>
public sealed class AlertJobs(PeriodicSchedule schedule, FiringConditions conditions, IncidentBook incidents, AlertOutbox outbox,
    AlertSettings settings)
{
    public async Task<AlertTick> RunDueAsync(CancellationToken cancellationToken)
    {
        var evaluated = await schedule.TryTakeAsync(PeriodicSchedule.Alerts, settings.EvaluateInterval, cancellationToken).ConfigureAwait(false);
        var (opened, resolved) = evaluated ? await EvaluateAsync(cancellationToken).ConfigureAwait(false) : (0, 0);
        var sent = await outbox.SendDueAsync(cancellationToken).ConfigureAwait(false);
        return new AlertTick(evaluated, opened, resolved, sent);
    }

    public async Task<(int Opened, int Resolved)> EvaluateAsync(CancellationToken cancellationToken)
        => await incidents.ApplyAsync(await conditions.FindAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}

/// <summary>What one tick did.</summary>
public sealed record AlertTick(bool Evaluated, int Opened, int Resolved, int Sent);
