using System.Collections.Concurrent;

namespace Cairn.Space.CloudRestore;

/// <summary>
/// The only place a backup password lives: the memory of the replica whose request brought it, per order, until that
/// replica's install takes it (taking removes it) or it expires. The request that puts it here also claims the job for
/// this replica (<see cref="CloudJobClaims"/>), so no other replica ever needs it; nothing here is written anywhere,
/// so a restart or a replica's death forgets the password, and the install then asks for it again exactly as after
/// a wrong one. A password the wizard checked on its first step waits here as a draft (for the account, task and
/// the order ID the wizard will confirm with), so the confirmation does not carry it again.
/// </summary>
public sealed class BackupPasswordHolder(TimeProvider clock)
{
    /// <summary>How long an unused password is kept (an order left unpaid, a wizard left open).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a checked password waits for the wizard's confirmation.</summary>
    public static readonly TimeSpan DraftLifetime = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<Guid, (string Password, DateTimeOffset PutAt, DateTimeOffset ExpiresAt)> _passwords = new();
    private readonly ConcurrentDictionary<Guid, (Guid AccountId, Guid TaskId, string Password, DateTimeOffset ExpiresAt)> _drafts = new();

    /// <summary>Keeps a password that opened <paramref name="taskId"/>'s repository until the order <paramref name="draftId"/> is placed.</summary>
    public void PutDraft(Guid draftId, Guid accountId, Guid taskId, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        Sweep();
        _drafts[draftId] = (accountId, taskId, password, clock.GetUtcNow() + DraftLifetime);
    }

    public bool HasDraft(Guid draftId, Guid accountId, Guid taskId)
        => _drafts.TryGetValue(draftId, out var held) && held.AccountId == accountId && held.TaskId == taskId && held.ExpiresAt > clock.GetUtcNow();

    /// <summary>Hands over the checked password of a draft of this account and task, and forgets it.</summary>
    public bool TryTakeDraft(Guid draftId, Guid accountId, Guid taskId, out string password)
    {
        password = "";
        if (!HasDraft(draftId, accountId, taskId) || !_drafts.TryRemove(draftId, out var held))
        {
            return false;
        }

        password = held.Password;
        return true;
    }

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

        foreach (var (id, held) in _drafts)
        {
            if (held.ExpiresAt <= now)
            {
                _drafts.TryRemove(id, out _);
            }
        }
    }
}
