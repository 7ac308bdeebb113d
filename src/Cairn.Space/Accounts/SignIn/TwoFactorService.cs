using System.Security.Cryptography;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Hosting;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Cairn.Space.Accounts.SignIn;

/// <summary>
/// Optional TOTP sign-in (RFC 6238: SHA-1, six digits, 30-second steps, one step of drift either way) and ten
/// single-use recovery codes. The secret is stored protected by Data Protection and is never logged; a code is
/// accepted once, as the last accepted time step is kept on the account and only a later one passes.
/// </summary>
public sealed class TwoFactorService(
    SpaceDbContext db,
    TimeProvider clock,
    IDataProtectionProvider protection,
    ILogger<TwoFactorService> logger)
{
    public const string Issuer = "Cairn Space";
    public const int RecoveryCodeCount = 10;

    private static readonly VerificationWindow s_window = new(previous: 1, future: 1);
    private readonly IDataProtector _protector = protection.CreateProtector("Cairn.Space.TwoFactor.v1");

    /// <summary>Starts (or restarts) enrolment: a new secret, to be confirmed by a first code.</summary>
    public async Task<TotpEnrolment> BeginAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var account = await LoadAsync(accountId, cancellationToken).ConfigureAwait(false);
        var secret = KeyGeneration.GenerateRandomKey(20); // 160 bits, as RFC 4226 recommends
        var base32 = Base32Encoding.ToString(secret);
        account.BeginTotpEnrolment(_protector.Protect(base32));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var uri = new OtpUri(OtpType.Totp, base32, account.Email, Issuer).ToString();
        return new TotpEnrolment(base32, uri);
    }

    /// <summary>Turns two-factor sign-in on when the code matches the pending secret; returns the recovery codes, shown once.</summary>
    public async Task<IReadOnlyList<string>> ConfirmAsync(Guid accountId, string? code, string? keepTokenHash, CancellationToken cancellationToken)
    {
        var account = await LoadAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (account.TwoFactorEnabled)
        {
            throw new ConflictException("two-factor sign-in is already on");
        }

        if (account.TotpPendingSecretProtected is not { } pending)
        {
            throw new ConflictException("start two-factor enrolment first");
        }

        if (!TryMatch(_protector.Unprotect(pending), code, out var step))
        {
            throw new DomainRuleException("the code does not match; check the authenticator's clock and try the current code");
        }

        account.EnableTotp(step);
        await db.RecoveryCodes.Where(c => c.AccountId == accountId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        db.RecoveryCodes.AddRange(codes.Select(c => new RecoveryCode(Guid.NewGuid(), accountId, Secrets.Hash(NormalizeRecoveryCode(c)))));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await RevokeTokensAsync(accountId, keepTokenHash, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Two-factor sign-in turned on for account {AccountId}", accountId);
        return codes;
    }

    /// <summary>Turns two-factor sign-in off; it takes a current code or a recovery code.</summary>
    public async Task DisableAsync(Guid accountId, string? code, string? keepTokenHash, CancellationToken cancellationToken)
    {
        var account = await LoadAsync(accountId, cancellationToken).ConfigureAwait(false);
        if (!account.TwoFactorEnabled)
        {
            throw new ConflictException("two-factor sign-in is off");
        }

        if (!await TryUseCodeAsync(account, code, cancellationToken).ConfigureAwait(false))
        {
            throw new DomainRuleException("the code does not match; give a current code or an unused recovery code");
        }

        account.DisableTotp();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await db.RecoveryCodes.Where(c => c.AccountId == accountId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await RevokeTokensAsync(accountId, keepTokenHash, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Two-factor sign-in turned off for account {AccountId}", accountId);
    }

    public async Task<int> RemainingRecoveryCodesAsync(Guid accountId, CancellationToken cancellationToken)
        => await db.RecoveryCodes.CountAsync(c => c.AccountId == accountId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Accepts a current TOTP code whose time step is later than the last accepted one, or an unused recovery code.
    /// Both are decided by one conditional statement in the database, so a code cannot be used twice at once either.
    /// </summary>
    public async Task<bool> TryUseCodeAsync(Account account, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.TotpSecretProtected is not { } protectedSecret || string.IsNullOrWhiteSpace(code) || code.Length > 64)
        {
            return false;
        }

        var digits = code.Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length == 6 && digits.All(char.IsAsciiDigit))
        {
            if (!TryMatch(_protector.Unprotect(protectedSecret), digits, out var step))
            {
                return false;
            }

            var accepted = await db.Accounts
                .Where(a => a.Id == account.Id && (a.TotpLastTimeStep == null || a.TotpLastTimeStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.TotpLastTimeStep, step), cancellationToken).ConfigureAwait(false);
            return accepted == 1;
        }

        var hash = Secrets.Hash(NormalizeRecoveryCode(code));
        var used = await db.RecoveryCodes.Where(c => c.AccountId == account.Id && c.CodeHash == hash)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (used == 1)
        {
            logger.LogInformation("A recovery code of account {AccountId} was used", account.Id);
        }

        return used == 1;
    }

    private bool TryMatch(string base32Secret, string? code, out long step)
    {
        step = 0;
        if (code is null)
        {
            return false;
        }

        var digits = code.Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(base32Secret));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out step, s_window);
    }

    private async Task<Account> LoadAsync(Guid accountId, CancellationToken cancellationToken)
        => await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken).ConfigureAwait(false)
           ?? throw new NotFoundException("no such account");

    // A change of how one signs in ends every other way in: API tokens too, except the one asking.
    private async Task RevokeTokensAsync(Guid accountId, string? keepTokenHash, CancellationToken cancellationToken)
        => await db.AccessTokens.Where(t => t.AccountId == accountId && t.TokenHash != keepTokenHash)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Sixteen base32 characters (80 random bits) in groups of four: <c>abcd-efgh-ijkl-mnop</c>.</summary>
    private static string NewRecoveryCode()
    {
        var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
        return string.Join('-', text.Chunk(4).Select(c => new string(c)));
    }

    private static string NormalizeRecoveryCode(string code)
        => new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}

/// <summary>The secret of a new enrolment, as base32 text and as an <c>otpauth://</c> URI for authenticator apps.</summary>
public sealed record TotpEnrolment(string Secret, string OtpAuthUri);
