using Cairn.Space.Backups;

namespace Cairn.Space.Accounts;

/// <summary>A bearer token for the API. Only the SHA-256 of the token is kept, so a copy of the database signs nobody in.</summary>
public sealed class AccessToken
{
    private AccessToken()
    {
    }

    public AccessToken(Guid id, Guid accountId, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        if (expiresAt <= createdAt)
        {
            throw new DomainRuleException("a token must expire after it is created");
        }

        Id = id;
        AccountId = accountId;
        TokenHash = tokenHash;
        CreatedAt = createdAt.ToUniversalTime();
        ExpiresAt = expiresAt.ToUniversalTime();
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;
}
