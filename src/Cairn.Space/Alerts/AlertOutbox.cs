using Cairn.Space.Cluster;
using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Alerts;

/// <summary>
/// Sends queued deliveries. A replica sends one only after claiming it with a conditional update (a lease of
/// <see cref="Lease"/>), so two replicas never send it both; a failure is tried again after a back-off (one minute,
/// doubling to an hour), for as long as the channel exists. A replica that dies mid-send leaves the lease to run out,
/// and the delivery is sent again: at least once, and never twice while replicas live.
/// </summary>
public sealed class AlertOutbox(SpaceDbContext db, ChannelSender sender, ClusterSettings cluster, TimeProvider clock, ILogger<AlertOutbox> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const int Batch = 50;

    /// <summary>Sends what is due; returns how many went out.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.AlertDeliveries.AsNoTracking()
            .Where(d => d.SentAt == null && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil <= now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(Batch).ToListAsync(cancellationToken).ConfigureAwait(false);
        var sent = 0;
        foreach (var id in due)
        {
            if (await TrySendAsync(id, cancellationToken).ConfigureAwait(false))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> TrySendAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + Lease;
        var me = cluster.ReplicaId;
        var claimed = await db.AlertDeliveries
            .Where(d => d.Id == id && d.SentAt == null && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, until).SetProperty(d => d.ClaimedBy, me), cancellationToken)
            .ConfigureAwait(false);
        if (claimed != 1)
        {
            return false; // another replica has it
        }

        var delivery = await db.AlertDeliveries.AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
        var incident = await db.AlertIncidents.AsNoTracking().SingleAsync(i => i.Id == delivery.IncidentId, cancellationToken).ConfigureAwait(false);
        var channel = await db.AlertChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == delivery.ChannelId, cancellationToken).ConfigureAwait(false);
        if (channel is null || channel.DeletedAt is not null)
        {
            await FinishAsync(id, "the channel was removed before this message went out").ConfigureAwait(false);
            return false;
        }

        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == incident.AccountId).Select(a => a.Email)
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? "";
        try
        {
            await sender.SendAsync(channel, AlertMessage.For(incident, delivery.State, account, delivery.CreatedAt), cancellationToken).ConfigureAwait(false);
        }
        catch (AlertDeliveryException e)
        {
            logger.LogWarning("Alert delivery {DeliveryId} to channel {ChannelId} failed (attempt {Attempt}): {Reason}",
                id, channel.Id, delivery.Attempts + 1, e.Message);
            await FailAsync(id, delivery.Attempts + 1, e.Message, cancellationToken).ConfigureAwait(false);
            return false;
        }

        await FinishAsync(id, null).ConfigureAwait(false);
        return true;
    }

    /// <summary>Marks a delivery done; not cancellable: a message that went out is marked sent even while the host stops.</summary>
    private async Task FinishAsync(Guid id, string? note)
    {
        var now = clock.GetUtcNow();
        await db.AlertDeliveries.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SentAt, now).SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, note), CancellationToken.None)
            .ConfigureAwait(false);
    }

    private async Task FailAsync(Guid id, int attempts, string error, CancellationToken cancellationToken)
    {
        var next = clock.GetUtcNow() + BackOff(attempts);
        var note = error.Length > AlertDelivery.MaxErrorLength ? error[..AlertDelivery.MaxErrorLength] : error;
        await db.AlertDeliveries.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, attempts).SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, note), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>One minute after the first failure, doubling, at most an hour.</summary>
    public static TimeSpan BackOff(int attempts)
        => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Clamp(attempts - 1, 0, 6))));
}
