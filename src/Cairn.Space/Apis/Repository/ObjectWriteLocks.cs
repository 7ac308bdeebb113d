namespace Cairn.Space.Apis.Repository;

/// <summary>
/// Serializes writes and deletes of one object name within this process, so that two racing uploads of the same
/// object count its bytes once. Striped: a fixed set of semaphores, chosen by the hash of task and name.
/// </summary>
public sealed class ObjectWriteLocks : IDisposable
{
    private const int Stripes = 256;
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IDisposable> AcquireAsync(Guid taskId, string objectPath, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)HashCode.Combine(taskId, objectPath) % Stripes];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
