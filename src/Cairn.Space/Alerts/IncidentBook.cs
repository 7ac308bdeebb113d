using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Alerts;

/// <summary>
/// Opens an incident for each condition that fires without one, and resolves each open incident whose condition no
/// longer holds, queueing one delivery per channel in the same transaction. The database decides between replicas:
/// the open key is unique, so a second opening fails; resolving is a conditional update, so only one replica's
/// counts and queues the "resolved" messages.
/// </summary>
public sealed class IncidentBook(SpaceDbContext db, TimeProvider clock, ILogger<IncidentBook> logger)
{
    /// <summary>Returns how many incidents this call opened and resolved.</summary>
    public async Task<(int Opened, int Resolved)> ApplyAsync(IReadOnlyList<AlertCondition> firing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(firing);
        var open = await db.AlertIncidents.AsNoTracking().Where(i => i.OpenKey != null)
            .Select(i => new { i.Id, i.OpenKey }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var openKeys = open.Select(i => i.OpenKey!).ToHashSet(StringComparer.Ordinal);
        var firingKeys = firing.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

        var opened = 0;
        foreach (var condition in firing.Where(c => !openKeys.Contains(c.Key)).DistinctBy(c => c.Key))
        {
            if (await OpenAsync(condition, cancellationToken).ConfigureAwait(false))
            {
                opened++;
            }
        }

        var resolved = 0;
        foreach (var incident in open.Where(i => !firingKeys.Contains(i.OpenKey!)))
        {
            if (await ResolveAsync(incident.Id, cancellationToken).ConfigureAwait(false))
            {
                resolved++;
            }
        }

        return (opened, resolved);
    }

    private async Task<bool> OpenAsync(AlertCondition condition, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var incident = new AlertIncident(Guid.NewGuid(), condition, now);
        db.AlertIncidents.Add(incident);
        var channels = await db.AlertChannels.AsNoTracking().Where(c => c.AccountId == condition.AccountId && c.DeletedAt == null)
            .Select(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var channel in channels)
        {
            db.AlertDeliveries.Add(new AlertDelivery(Guid.NewGuid(), incident.Id, channel, AlertStates.Firing, now));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false); // one transaction: the incident and its deliveries
            logger.LogInformation("Alert {Rule} opened for {Key} ({Channels} channels)", condition.Rule, condition.Key, channels.Count);
            return true;
        }
        catch (DbUpdateException e)
        {
            // Most often another replica opened it a moment ago (the open key is unique): nothing of ours was written.
            db.ChangeTracker.Clear();
            if (!await db.AlertIncidents.AnyAsync(i => i.OpenKey == condition.Key, cancellationToken).ConfigureAwait(false))
            {
                logger.LogError(e, "Alert {Rule} for {Key} could not be opened; trying again at the next evaluation", condition.Rule, condition.Key);
            }

            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private async Task<bool> ResolveAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var incident = await db.AlertIncidents.AsNoTracking().SingleAsync(i => i.Id == incidentId, cancellationToken).ConfigureAwait(false);
        var message = AlertRules.ResolvedMessage(incident);
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var taken = await db.AlertIncidents.Where(i => i.Id == incidentId && i.OpenKey != null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.OpenKey, (string?)null).SetProperty(i => i.ResolvedAt, now)
                    .SetProperty(i => i.ResolvedMessage, message), cancellationToken).ConfigureAwait(false);
            if (taken != 1)
            {
                return false; // another replica resolved it
            }

            // "Resolved" goes where "firing" went, so no channel hears of an end without its start.
            var channels = await db.AlertDeliveries.AsNoTracking().Where(d => d.IncidentId == incidentId && d.State == AlertStates.Firing)
                .Select(d => d.ChannelId).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var channel in channels)
            {
                db.AlertDeliveries.Add(new AlertDelivery(Guid.NewGuid(), incidentId, channel, AlertStates.Resolved, now));
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            logger.LogInformation("Alert {Rule} resolved for incident {IncidentId}", incident.Rule, incidentId);
            return true;
        }
    }
}
