using System.Text.Json.Serialization;

namespace Cairn.Space.Alerts;

/// <summary>
/// One alert as every channel carries it; the webhook's JSON body is exactly this (docs/space-api.md, "Alerts").
/// Nothing about a backup password is ever part of it.
/// </summary>
public sealed record AlertMessage(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("instance")] string? Instance,
    [property: JsonPropertyName("plan")] string? Plan,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("incident")] Guid? Incident)
{
    public const string TestKind = "test";

    /// <summary>A one-line title: "Backup failed: alice.olares / Photos nightly", or "Resolved: ...".</summary>
    public string Title
    {
        get
        {
            var what = Kind == TestKind ? "Test message" : AlertRules.Title(Kind);
            var where = Instance is null ? "" : Plan is null ? $": {Instance}" : $": {Instance} / {Plan}";
            return (State == AlertStates.Resolved ? "Resolved: " : "") + what + where;
        }
    }

    public static AlertMessage For(AlertIncident incident, string state, string account, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var message = state == AlertStates.Resolved ? incident.ResolvedMessage ?? AlertRules.ResolvedMessage(incident) : incident.Message;
        return new AlertMessage(incident.Rule, state, account, incident.Instance, incident.Plan, message, time, incident.Id);
    }

    public static AlertMessage Test(string account, DateTimeOffset time)
        => new(TestKind, AlertStates.Firing, account, null, null, "A test message from Cairn Space: this channel works.", time, null);
}

/// <summary>A delivery that did not go through, in plain words for the owner ("could not reach ...: Connection refused").</summary>
public sealed class AlertDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
