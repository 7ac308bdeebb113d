using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Space.Accounts;

/// <summary>How accounts are stored; applied by <c>SpaceDbContext</c>.</summary>
public sealed class AccountModel : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(a => a.Id);
        e.HasIndex(a => a.Email).IsUnique();
        e.Property(a => a.Email).HasMaxLength(Account.MaxEmailLength);
        e.Property(a => a.SpendingCap).HasPrecision(18, 2);
        e.Property(a => a.UnpaidBalance).HasPrecision(18, 2);
        e.Property(a => a.SecurityStamp).HasMaxLength(64);
        e.Ignore(a => a.TwoFactorEnabled);
    }
}

/// <summary>Two-factor recovery codes, kept as hashes.</summary>
public sealed class RecoveryCodeModel : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => c.Id);
        e.HasIndex(c => new { c.AccountId, c.CodeHash }).IsUnique();
        e.Property(c => c.CodeHash).HasMaxLength(64);
    }
}

/// <summary>Sign-ups per client and day (Accounts/SignIn/SignUpQuota.cs).</summary>
public sealed class SignUpCounterModel : IEntityTypeConfiguration<SignUpCounter>
{
    public void Configure(EntityTypeBuilder<SignUpCounter> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(c => new { c.Client, c.Day });
        e.Property(c => c.Client).HasMaxLength(64);
        e.Property(c => c.Day).HasMaxLength(10);
    }
}

public sealed class AccessTokenModel : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        e.HasKey(t => t.Id);
        e.HasIndex(t => t.TokenHash).IsUnique();
        e.HasIndex(t => t.AccountId);
    }
}
