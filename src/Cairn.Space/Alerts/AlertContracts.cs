namespace Cairn.Space.Alerts;

/// <summary>A channel as the API shows it: the URL without query values, the secret only as "there is one".</summary>
public sealed record ChannelResponse(Guid Id, string Kind, string Name, string Target, string? Flavor, bool HasSecret, DateTimeOffset CreatedAt)
{
    public static ChannelResponse From(AlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var target = channel.Kind == ChannelKinds.Email ? channel.Target : ChannelValidation.Shown(new Uri(channel.Target));
        return new(channel.Id, channel.Kind, channel.Name, target, channel.Flavor, channel.Secret is not null, channel.CreatedAt);
    }
}

public sealed record ChannelTestResponse(bool Delivered, string? Error);

/// <summary>An incident: open while <see cref="ResolvedAt"/> is null.</summary>
public sealed record IncidentResponse(
    Guid Id,
    string Kind,
    string Title,
    string State,
    string Instance,
    string? Plan,
    string Message,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedMessage,
    IReadOnlyList<DeliveryResponse> Deliveries)
{
    public static IncidentResponse From(AlertIncident incident, IEnumerable<DeliveryResponse> deliveries)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new(incident.Id, incident.Rule, AlertRules.Title(incident.Rule), incident.OpenKey is null ? "resolved" : "open", incident.Instance,
            incident.Plan, incident.Message, incident.OpenedAt, incident.ResolvedAt, incident.ResolvedMessage, [.. deliveries]);
    }
}

/// <summary>One message of an incident to one channel: sent, or waiting for its next attempt with the last failure.</summary>
public sealed record DeliveryResponse(Guid ChannelId, string Channel, string State, int Attempts, DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt,
    string? LastError)
{
    public static DeliveryResponse From(AlertDelivery delivery, string channel)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.ChannelId, channel, delivery.State, delivery.Attempts, delivery.SentAt, delivery.SentAt is null ? delivery.NextAttemptAt : null,
            delivery.LastError);
    }
}

public sealed record AlertsResponse(int OpenCount, IReadOnlyList<IncidentResponse> Incidents);

public sealed record AlertSettingsRequest(int? MissedBackupGraceMinutes, int? AgentSilenceMinutes);

public sealed record AlertSettingsResponse(int? MissedBackupGraceMinutes, int AgentSilenceMinutes, IReadOnlyList<PlanGraceResponse> PlanGraces,
    bool EmailAvailable);

public sealed record PlanGraceRequest(int? GraceMinutes);

public sealed record PlanGraceResponse(Guid PlanId, string Plan, int GraceMinutes);
