using Cairn.Agent.Journal;

namespace Cairn.Agent.Protocol;

/// <summary>
/// Sends the journal's runs that Space has not accepted yet, oldest first, whenever one changes and again after
/// every failure, waiting as <see cref="Backoff"/> says while Space is unreachable.
/// </summary>
public sealed class RunReporter(SpaceClient client, RunJournal journal, TimeProvider time)
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly Backoff _backoff = new();

    /// <summary>Raised when a report could not be delivered, with the wait before the next try (for logs).</summary>
    public event Action<Exception, TimeSpan>? Retrying;

    public void Notify()
    {
        try
        {
            if (_changed.CurrentCount == 0)
            {
                _changed.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another thread signalled first: one pending signal is enough.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Delivers every report not yet accepted; returns once all are, retrying with back-off meanwhile.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = journal.NotAccepted();
            if (pending.Count == 0)
            {
                return;
            }

            try
            {
                foreach (var entry in pending)
                {
                    try
                    {
                        await client.ReportRunAsync(entry.RunId, entry.Report, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SpaceRefusedException e)
                    {
                        // Space will never take this state; sending it again would block every later report.
                        Retrying?.Invoke(e, TimeSpan.Zero);
                    }

                    journal.MarkAccepted(entry.RunId, entry.Report);
                }

                _backoff.Reset();
            }
            catch (SpaceUnreachableException e)
            {
                var delay = _backoff.NextDelay();
                Retrying?.Invoke(e, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
