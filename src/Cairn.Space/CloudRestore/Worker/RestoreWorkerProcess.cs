using System.Diagnostics;
using System.Security.Cryptography;
using Cairn.Restore.Worker;
using Cairn.Restore;
using Cairn.Storage;

namespace Cairn.Space.CloudRestore.Worker;

/// <summary>
/// The parent side of one restore worker: starts the child, hands it the password over its standard input, serves its
/// store calls through a <see cref="TaskStoreGate"/>, and turns its events into the driver's results. The child is
/// killed when the job is cancelled or this is disposed; locks it left behind are removed for it.
/// </summary>
public sealed class RestoreWorkerProcess : IAsyncDisposable
{
    /// <summary>Calls served at once: the child decides how many it sends, the parent how many it holds in memory.</summary>
    private const int MaxCallsAtOnce = 8;

    /// <summary>A message of the child becomes an order's reason; longer ones are cut.</summary>
    private const int MaxMessageChars = 2000;

    private readonly Process _process;
    private readonly IObjectStore _store;
    private readonly TaskStoreGate _gate;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly SemaphoreSlim _calls = new(MaxCallsAtOnce, MaxCallsAtOnce);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<EventMessage> _verified = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _stderrTail = [];
    private Task _serving = Task.CompletedTask;
    private Task _stderr = Task.CompletedTask;

    private RestoreWorkerProcess(Process process, IObjectStore store, ILogger logger)
    {
        _process = process;
        _store = store;
        _gate = new TaskStoreGate(store);
        _logger = logger;
    }

    public int ProcessId => _process.Id;

    /// <summary>The child has ended (and was reaped).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the worker; the store is this worker's from now on and disposed with it.</summary>
    public static async Task<RestoreWorkerProcess> StartAsync(ProcessStartInfo start, IObjectStore store, StartMessage message, ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(message);
        var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start())
            {
                throw new CloudRestoreFailedException("the restore process did not start");
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            await store.DisposeAsync().ConfigureAwait(false);
            throw new CloudRestoreFailedException($"the restore process did not start: {e.Message}");
        }

        var worker = new RestoreWorkerProcess(process, store, logger);
        worker._stderr = worker.CollectErrorsAsync();
        worker._serving = worker.ServeAsync();
        var startFrame = WorkerFrame.Of(FrameType.Start, 0, message);
        try
        {
            await worker.WriteAsync(startFrame, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The child ended before reading it; the serving loop reports why.
        }
        finally
        {
            // The password's bytes do not linger in this buffer.
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsMemory(startFrame.Header).Span);
        }

