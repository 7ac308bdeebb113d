namespace Cairn.Space.Domain;

/// <summary>Someone who owns instances and pays for what they store.</summary>
public sealed class Account
{
    public const int MinPasswordLength = 8;
    public const int MaxEmailLength = 254;

    private Account()
    {
    }

    public Account(Guid id, string email, DateTimeOffset createdAt, bool isOperator = false)
    {
        Id = id;
        Email = NormalizeEmail(email);
        CreatedAt = createdAt.ToUniversalTime();
        IsOperator = isOperator;
    }

    public Guid Id { get; private set; }

    /// <summary>Lowercase and trimmed, so sign-in does not depend on how it was typed.</summary>
    public string Email { get; private set; } = "";

    /// <summary>ASP.NET Core's <c>PasswordHasher</c> output; the password itself is never kept.</summary>
    public string PasswordHash { get; private set; } = "";

    public bool IsOperator { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The most this account agrees to be charged in a month; null means no cap.</summary>
    public decimal? SpendingCap { get; private set; }

    /// <summary>What the account owes from earlier bills; above zero, uploads are paused.</summary>
    public decimal UnpaidBalance { get; private set; }

    public static string NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant() ?? "";
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (trimmed.Length > MaxEmailLength || at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1
            || trimmed.Any(char.IsWhiteSpace))
        {
            throw new DomainRuleException("a valid email address is required");
        }

        return trimmed;
    }

    public static void RequireStrongEnough(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            throw new DomainRuleException($"a password has at least {MinPasswordLength} characters");
        }
    }

    public void SetPasswordHash(string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        PasswordHash = hash;
    }

    public void MakeOperator() => IsOperator = true;

    public void SetSpendingCap(decimal? cap)
    {
        if (cap is < 0)
        {
            throw new DomainRuleException("a spending cap cannot be negative");
        }

        SpendingCap = cap is null ? null : decimal.Round(cap.Value, 2);
    }

    public void SetUnpaidBalance(decimal amount)
    {
        if (amount < 0)
        {
            throw new DomainRuleException("an unpaid balance cannot be negative");
        }

        UnpaidBalance = decimal.Round(amount, 2);
    }
}
