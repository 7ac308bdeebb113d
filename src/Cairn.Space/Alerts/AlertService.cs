using Cairn.Space.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Alerts;

/// <summary>An account's alerts as its owner sees and sets them: incidents, channels, the test action, graces.</summary>
public sealed class AlertService(SpaceDbContext db, AlertSettings settings, ChannelSender sender, TimeProvider clock, ILogger<AlertService> logger)
{
    public const int MaxChannels = 20;
    public const int RecentIncidents = 50;
    public const int MaxMinutes = 60 * 24 * 366;

    public Task<int> OpenCountAsync(Guid accountId, CancellationToken cancellationToken)
        => db.AlertIncidents.CountAsync(i => i.AccountId == accountId && i.OpenKey != null, cancellationToken);

    /// <summary>Open incidents first (newest first), then the most recent resolved ones.</summary>
    public async Task<IReadOnlyList<IncidentResponse>> IncidentsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var open = await db.AlertIncidents.AsNoTracking().Where(i => i.AccountId == accountId && i.OpenKey != null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var resolved = await db.AlertIncidents.AsNoTracking().Where(i => i.AccountId == accountId && i.OpenKey == null)
            .OrderByDescending(i => i.ResolvedAt).Take(RecentIncidents).ToListAsync(cancellationToken).ConfigureAwait(false);
        var incidents = open.OrderByDescending(i => i.OpenedAt).Concat(resolved).ToList();
        var ids = incidents.Select(i => i.Id).ToList();
        var deliveries = await db.AlertDeliveries.AsNoTracking().Where(d => ids.Contains(d.IncidentId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var channels = await db.AlertChannels.AsNoTracking().Where(c => c.AccountId == accountId).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken)
            .ConfigureAwait(false);
        return [.. incidents.Select(i => IncidentResponse.From(i, deliveries.Where(d => d.IncidentId == i.Id)
            .OrderBy(d => d.CreatedAt).Select(d => DeliveryResponse.From(d, channels.GetValueOrDefault(d.ChannelId) ?? "removed channel"))))];
    }

    public async Task<IReadOnlyList<AlertChannel>> ChannelsAsync(Guid accountId, CancellationToken cancellationToken)
        => await db.AlertChannels.AsNoTracking().Where(c => c.AccountId == accountId && c.DeletedAt == null)
            .OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false);

    public async Task<AlertChannel> AddChannelAsync(Guid accountId, ChannelRequest? request, CancellationToken cancellationToken)
    {
        var definition = ChannelValidation.Validate(request, settings);
        if (await db.AlertChannels.CountAsync(c => c.AccountId == accountId && c.DeletedAt == null, cancellationToken).ConfigureAwait(false) >= MaxChannels)
        {
            throw new DomainRuleException($"an account has at most {MaxChannels} alert channels; remove one first");
        }

        var channel = new AlertChannel(Guid.NewGuid(), accountId, definition, clock.GetUtcNow());
        db.AlertChannels.Add(channel);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Alert channel {ChannelId} ({Kind}) added to account {AccountId}", channel.Id, channel.Kind, accountId);
        return channel;
    }

    public async Task RemoveChannelAsync(Guid accountId, Guid channelId, CancellationToken cancellationToken)
    {
        var channel = await OwnAsync(accountId, channelId, cancellationToken).ConfigureAwait(false);
        channel.Delete(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one test message now; a failure is answered in plain words, not thrown.</summary>
    public async Task<ChannelTestResponse> TestChannelAsync(Guid accountId, string accountEmail, Guid channelId, CancellationToken cancellationToken)
    {
        var channel = await OwnAsync(accountId, channelId, cancellationToken).ConfigureAwait(false);
        try
        {
            await sender.SendAsync(channel, AlertMessage.Test(accountEmail, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return new ChannelTestResponse(true, null);
        }
        catch (AlertDeliveryException e)
        {
            return new ChannelTestResponse(false, e.Message);
        }
    }

    public async Task<AlertSettingsResponse> SettingsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var own = await db.AlertPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken).ConfigureAwait(false)
                  ?? new AlertPreferences(accountId);
        var graces = await db.PlanAlertGraces.AsNoTracking().Where(g => g.AccountId == accountId)
            .Join(db.Plans.Where(p => p.DeletedAt == null), g => g.PlanId, p => p.Id, (g, p) => new PlanGraceResponse(p.Id, p.Name, g.GraceMinutes))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new AlertSettingsResponse(own.MissedBackupGraceMinutes, own.AgentSilenceMinutes, graces, settings.Smtp is not null);
    }

    public async Task<AlertSettingsResponse> SetSettingsAsync(Guid accountId, AlertSettingsRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new DomainRuleException("settings are a JSON object with missedBackupGraceMinutes (null: twice the interval) and agentSilenceMinutes");
        }

        var grace = Minutes(request.MissedBackupGraceMinutes, "missedBackupGraceMinutes", 0);
        var silence = Minutes(request.AgentSilenceMinutes, "agentSilenceMinutes", 5) ?? (int)AlertPreferences.DefaultAgentSilence.TotalMinutes;
        var own = await db.AlertPreferences.SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken).ConfigureAwait(false);
        if (own is null)
        {
            own = new AlertPreferences(accountId);
            db.AlertPreferences.Add(own);
        }

        own.Set(grace, silence);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return await SettingsAsync(accountId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets (or, with null, removes) one plan's own grace; the plan must be on one of the account's instances.</summary>
    public async Task SetPlanGraceAsync(Guid accountId, Guid planId, PlanGraceRequest? request, CancellationToken cancellationToken)
    {
        var grace = Minutes(request?.GraceMinutes, "graceMinutes", 0);
        var owned = await (from p in db.Plans
                           join i in db.Instances on p.InstanceId equals i.Id
                           where p.Id == planId && p.DeletedAt == null && i.AccountId == accountId && i.DeletedAt == null
                           select p.Id).AnyAsync(cancellationToken).ConfigureAwait(false);
        if (!owned)
        {
            throw new NotFoundException($"no plan {planId} on your instances");
        }

        var row = await db.PlanAlertGraces.SingleOrDefaultAsync(g => g.PlanId == planId, cancellationToken).ConfigureAwait(false);
        if (grace is null)
        {
            if (row is not null)
            {
                db.PlanAlertGraces.Remove(row);
            }
        }
        else if (row is null)
        {
            db.PlanAlertGraces.Add(new PlanAlertGrace(planId, accountId, grace.Value));
        }
        else
        {
            row.Set(grace.Value);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static int? Minutes(int? value, string field, int least)
        => value is { } v && (v < least || v > MaxMinutes)
            ? throw new DomainRuleException($"{field}: {least} to {MaxMinutes} minutes (a year), or null for the default")
            : value;

    private async Task<AlertChannel> OwnAsync(Guid accountId, Guid channelId, CancellationToken cancellationToken)
        => await db.AlertChannels.SingleOrDefaultAsync(c => c.Id == channelId && c.AccountId == accountId && c.DeletedAt == null, cancellationToken)
               .ConfigureAwait(false)
           ?? throw new NotFoundException($"no alert channel {channelId}");
}
