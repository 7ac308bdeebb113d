using Cairn.Agent.Protocol;
using Cairn.Backup;
using Cairn.Platform;
using Cairn.Restore;

namespace Cairn.Agent.Running;

/// <summary>Counts what a backup or restore has done (the engine calls it from several threads) and turns it into the protocol's progress.</summary>
public sealed class ProgressCounter(TimeProvider time) : IBackupProgress, IRestoreProgress
{
    public const int MaxWarnings = 100;

    private readonly long _started = time.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly List<string> _warnings = [];
    private long _filesDone;
    private long _bytesDone;
    private long _bytesRead;
    private long _filesTotal;
    private long _bytesTotal;

    public void SetTotals(long files, long bytes)
    {
        Interlocked.Exchange(ref _filesTotal, files);
        Interlocked.Exchange(ref _bytesTotal, bytes);
    }

    public void FileDone(RawPath path, long bytes, bool reused)
    {
        Interlocked.Increment(ref _filesDone);
        Interlocked.Add(ref _bytesDone, bytes);
    }

    public void BytesRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    public void Warning(RawPath path, string message) => AddWarning($"{path}: {message}");

    private void AddWarning(string warning)
    {
        lock (_gate)
        {
            if (_warnings.Count < MaxWarnings)
            {
                _warnings.Add(warning);
            }
        }
    }

    void IRestoreProgress.Planned(long files, long bytes) => SetTotals(files, bytes);

    void IRestoreProgress.BytesWritten(long bytes) => Interlocked.Add(ref _bytesDone, bytes);

    void IRestoreProgress.Warning(string path, string message) => AddWarning($"{path}: {message}");

    void IRestoreProgress.Skipped(string path, string reason) => AddWarning($"{path}: skipped ({reason})");

    void IRestoreProgress.Completed(RestoreAction action, string snapshotPath, long? fileSize)
    {
        if (fileSize is not null)
        {
            Interlocked.Increment(ref _filesDone);
        }
    }

    public IReadOnlyList<string> Warnings()
    {
        lock (_gate)
        {
            return [.. _warnings];
        }
    }

    public RunProgress Snapshot()
    {
        var elapsed = time.GetElapsedTime(_started).TotalSeconds;
        var done = Math.Max(Interlocked.Read(ref _bytesDone), Interlocked.Read(ref _bytesRead));
        var total = Interlocked.Read(ref _bytesTotal);
        var rate = elapsed > 0 ? (long)(done / elapsed) : 0;
        long? eta = rate > 0 && total > done ? (total - done) / rate : null;
        return new RunProgress
        {
            FilesDone = Interlocked.Read(ref _filesDone),
            FilesTotal = Interlocked.Read(ref _filesTotal),
            BytesDone = Math.Min(done, Math.Max(total, done)),
            BytesTotal = total,
            BytesPerSecond = rate,
            EtaSeconds = eta,
        };
    }
}
