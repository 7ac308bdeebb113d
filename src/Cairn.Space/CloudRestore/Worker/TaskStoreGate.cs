using System.Security.Cryptography;
using Cairn.Restore.Worker;
using Cairn.Storage;

namespace Cairn.Space.CloudRestore.Worker;

/// <summary>
/// What the parent lets a restore worker do with the task's store: read, stat and list anything of that one task,
/// save lock files (small, named by the SHA-256 of their bytes, as restic names them) and delete only the locks this
/// worker saved. Everything else is refused. The child is treated as hostile: it parses a tenant's repository.
/// </summary>
public sealed class TaskStoreGate(IObjectStore store)
{
    /// <summary>restic's locks are a few hundred bytes; this is generous.</summary>
    public const int MaxLockBytes = 64 << 10;

    /// <summary>A restore holds one lock and refreshes it now and then; more than this is not a restore.</summary>
    public const int MaxLocksSaved = 1000;

    private readonly HashSet<string> _ownLocks = new(StringComparer.Ordinal);
    private readonly object _ownLocksGuard = new();
    private int _locksSaved;

    /// <summary>The locks the worker saved and has not deleted (removed for it once it has ended).</summary>
    public IReadOnlyList<ObjectName> OwnLocks()
    {
        lock (_ownLocksGuard)
        {
            return [.. _ownLocks.Select(n => new ObjectName(ObjectKind.Lock, n))];
        }
    }

    public async Task<(ReplyMessage Reply, ReadOnlyMemory<byte> Data)> ServeAsync(CallMessage call, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!ObjectKinds.TryParseFolderName(call.Kind, out var kind))
        {
            return Refused("unknown object kind");
        }

        if (call.Op == StoreOps.List)
        {
            var objects = new List<ListedObject>();
            await foreach (var info in store.ListAsync(kind, cancellationToken).ConfigureAwait(false))
            {
                objects.Add(new ListedObject(info.Name.Name, info.Size));
            }

            return (new ReplyMessage(Objects: objects), default);
        }

        if (call.Name is null || !ObjectName.TryCreate(kind, call.Name, out var name))
        {
            return Refused("invalid object name");
        }

        switch (call.Op)
        {
            case StoreOps.Stat:
                return (new ReplyMessage(Size: (await store.StatAsync(name, cancellationToken).ConfigureAwait(false)).Size), default);
            case StoreOps.Read:
                if (call.Offset < 0 || call.Length <= 0 || call.Length > WorkerFrame.MaxDataBytes)
                {
                    return Refused("a read must be of 1 byte to 16 MiB at a non-negative offset");
                }

                var buffer = new byte[call.Length];
                await store.ReadAtAsync(name, call.Offset, buffer, cancellationToken).ConfigureAwait(false);
                return (new ReplyMessage(), buffer);
            case StoreOps.Save:
                if (kind != ObjectKind.Lock)
                {
                    return Refused("a restore may save lock files only");
                }

                if (data.Length > MaxLockBytes || Convert.ToHexStringLower(SHA256.HashData(data.Span)) != name.Name)
                {
                    return Refused("a lock file must be at most 64 KiB and named by the SHA-256 of its bytes");
                }

                lock (_ownLocksGuard)
                {
                    if (++_locksSaved > MaxLocksSaved)
                    {
                        return Refused("too many lock files");
                    }
                }

                await store.SaveAsync(name, data, cancellationToken).ConfigureAwait(false);
                lock (_ownLocksGuard)
                {
                    _ownLocks.Add(name.Name);
                }

                return (new ReplyMessage(), default);
            case StoreOps.Delete:
                lock (_ownLocksGuard)
                {
                    if (kind != ObjectKind.Lock || !_ownLocks.Contains(name.Name))
                    {
                        return Refused("a restore may delete only the lock files it saved");
                    }
                }

                await store.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
                lock (_ownLocksGuard)
                {
                    _ownLocks.Remove(name.Name);
                }

                return (new ReplyMessage(), default);
            default:
                return Refused("unknown operation");
        }
    }

    /// <summary>The reply a failed store operation becomes, so the child raises the same kind of exception.</summary>
    public static ReplyMessage ErrorReply(StorageException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var error = e switch
        {
            ObjectNotFoundException or StoreNotFoundException => StoreErrors.NotFound,
            ObjectExistsException => StoreErrors.Exists,
            StorageRefusedException => StoreErrors.Refused,
            { IsTransient: true } => StoreErrors.Transient,
            _ => StoreErrors.Failed,
        };
        return new ReplyMessage(error, e.Message);
    }

    private static (ReplyMessage, ReadOnlyMemory<byte>) Refused(string message) => (new ReplyMessage(StoreErrors.Refused, message), default);
}
