using System.Collections.Concurrent;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// The only place a backup password lives: the memory of the replica whose request brought it, per order, until that
/// replica's install takes it (taking removes it) or it expires. The request that puts it here also claims the job for
/// this replica (<see cref="CloudJobClaims"/>), so no other replica ever needs it; nothing here is written anywhere,
/// so a restart or a replica's death forgets the password, and the install then asks for it again exactly as after
/// a wrong one.
/// </summary>
public sealed class BackupPasswordHolder(TimeProvider clock)
{
    /// <summary>How long an unused password is kept (an order left unpaid, a wizard left open).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<Guid, (string Password, DateTimeOffset PutAt, DateTimeOffset ExpiresAt)> _passwords = new();

    public void Put(Guid orderId, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        Sweep();
        var now = clock.GetUtcNow();
        _passwords[orderId] = (password, now, now + Lifetime);
    }

    public bool Has(Guid orderId) => _passwords.TryGetValue(orderId, out var held) && held.ExpiresAt > clock.GetUtcNow();

    /// <summary>Hands the password over and forgets it.</summary>
    public bool TryTake(Guid orderId, out string password)
    {
        if (_passwords.TryRemove(orderId, out var held) && held.ExpiresAt > clock.GetUtcNow())
        {
            password = held.Password;
            return true;
        }

        password = "";
        return false;
    }

    /// <summary>The orders whose password was put here before <paramref name="moment"/>.</summary>
    public IReadOnlyList<Guid> PutBefore(DateTimeOffset moment) => [.. _passwords.Where(p => p.Value.PutAt < moment).Select(p => p.Key)];

    public void Forget(Guid orderId) => _passwords.TryRemove(orderId, out _);

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, held) in _passwords)
        {
            if (held.ExpiresAt <= now)
            {
                _passwords.TryRemove(id, out _);
            }
        }
    }
}
