using System.Threading.Channels;

namespace Cairn.Space.CloudRestore;

/// <summary>Wakes the job runner when an order is paid, a password given or an instance returned, instead of waiting for its next look.</summary>
public sealed class CloudJobSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the timeout: look again anyway
        }
    }
}

/// <summary>
/// Told each time the job runner has saved a new state, before it goes on. The default does nothing; tests use it to
/// watch an install and to hold it in a state (Space stopped during Installing).
/// </summary>
public interface ICloudJobObserver
{
    ValueTask StateSavedAsync(Guid instanceId, CloudInstanceState state, CancellationToken cancellationToken);
}

public sealed class NoCloudJobObserver : ICloudJobObserver
{
    public ValueTask StateSavedAsync(Guid instanceId, CloudInstanceState state, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>The installed drivers by name.</summary>
public sealed class CloudDrivers(IEnumerable<ICloudDriver> drivers)
{
    private readonly Dictionary<string, ICloudDriver> _byName = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public bool Has(string name) => _byName.ContainsKey(name);

    public ICloudDriver For(string name)
        => _byName.TryGetValue(name, out var driver) ? driver : throw new InvalidOperationException($"no cloud driver '{name}' is installed");
}
