using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Cairn.Storage;

namespace Cairn.Restore.Worker;

/// <summary>
/// The child's view of the task's repository: every operation is a call to the parent over the worker protocol,
/// which serves it from the task's store as far as it allows (Space's <c>TaskStoreGate</c>). Calls may overlap (the
/// restore reads packs in parallel); replies are matched to calls by number.
/// </summary>
internal sealed class ParentObjectStore : IObjectStore
{
    private readonly Stream _toParent;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<WorkerFrame>> _pending = new();
    private int _nextCall;
    private Exception? _closed;

    public ParentObjectStore(Stream toParent)
    {
        _toParent = toParent;
    }

    public string Location => "the task's repository, served by Space";

    /// <summary>Hands the parent's replies to the calls waiting for them, until the parent closes the stream.</summary>
    public async Task ReceiveRepliesAsync(Stream fromParent, CancellationToken cancellationToken)
    {
        try
        {
            while (await WorkerFrame.ReadAsync(fromParent, cancellationToken).ConfigureAwait(false) is { } frame)
            {
                if (frame.Type != FrameType.Reply || !_pending.TryRemove(frame.CallId, out var waiting))
                {
                    throw new WorkerProtocolException($"an unexpected {frame.Type} frame from the parent");
                }

                waiting.TrySetResult(frame);
            }

            Close(new StorageException("Space closed the restore's connection to the repository"));
        }
        catch (Exception e)
        {
            Close(e);
        }
    }

    /// <summary>Sends a frame of the child's own (an event) on the same stream as the calls.</summary>
    public async Task SendAsync(WorkerFrame frame, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await frame.WriteAsync(_toParent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public Task CreateAsync(CancellationToken cancellationToken = default) =>
        throw new StorageRefusedException("a restore does not create repositories");

    public async Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await using (var source = content.Open())
        {
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        await CallAsync(new CallMessage(StoreOps.Save, name.Kind.FolderName(), name.Name), name, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var (reply, _) = await CallAsync(new CallMessage(StoreOps.Stat, name.Kind.FolderName(), name.Name), name, default, cancellationToken).ConfigureAwait(false);
        return new ObjectInfo(name, reply.Size);
    }

    public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var done = 0; done < buffer.Length;)
        {
            var length = Math.Min(buffer.Length - done, WorkerFrame.MaxDataBytes);
            var (_, data) = await CallAsync(new CallMessage(StoreOps.Read, name.Kind.FolderName(), name.Name, offset + done, length), name, default, cancellationToken)
                .ConfigureAwait(false);
            if (data.Length != length)
            {
                throw new StorageException($"{name}: Space answered {data.Length} bytes for a read of {length}");
            }

            data.CopyTo(buffer[done..]);
            done += length;
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var size = (await StatAsync(name, cancellationToken).ConfigureAwait(false)).Size;
        var bytes = new byte[size];
        await ReadAtAsync(name, 0, bytes, cancellationToken).ConfigureAwait(false);
        return new MemoryStream(bytes, writable: false);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (reply, _) = await CallAsync(new CallMessage(StoreOps.List, kind.FolderName()), null, default, cancellationToken).ConfigureAwait(false);
        foreach (var listed in reply.Objects ?? [])
        {
            if (!ObjectName.TryCreate(kind, listed.Name, out var name))
            {
                throw new WorkerProtocolException($"Space listed an invalid {kind} name");
            }

            yield return new ObjectInfo(name, listed.Size);
        }
    }

    public async Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default) =>
        await CallAsync(new CallMessage(StoreOps.Delete, name.Kind.FolderName(), name.Name), name, default, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        _writing.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<(ReplyMessage Reply, ReadOnlyMemory<byte> Data)> CallAsync(CallMessage call, ObjectName? name, ReadOnlyMemory<byte> data,
        CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextCall);
        var waiting = new TaskCompletionSource<WorkerFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiting;
        if (Volatile.Read(ref _closed) is { } closed)
        {
            _pending.TryRemove(id, out _);
            throw new StorageException("the connection to Space is closed", inner: closed);
        }

        WorkerFrame frame;
        try
        {
            await SendAsync(WorkerFrame.Of(FrameType.Call, id, call, data), cancellationToken).ConfigureAwait(false);
            frame = await waiting.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }

        var reply = frame.ReadHeader<ReplyMessage>();
        var message = reply.Message ?? "Space refused the operation";
        return reply.Error switch
        {
            null => (reply, frame.Data),
            StoreErrors.NotFound when name is { } missing => throw new ObjectNotFoundException(missing),
            StoreErrors.NotFound => throw new StoreNotFoundException(Location),
            StoreErrors.Exists when name is { } existing => throw new ObjectExistsException(existing),
            StoreErrors.Refused => throw new StorageRefusedException(message),
            StoreErrors.Transient => throw new StorageException(message, isTransient: true),
            _ => throw new StorageException(message),
        };
    }

    private void Close(Exception reason)
    {
        Volatile.Write(ref _closed, reason);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetException(new StorageException("the connection to Space closed", inner: reason));
            }
        }
    }
}
