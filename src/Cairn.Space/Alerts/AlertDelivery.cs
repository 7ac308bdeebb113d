namespace Cairn.Space.Alerts;

/// <summary>
/// The outbox: one message (an incident firing or resolved) for one channel, made in the same transaction as the
/// incident's change and unique per incident, channel and state, so it is never made twice. A replica sends it only
/// after claiming it with a conditional update (a short lease); a failed attempt is tried again after a back-off,
/// until it is sent or its channel is removed.
/// </summary>
public sealed class AlertDelivery
{
    public const int MaxErrorLength = 500;

    private AlertDelivery()
    {
    }

    public AlertDelivery(Guid id, Guid incidentId, Guid channelId, string state, DateTimeOffset now)
    {
        Id = id;
        IncidentId = incidentId;
        ChannelId = channelId;
        State = state;
        CreatedAt = now.ToUniversalTime();
        NextAttemptAt = CreatedAt;
    }

    public Guid Id { get; private set; }
    public Guid IncidentId { get; private set; }
    public Guid ChannelId { get; private set; }

    /// <summary><see cref="AlertStates.Firing"/> or <see cref="AlertStates.Resolved"/>.</summary>
    public string State { get; private set; } = "";

    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? ClaimedUntil { get; private set; }
    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

public static class AlertStates
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
}
