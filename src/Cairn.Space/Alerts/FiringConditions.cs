using System.Globalization;
using Cairn.Space.Data;
using Cairn.Space.Plans;
using Cairn.Space.Web.Formatting;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Alerts;

/// <summary>
/// Reads the database for every rule that fires right now, for every account. A rule is a level, not an edge: an
/// incident is open for as long as its condition holds (<see cref="IncidentBook"/> opens and resolves), so a replica
/// that evaluates late or twice changes nothing.
/// </summary>
public sealed class FiringConditions(SpaceDbContext db, SpaceSettings settings, TimeProvider clock)
{
    public async Task<IReadOnlyList<AlertCondition>> FindAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var preferences = await db.AlertPreferences.AsNoTracking().ToDictionaryAsync(p => p.AccountId, cancellationToken).ConfigureAwait(false);
        var found = new List<AlertCondition>();
        await AddPlanConditionsAsync(found, preferences, now, cancellationToken).ConfigureAwait(false);
        await AddSilentAgentsAsync(found, preferences, now, cancellationToken).ConfigureAwait(false);
        await AddUsageAsync(found, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private async Task AddPlanConditionsAsync(List<AlertCondition> found, Dictionary<Guid, AlertPreferences> preferences, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var plans = await (from p in db.Plans.AsNoTracking()
                           join i in db.Instances.AsNoTracking() on p.InstanceId equals i.Id
                           where p.DeletedAt == null && i.DeletedAt == null
                           select new { Plan = p, i.AccountId, Instance = i.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (plans.Count == 0)
        {
            return;
        }

        var lastCompleted = await LastEndedAsync("completed", cancellationToken).ConfigureAwait(false);
        var lastFailed = await LastEndedAsync("failed", cancellationToken).ConfigureAwait(false);
        var graces = await db.PlanAlertGraces.AsNoTracking().ToDictionaryAsync(g => g.PlanId, g => g.GraceMinutes, cancellationToken)
            .ConfigureAwait(false);
        foreach (var row in plans)
        {
            var plan = row.Plan;
            DateTimeOffset? completed = lastCompleted.TryGetValue(plan.Id, out var c0) ? c0 : null;
            if (lastFailed.TryGetValue(plan.Id, out var failedAt) && (completed is null || failedAt > completed))
            {
                var error = await db.Runs.AsNoTracking()
                    .Where(r => r.PlanId == plan.Id && r.Kind == "backup" && r.Phase == "failed" && r.EndedAt == failedAt)
                    .Select(r => r.Error).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                found.Add(new AlertCondition(AlertRules.FailedRun, plan.Id, row.AccountId, row.Instance, plan.Name,
                    $"The backup of plan '{plan.Name}' on instance '{row.Instance}' failed at {Utc(failedAt)}: {error ?? "no reason given"}"));
            }

            if (plan.Paused || ExpectedInterval.Of(plan.Schedule, plan.TimeZone, now) is not { } interval)
            {
                continue;
            }

            var grace = graces.TryGetValue(plan.Id, out var own) ? TimeSpan.FromMinutes(own)
                : preferences.GetValueOrDefault(row.AccountId)?.MissedBackupGraceMinutes is { } minutes ? TimeSpan.FromMinutes(minutes)
                : interval * 2;
            // Counted from the last success, or from the plan's last change (made, edited, resumed) when that is later:
            // a plan resumed after a month's pause gets its interval and grace before it is overdue.
            var since = completed is { } c && c > plan.UpdatedAt ? c : plan.UpdatedAt;
            if (now - since > interval + grace)
            {
                var what = since == completed ? $"since {Utc(since)}"
                    : plan.UpdatedAt == plan.CreatedAt ? $"since it was made on {Utc(since)}"
                    : $"since it was last changed on {Utc(since)}";
                found.Add(new AlertCondition(AlertRules.MissedBackup, plan.Id, row.AccountId, row.Instance, plan.Name,
                    $"Plan '{plan.Name}' on instance '{row.Instance}' has had no successful backup {what} " +
                    $"(it runs every {DurationWords.Of(interval)}; the alert comes after {DurationWords.Of(interval + grace)})."));
            }
        }
    }

    private async Task<Dictionary<Guid, DateTimeOffset>> LastEndedAsync(string phase, CancellationToken cancellationToken)
    {
        // The newest end per plan; read as rows and reduced here, since SQLite keeps the times as a converted number.
        var rows = await db.Runs.AsNoTracking().Where(r => r.Kind == "backup" && r.Phase == phase && r.EndedAt != null)
            .GroupBy(r => r.PlanId).Select(g => new { PlanId = g.Key, Last = g.Max(r => r.EndedAt) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Where(r => r.Last is not null).ToDictionary(r => r.PlanId, r => r.Last!.Value);
    }

    private async Task AddSilentAgentsAsync(List<AlertCondition> found, Dictionary<Guid, AlertPreferences> preferences, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var agents = await (from a in db.Agents.AsNoTracking()
                            join i in db.Instances.AsNoTracking() on a.InstanceId equals i.Id
                            where a.RevokedAt == null && i.DeletedAt == null
                            select new { a.Id, a.Hostname, a.LastSeenAt, i.AccountId, Instance = i.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var agent in agents)
        {
            var silence = preferences.GetValueOrDefault(agent.AccountId) is { } p
                ? TimeSpan.FromMinutes(p.AgentSilenceMinutes)
                : AlertPreferences.DefaultAgentSilence;
            if (now - agent.LastSeenAt > silence)
            {
                found.Add(new AlertCondition(AlertRules.AgentSilent, agent.Id, agent.AccountId, agent.Instance, null,
                    $"The agent on instance '{agent.Instance}' (host {agent.Hostname}) has not been in touch since {Utc(agent.LastSeenAt)}; " +
                    "scheduled backups are not running while it is away."));
            }
        }
    }

    private async Task AddUsageAsync(List<AlertCondition> found, CancellationToken cancellationToken)
    {
        var free = settings.FreeBytesPerInstance;
        if (free <= 0)
        {
            return; // no allowance to pass
        }

        var used = await (from t in db.Tasks.AsNoTracking()
                          join i in db.Instances.AsNoTracking() on t.InstanceId equals i.Id
                          where t.DeletedAt == null && i.DeletedAt == null
                          group t by new { i.Id, i.AccountId, i.Name } into g
                          select new { g.Key.Id, g.Key.AccountId, g.Key.Name, Bytes = g.Sum(t => t.StorageBytes) }).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var instance in used)
        {
            var words = $"{HumanBytes.Format(instance.Bytes)} of its free {HumanBytes.Format(free)}";
            var percent = (int)Math.Floor(instance.Bytes * 100m / free);
            if (instance.Bytes * 5 >= free * 4)
            {
                found.Add(new AlertCondition(AlertRules.Usage80, instance.Id, instance.AccountId, instance.Name, null,
                    $"Instance '{instance.Name}' uses {percent.ToString(CultureInfo.InvariantCulture)}% of its free allowance ({words})."));
            }

            if (instance.Bytes >= free)
            {
                found.Add(new AlertCondition(AlertRules.Usage100, instance.Id, instance.AccountId, instance.Name, null,
                    $"Instance '{instance.Name}' uses all of its free allowance ({words}); storage above it is billed."));
            }
        }
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
