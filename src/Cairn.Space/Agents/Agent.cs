namespace Cairn.Space.Agents;

/// <summary>
/// A <c>cairn agent</c> enrolled on an instance. Its token (<c>cairn-agent_{id}_{secret}</c>) is kept as the
/// SHA-256 of the secret only; a revoked agent is refused at once on the agent API and on the repositories.
/// </summary>
public sealed class Agent
{
    private Agent()
    {
    }

    public Agent(Guid id, Guid instanceId, string hostname, string version, string tokenHash, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        Id = id;
        InstanceId = instanceId;
        Hostname = hostname;
        Version = version;
        TokenHash = tokenHash;
        CreatedAt = createdAt.ToUniversalTime();
        LastSeenAt = CreatedAt;
    }

    public Guid Id { get; private set; }
    public Guid InstanceId { get; private set; }
    public string Hostname { get; private set; } = "";
    public string Version { get; private set; } = "";
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now.ToUniversalTime();
}
