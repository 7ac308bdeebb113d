using System.Runtime.CompilerServices;

namespace Cairn.Storage;

/// <summary>
/// Retries the transient failures of another store with exponential backoff and jitter (<see cref="RetryOptions"/>).
/// Not found, exists and refused are passed on at once. A save is retried when its content is rewindable
/// (<see cref="ObjectContent.CanRewind"/>); a one-pass content gets one attempt, as its type says;
/// a listing that fails part way is listed again, skipping what was already yielded; a delete whose retry finds
/// the object gone counts as done (the failed attempt deleted it). Streams from <see cref="OpenReadAsync(ObjectName, CancellationToken)"/> are
/// not retried once open. A server that cannot be reached (<see cref="StoreUnreachableException"/>: refused, DNS)
/// is retried only once it has answered at least one call: while a repository is being opened, a wrong or dead
/// address fails at once instead of after minutes of back-off, while a server restarting mid-backup is waited for.
/// </summary>
public sealed class RetryingObjectStore : IObjectStore
{
    private readonly RetryOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;

    // Set once any call got an answer from the server; before that, unreachable means a wrong or dead address.
    private volatile bool _answered;

    /// <summary>Wraps a store so transient failures are retried with backoff.</summary>
    public RetryingObjectStore(IObjectStore inner, RetryOptions? options = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _options = options ?? RetryOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1);
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    /// <summary>The wrapped store.</summary>
    public IObjectStore Inner { get; }

    /// <inheritdoc/>
    public string Location => Inner.Location;

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken cancellationToken = default) =>
        RunAsync("create", Location, _ => Inner.CreateAsync(cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.CanRewind
            ? RunAsync("save", name.ToString(), _ => Inner.SaveAsync(name, content, cancellationToken), cancellationToken)
            : Inner.SaveAsync(name, content, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        var info = default(ObjectInfo);
        await RunAsync("stat", name.ToString(), async _ => info = await Inner.StatAsync(name, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return info;
    }

    /// <inheritdoc/>
    public Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        RunAsync("read", name.ToString(), _ => Inner.ReadAtAsync(name, offset, buffer, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default)
    {
        Stream? stream = null;
        await RunAsync("open", name.ToString(), async _ => stream = await Inner.OpenReadAsync(name, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return stream!;
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(ObjectName name, long offset, long length, CancellationToken cancellationToken = default)
    {
        Stream? stream = null;
        await RunAsync("open", name.ToString(), async _ => stream = await Inner.OpenReadAsync(name, offset, length, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return stream!;
    }

    /// <inheritdoc/>
    public async Task<ObjectRead> OpenWithSizeAsync(ObjectName name, long offset, long? length, CancellationToken cancellationToken = default)
    {
        ObjectRead read = default;
        await RunAsync("open", name.ToString(), async _ => read = await Inner.OpenWithSizeAsync(name, offset, length, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return read;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<ObjectName>();
        for (var attempt = 1; ; attempt++)
        {
            Exception? failure = null;
            await using (var items = Inner.ListAsync(kind, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while (true)
                {
                    // Yielding is impossible inside try/catch, so each step is fetched first, then yielded.
                    try
                    {
                        if (!await items.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (attempt < _options.MaxAttempts && ShouldRetry(e, cancellationToken))
                    {
                        failure = e;
                        break;
                    }

                    _answered = true;

                    if (seen.Add(items.Current.Name))
                    {
                        yield return items.Current;
                    }
                }
            }

            if (failure is null)
            {
                yield break;
            }

            await WaitAsync("list", kind.FolderName(), attempt, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default) =>
        RunAsync("delete", name.ToString(), async attempt =>
        {
            try
            {
                await Inner.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectNotFoundException) when (attempt > 1)
            {
                // An earlier attempt deleted it and only its answer was lost.
            }
        }, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() => Location;

    private async Task RunAsync(string operation, string target, Func<int, Task> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call(attempt).ConfigureAwait(false);
                _answered = true;
                return;
            }
            catch (Exception e) when (attempt < _options.MaxAttempts && ShouldRetry(e, cancellationToken))
            {
                await WaitAsync(operation, target, attempt, e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether to try again after <paramref name="error"/>; also notes whether the server answered at all.</summary>
    private bool ShouldRetry(Exception error, CancellationToken cancellationToken)
    {
        if (error is StoreUnreachableException)
        {
            return _answered && TransientFailures.IsTransient(error, cancellationToken);
        }

        if (error is StorageException { InnerException: not OperationCanceledException })
        {
            _answered = true; // an HTTP answer, even an error, shows the address is right
        }

        return TransientFailures.IsTransient(error, cancellationToken);
    }

    private Task WaitAsync(string operation, string target, int attempt, Exception error, CancellationToken cancellationToken)
    {
        double random;
        lock (_random)
        {
            random = _random.NextDouble(); // a caller's Random is not thread-safe
        }

        var delay = _options.DelayBefore(attempt, random);
        _options.OnRetry?.Invoke(new RetryAttempt(operation, target, attempt + 1, error, delay));
        return Task.Delay(delay, _time, cancellationToken);
    }
}
