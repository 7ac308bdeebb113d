using Cairn.Space.Backups;

namespace Cairn.Space.Accounts;

/// <summary>
/// One single-use recovery code for two-factor sign-in. Only its SHA-256 is kept (codes carry 80 random bits); using
/// one deletes the row, so the database decides that it is used once, whichever replica asks.
/// </summary>
public sealed class RecoveryCode
{
    private RecoveryCode()
    {
    }

    public RecoveryCode(Guid id, Guid accountId, string codeHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeHash);
        Id = id;
        AccountId = accountId;
        CodeHash = codeHash;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string CodeHash { get; private set; } = "";
}

/// <summary>Accounts created from one client address on one UTC day; incremented by a conditional upsert.</summary>
public sealed class SignUpCounter
{
    private SignUpCounter()
    {
    }

    public string Client { get; private set; } = "";

    /// <summary>The UTC day, <c>yyyy-MM-dd</c>.</summary>
    public string Day { get; private set; } = "";

    public int Count { get; private set; }
}
