using System.Runtime.CompilerServices;

namespace Cairn.Storage.Testing;

/// <summary>
/// Wraps any store and makes chosen calls fail: the Nth save, read, listing or delete, transiently or for
/// good, an upload broken part way, a lying backend that truncates, a byte flipped on the way back.
/// Thread-safe; counts every call so tests can assert how often the layer above tried.
/// </summary>
public sealed class FaultInjectingObjectStore(IObjectStore inner) : IObjectStore
{
    private readonly Lock _lock = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Dictionary<StoreOperation, int> _calls = [];

    public IObjectStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public string Location => Inner.Location;

    /// <summary>Adds a fault for the <paramref name="firstCall"/>-th matching call from now on (and <paramref name="times"/> - 1 after it).</summary>
    public FaultRule Inject(StoreOperation operation, StoreFault fault, int firstCall = 1, int times = 1, ObjectKind? kind = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var rule = new FaultRule(operation, fault, firstCall, times, kind);
        lock (_lock)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Every matching call fails from now on, until <see cref="ClearFaults"/>.</summary>
    public FaultRule InjectAlways(StoreOperation operation, StoreFault fault, ObjectKind? kind = null) =>
        Inject(operation, fault, 1, int.MaxValue / 2, kind);

    public void ClearFaults()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>How many times an operation was called on this wrapper, faulted or not.</summary>
    public int Calls(StoreOperation operation)
    {
        lock (_lock)
        {
            return _calls.GetValueOrDefault(operation);
        }
    }

    public async Task CreateAsync(CancellationToken cancellationToken = default)
    {
        var fault = Next(StoreOperation.Create, ObjectKind.Config);
        ThrowBefore(fault);
        await Inner.CreateAsync(cancellationToken).ConfigureAwait(false);
        ThrowAfter(fault);
    }

    public async Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var fault = Next(StoreOperation.Save, name.Kind);
        ThrowBefore(fault);
        switch (fault?.Kind)
        {
            // A broken attempt is one pass of a stream of unknown length; the layer above decides whether to try again.
            case StoreFault.FaultKind.InterruptSave:
                try
                {
                    await using var opened = content.Open();
                    await Inner.SaveAsync(name, ObjectContent.OnePass(new FaultyStream(opened, fault.Bytes, throwAtLimit: true)), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new StorageException($"saving {name} was interrupted after {fault.Bytes} bytes (injected)", isTransient: true, e);
                }

                throw new InvalidOperationException($"{Inner.GetType().Name} accepted a save whose stream failed; it must not");
            case StoreFault.FaultKind.TruncateSave:
                await using (var opened = content.Open())
                {
                    await Inner.SaveAsync(name, ObjectContent.OnePass(new FaultyStream(opened, fault.Bytes, throwAtLimit: false)), cancellationToken)
                        .ConfigureAwait(false);
                }

                return;
            default:
                await Inner.SaveAsync(name, content, cancellationToken).ConfigureAwait(false);
                ThrowAfter(fault);
                return;
        }
    }

    public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var fault = Next(StoreOperation.Stat, name.Kind);
        ThrowBefore(fault);
        var info = await Inner.StatAsync(name, cancellationToken).ConfigureAwait(false);
        ThrowAfter(fault);
        return info;
    }

    public async Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var fault = Next(StoreOperation.Read, name.Kind);
        ThrowBefore(fault);
        await Inner.ReadAtAsync(name, offset, buffer, cancellationToken).ConfigureAwait(false);
        ThrowAfter(fault);
        if (fault?.Kind == StoreFault.FaultKind.FlipByte && fault.Bytes >= offset && fault.Bytes < offset + buffer.Length)
        {
            buffer.Span[(int)(fault.Bytes - offset)] ^= 0xFF;
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var fault = Next(StoreOperation.OpenRead, name.Kind);
        ThrowBefore(fault);
        var stream = await Inner.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        if (fault?.Kind != StoreFault.FaultKind.FlipByte)
        {
            ThrowAfter(fault);
            return stream;
        }

        var copy = new MemoryStream();
        await using (stream.ConfigureAwait(false))
        {
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        if (fault.Bytes < copy.Length)
        {
            copy.GetBuffer()[fault.Bytes] ^= 0xFF;
        }

        copy.Position = 0;
        return copy;
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var fault = Next(StoreOperation.List, kind);
        ThrowBefore(fault);
        await foreach (var info in Inner.ListAsync(kind, cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }

        ThrowAfter(fault);
    }

    public async Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var fault = Next(StoreOperation.Delete, name.Kind);
        ThrowBefore(fault);
        await Inner.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        ThrowAfter(fault);
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    private StoreFault? Next(StoreOperation operation, ObjectKind kind)
    {
        lock (_lock)
        {
            _calls[operation] = _calls.GetValueOrDefault(operation) + 1;
            StoreFault? fault = null;
            foreach (var rule in _rules)
            {
                // Every rule counts the call; the first that fires decides what happens.
                if (rule.Matches(operation, kind))
                {
                    fault ??= rule.Fault;
                }
            }

            return fault;
        }
    }

    private static void ThrowBefore(StoreFault? fault)
    {
        if (fault is { Kind: StoreFault.FaultKind.Throw, AfterInner: false })
        {
            throw fault.Exception!();
        }
    }

    private static void ThrowAfter(StoreFault? fault)
    {
        if (fault is { Kind: StoreFault.FaultKind.Throw, AfterInner: true })
        {
            throw fault.Exception!();
        }
    }
}
