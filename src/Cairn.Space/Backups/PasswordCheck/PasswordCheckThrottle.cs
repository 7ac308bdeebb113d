using System.Threading.RateLimiting;

namespace Cairn.Space.Backups.PasswordCheck;

/// <summary>
/// Keeps password checks from being a way to burn Space's CPU: at most <see cref="PasswordCheckSettings.AtOnce"/>
/// run at once on this replica (others wait in a short queue), and one account runs one at a time and at most
/// <see cref="PasswordCheckSettings.PerAccount"/> per window. The limits live in one process, as the sign-in
/// throttle's do: CPU is a replica's own, so that is where it is guarded.
/// </summary>
public sealed class PasswordCheckThrottle : IDisposable
{
    private readonly ConcurrencyLimiter _running;
    private readonly PartitionedRateLimiter<Guid> _perAccount;

    public PasswordCheckThrottle(PasswordCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _running = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.AtOnce,
            QueueLimit = settings.Queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var oneAtATime = PartitionedRateLimiter.Create<Guid, Guid>(account => RateLimitPartition.GetConcurrencyLimiter(account,
            _ => new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 }));
        var perWindow = PartitionedRateLimiter.Create<Guid, Guid>(account => RateLimitPartition.GetFixedWindowLimiter(account,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PerAccount, Window = settings.Window, QueueLimit = 0, AutoReplenishment = true }));
        _perAccount = PartitionedRateLimiter.CreateChained(oneAtATime, perWindow);
    }

    /// <summary>A slot to run one check in, or <see cref="TooManyRequestsException"/>; dispose it when the check ends.</summary>
    public async Task<IDisposable> AcquireAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var account = _perAccount.AttemptAcquire(accountId);
        if (!account.IsAcquired)
        {
            var retryAfter = account.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(5);
            account.Dispose();
            throw new TooManyRequestsException("too many backup password checks for this account; wait a moment and try again", retryAfter);
        }

        RateLimitLease running;
        try
        {
            running = await _running.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            account.Dispose();
            throw;
        }

        if (!running.IsAcquired)
        {
            running.Dispose();
            account.Dispose();
            throw new TooManyRequestsException("Space is busy checking backup passwords; try again in a few seconds", TimeSpan.FromSeconds(5));
        }

        return new Slot(running, account);
    }

    public void Dispose()
    {
        _running.Dispose();
        _perAccount.Dispose();
    }

    private sealed class Slot(RateLimitLease running, RateLimitLease account) : IDisposable
    {
        public void Dispose()
        {
            running.Dispose();
            account.Dispose();
        }
    }
}
