using System.Threading.RateLimiting;
using Cairn.Space.Backups;
using Cairn.Space.Usage;
namespace Cairn.Space.Accounts.SignIn;

/// <summary>
/// The first line against guessing: fixed-window rate limits (System.Threading.RateLimiting, what ASP.NET Core's
/// rate limiter is built on) per client address and per email, for sign-in, sign-up and agent enrollment apart. They
/// live in one process, so N replicas allow N times as many attempts; the lockout on the account, in the database, is
/// what holds across replicas.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const string SignIn = "sign-in";
    public const string SignUp = "sign-up";

    /// <summary>An agent's enrollment with a one-time code (Agents/): limited per client address only.</summary>
    public const string Enroll = "enroll";

    private readonly PartitionedRateLimiter<Attempt> _limiter;
    private readonly TimeSpan _window;

    public SignInThrottle(SignInSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _window = settings.Window;
        var perClient = PartitionedRateLimiter.Create<Attempt, string>(a => RateLimitPartition.GetFixedWindowLimiter(
            $"{a.Action}|client|{a.Client}", _ => Options(settings.PermitsPerClient, settings.Window)));
        var perAccount = PartitionedRateLimiter.Create<Attempt, string>(a => RateLimitPartition.GetFixedWindowLimiter(
            $"{a.Action}|email|{a.Email}", _ => Options(settings.PermitsPerAccount, settings.Window)));
        _limiter = PartitionedRateLimiter.CreateChained(perClient, perAccount);
    }

    /// <summary>Takes one attempt, or throws <see cref="TooManyRequestsException"/> saying when to try again.</summary>
    public void Acquire(string action, string client, string? email)
    {
        using var lease = _limiter.AttemptAcquire(new Attempt(action, client, (email ?? "").Trim().ToLowerInvariant()));
        if (lease.IsAcquired)
        {
            return;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _window;
        var what = action switch { SignUp => "sign-up", Enroll => "enrollment", _ => "sign-in" };
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        throw new TooManyRequestsException($"too many {what} attempts; try again in {seconds} second{(seconds == 1 ? "" : "s")}", retryAfter);
    }

    public void Dispose() => _limiter.Dispose();

    private static FixedWindowRateLimiterOptions Options(int permits, TimeSpan window)
        => new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    private readonly record struct Attempt(string Action, string Client, string Email);
}
