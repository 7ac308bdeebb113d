namespace Cairn.Space.Alerts;

/// <summary>
/// Where an account's alerts go: an e-mail address (sent through the operator's SMTP server), a JSON webhook, or a
/// push topic (ntfy or Gotify). The secret (the webhook's HMAC key, the push token) is write-only: never shown back.
/// A channel is removed softly, so deliveries already queued for it are dropped rather than orphaned.
/// </summary>
public sealed class AlertChannel
{
    public const int MaxNameLength = 100;
    public const int MaxTargetLength = 2000;
    public const int MaxSecretLength = 500;

    private AlertChannel()
    {
    }

    public AlertChannel(Guid id, Guid accountId, ChannelDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Id = id;
        AccountId = accountId;
        Kind = definition.Kind;
        Name = definition.Name;
        Target = definition.Target;
        Flavor = definition.Flavor;
        Secret = definition.Secret;
        CreatedAt = now.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }

    /// <summary>One of <see cref="ChannelKinds"/>.</summary>
    public string Kind { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The recipient address (e-mail) or the URL (webhook, push).</summary>
    public string Target { get; private set; } = "";

    /// <summary>For push: <c>ntfy</c> or <c>gotify</c>; null otherwise.</summary>
    public string? Flavor { get; private set; }

    public string? Secret { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    public void Delete(DateTimeOffset now) => DeletedAt ??= now.ToUniversalTime();
}

/// <summary>A channel's content after validation (<see cref="ChannelValidation"/>).</summary>
public sealed record ChannelDefinition(string Kind, string Name, string Target, string? Flavor, string? Secret);

public static class ChannelKinds
{
    public const string Email = "email";
    public const string Webhook = "webhook";
    public const string Push = "push";
    public static readonly string[] All = [Email, Webhook, Push];

    public const string Ntfy = "ntfy";
    public const string Gotify = "gotify";
    public static readonly string[] PushFlavors = [Ntfy, Gotify];
}
