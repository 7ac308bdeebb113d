using System.Text;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// Reads every process's <c>/proc/PID/cmdline</c> and <c>/proc/PID/environ</c> over and over until stopped, noting
/// any that holds the secret: proof that a secret handed over a pipe never sat where other users or tools can read it.
/// </summary>
public sealed class ProcessScan : IDisposable
{
    private readonly byte[] _secret;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _scanning;
    private readonly List<string> _found = [];
    private long _checked;

    public ProcessScan(string secret)
    {
        _secret = Encoding.UTF8.GetBytes(secret);
        _scanning = Task.Run(ScanAsync);
    }

    /// <summary>Files read so far.</summary>
    public long Checked => Interlocked.Read(ref _checked);

    /// <summary>The files that held the secret, with the process's command.</summary>
    public IReadOnlyList<string> Found
    {
        get
        {
            lock (_found)
            {
                return [.. _found];
            }
        }
    }

    public void Stop()
    {
        _stop.Cancel();
        _scanning.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            Stop();
        }

        _stop.Dispose();
    }

    private async Task ScanAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(folder), out _))
                {
                    continue;
                }

                foreach (var name in (string[])["cmdline", "environ"])
                {
                    try
                    {
                        var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, name));
                        Interlocked.Increment(ref _checked);
                        if (bytes.AsSpan().IndexOf(_secret) >= 0)
                        {
                            lock (_found)
                            {
                                _found.Add($"{folder}/{name}: {Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(folder, "cmdline"))).Replace('\0', ' ')}");
                            }
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // The process ended between listing and reading.
                    }
                }
            }

            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