        return worker;
    }

    /// <summary>Waits until the child opened the repository with the password and found the snapshot.</summary>
    public async Task WaitOpenedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Killed here, not from a registration on the token: the wait's own registration may resume this method
            // (and drop ours) before ours ever runs.
            Kill();
            throw;
        }
    }

    /// <summary>Waits for the child's verified restore.</summary>
    public async Task<EventMessage> WaitVerifiedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _verified.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_serving, _stderr).ConfigureAwait(false);
        foreach (var leftover in _gate.OwnLocks())
        {
            try
            {
                await _store.DeleteAsync(leftover, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StorageException e)
            {
                _logger.LogWarning(e, "Could not remove the lock {Lock} a restore process left behind", leftover);
            }
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
        _writing.Dispose();
        _calls.Dispose();
        _stop.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended already.
        }
    }

    private async Task WriteAsync(WorkerFrame frame, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await frame.WriteAsync(_process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ServeAsync()
    {
        var calls = new List<Task>();
        Exception? broken = null;
        try
        {
            var output = _process.StandardOutput.BaseStream;
            while (await WorkerFrame.ReadAsync(output, _stop.Token).ConfigureAwait(false) is { } frame)
            {
                switch (frame.Type)
                {
                    case FrameType.Call:
                        await _calls.WaitAsync(_stop.Token).ConfigureAwait(false);
                        calls.RemoveAll(t => t.IsCompleted);
                        calls.Add(AnswerAsync(frame));
                        break;
                    case FrameType.Event:
                        Handle(frame.ReadHeader<EventMessage>());
                        break;
                    default:
                        throw new WorkerProtocolException($"an unexpected {frame.Type} frame from the restore process");
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            broken = e;
            Kill();
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(calls).ConfigureAwait(false);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        string tail;
        lock (_stderrTail)
        {
            tail = _stderrTail.Count == 0 ? "" : ": " + string.Join(" | ", _stderrTail);
        }

        var ended = new CloudRestoreFailedException(Cut(broken is not null
            ? $"the restore process failed ({broken.Message})"
            : $"the restore process ended (exit code {_process.ExitCode}) without a result{tail}")!);
        _opened.TrySetException(ended);
        _verified.TrySetException(ended);
    }

    private async Task AnswerAsync(WorkerFrame frame)
    {
        try
        {
            (ReplyMessage, ReadOnlyMemory<byte>) reply;
            try
            {
                reply = await _gate.ServeAsync(frame.ReadHeader<CallMessage>(), frame.Data, _stop.Token).ConfigureAwait(false);
            }
            catch (StorageException e)
            {
                reply = (TaskStoreGate.ErrorReply(e), default);
            }
            catch (System.Text.Json.JsonException)
            {
                reply = (new ReplyMessage(StoreErrors.Refused, "a malformed call"), default);
            }

            await WriteAsync(WorkerFrame.Of(FrameType.Reply, frame.CallId, reply.Item1, reply.Item2), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The child is gone; the serving loop reports it.
        }
        finally
        {
            _calls.Release();
        }
    }

    private void Handle(EventMessage message)
    {
        switch (message.Type)
        {
            case WorkerEvents.Opened:
                _logger.LogInformation("Restore process {Pid} (uid {Uid}) opened the repository", _process.Id, message.Uid);
                _opened.TrySetResult();
                break;
            case WorkerEvents.WrongPassword:
                _opened.TrySetException(new BackupPasswordRejectedException());
                break;
            case WorkerEvents.Progress:
                _logger.LogDebug("Restore process {Pid}: {Bytes} bytes written", _process.Id, message.Bytes);
                break;
            case WorkerEvents.Warning:
                _logger.LogWarning("Restore process {Pid}: {Path}: {Message}", _process.Id, Cut(message.Path), Cut(message.Message));
                break;
            case WorkerEvents.Skipped:
                _logger.LogInformation("Restore process {Pid} skipped {Path}: {Message}", _process.Id, Cut(message.Path), Cut(message.Message));
                break;
            case WorkerEvents.Verified:
                _logger.LogInformation("Restore process {Pid} (uid {Uid}) restored and verified {Files} files, {Directories} directories, {Bytes} bytes; {Skipped} entries skipped",
                    _process.Id, message.Uid, message.Files, message.Directories, message.Bytes, message.Skipped);
                _verified.TrySetResult(message);
                break;
            case WorkerEvents.Failed:
                var text = Cut(message.Message) ?? "the restore failed";
                Exception failure = message.Verification ? new RestoreVerificationException(text) : new CloudRestoreFailedException(text);
                _opened.TrySetException(failure);
                _verified.TrySetException(failure);
                break;
            default:
                throw new WorkerProtocolException("an unknown event from the restore process");
        }
    }

    private async Task CollectErrorsAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                _logger.LogDebug("Restore process {Pid}: {Line}", _process.Id, Cut(line));
                lock (_stderrTail)
                {
                    _stderrTail.Add(Cut(line)!);
                    if (_stderrTail.Count > 5)
                    {
                        _stderrTail.RemoveAt(0);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private static string? Cut(string? text) => text is { Length: > MaxMessageChars } ? text[..MaxMessageChars] + "…" : text;
}
