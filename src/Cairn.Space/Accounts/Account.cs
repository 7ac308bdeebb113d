using Cairn.Space.Backups;
using Cairn.Space.Usage;

namespace Cairn.Space.Accounts;

/// <summary>Someone who owns instances and pays for what they store.</summary>
public sealed class Account
{
    public const int MinPasswordLength = PasswordRules.MinLength;
    public const int MaxEmailLength = PasswordRules.MaxEmailLength;

    private Account()
    {
    }

    public Account(Guid id, string email, DateTimeOffset createdAt, bool isOperator = false)
    {
        Id = id;
        Email = NormalizeEmail(email);
        CreatedAt = createdAt.ToUniversalTime();
        IsOperator = isOperator;
        SecurityStamp = NewStamp();
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

    /// <summary>
    /// Changes whenever what signed someone in stops being valid (sign-out, password or two-factor changes); a console
    /// cookie carries the stamp it was issued with and is refused once they differ.
    /// </summary>
    public string SecurityStamp { get; private set; } = "";

    /// <summary>Failed sign-ins in a row; reset by a successful one.</summary>
    public int FailedSignIns { get; private set; }

    /// <summary>Until when sign-in is refused after too many failures (exponential back-off); null when not locked.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    /// <summary>The most instances this account may hold at once; null means the Space's default.</summary>
    public int? InstanceLimit { get; private set; }

    /// <summary>The TOTP secret, protected by ASP.NET Core Data Protection; null while two-factor sign-in is off.</summary>
    public string? TotpSecretProtected { get; private set; }

    /// <summary>A secret handed out for enrolment, protected likewise, until a first code confirms it.</summary>
    public string? TotpPendingSecretProtected { get; private set; }

    /// <summary>The last TOTP time step accepted, so a code is never accepted twice.</summary>
    public long? TotpLastTimeStep { get; private set; }

    public bool TwoFactorEnabled => TotpSecretProtected is not null;

    public static string NormalizeEmail(string? email) => PasswordRules.NormalizeEmail(email);

    public static void RequireStrongEnough(string? password, string email) => PasswordRules.RequireStrongEnough(password, email);

    /// <summary>The <see cref="LockedUntil"/> of a lock the operator set: it holds until the operator unlocks, not until a time.</summary>
    public static readonly DateTimeOffset OperatorLockEnd = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public bool IsLockedByOperator => LockedUntil == OperatorLockEnd;

    public void RotateSecurityStamp() => SecurityStamp = NewStamp();

    public void SetInstanceLimit(int? limit)
    {
        if (limit is < 0 or > 10_000)
        {
            throw new DomainRuleException("an instance limit is between 0 and 10000");
        }

        InstanceLimit = limit;
    }

    public void BeginTotpEnrolment(string protectedSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedSecret);
        if (TwoFactorEnabled)
        {
            throw new ConflictException("two-factor sign-in is already on; turn it off first");
        }

        TotpPendingSecretProtected = protectedSecret;
    }

    public void EnableTotp(long confirmedTimeStep)
    {
        TotpSecretProtected = TotpPendingSecretProtected ?? throw new ConflictException("start two-factor enrolment first");
        TotpPendingSecretProtected = null;
        TotpLastTimeStep = confirmedTimeStep;
        RotateSecurityStamp();
    }

    public void DisableTotp()
    {
        TotpSecretProtected = null;
        TotpPendingSecretProtected = null;
        TotpLastTimeStep = null;
        RotateSecurityStamp();
    }

    public void AcceptTotpTimeStep(long timeStep) => TotpLastTimeStep = timeStep;

    /// <summary>The operator's lock: sign-in is refused until the operator unlocks, and every console session ends.</summary>
    public void LockByOperator()
    {
        if (IsOperator)
        {
            throw new DomainRuleException("an operator account cannot be locked");
        }

        LockedUntil = OperatorLockEnd;
        RotateSecurityStamp();
    }

    /// <summary>The operator's unlock: failures forgotten, sign-in open again.</summary>
    public void Unlock()
    {
        FailedSignIns = 0;
        LockedUntil = null;
    }

    private static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

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
