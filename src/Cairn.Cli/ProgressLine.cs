using System.Diagnostics;
using Cairn.Backup;
using Cairn.Platform;
using Cairn.Restore;

namespace Cairn.Cli;

/// <summary>
/// The live status line on a terminal (files, bytes, rate, ETA), redrawn four times a second; prints nothing when
/// standard output is not a terminal or in --json/--quiet mode. Warnings always go to standard error.
/// </summary>
internal sealed class ProgressLine : IBackupProgress, IRestoreProgress, IDisposable
{
    private readonly Output _output;
    private readonly bool _live;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private long _files, _bytes, _totalFiles, _totalBytes, _errors;
    private int _lastWidth;

    public ProgressLine(Output output)
    {
        _output = output;
        _live = !Console.IsOutputRedirected && !output.Json && !output.Quiet;
        if (_live)
        {
            _timer = new Timer(_ => Draw(), null, 250, 250);
        }
    }

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Whether the line is drawn at all (a terminal, not --quiet or --json): totals are only worth counting then.</summary>
    public bool IsLive => _live;

    public void SetTotals(long files, long bytes)
    {
        Interlocked.Exchange(ref _totalFiles, files);
        Interlocked.Exchange(ref _totalBytes, bytes);
    }

    public void FileDone(RawPath path, long bytes, bool reused)
    {
        Interlocked.Increment(ref _files);
        if (reused)
        {
            Interlocked.Add(ref _bytes, bytes);
        }
    }

    public void BytesRead(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void Warning(RawPath path, string message) => Warning(path.ToString(), message);

    public void Planned(long files, long bytes) => SetTotals(files, bytes);

    public void BytesWritten(long bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <summary>Only sockets are skipped by the CLI's restore, and restic says nothing of them either.</summary>
    public void Skipped(string path, string reason)
    {
    }

    public void Warning(string path, string message)
    {
        Interlocked.Increment(ref _errors);
        lock (this)
        {
            Clear();
            _output.Error.WriteLine($"error: {path}: {message}");
        }
    }

    private void Draw()
    {
        var elapsed = _clock.Elapsed;
        var bytes = Interlocked.Read(ref _bytes);
        var rate = elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
        var total = Interlocked.Read(ref _totalBytes);
        var text = $"[{Format(elapsed)}] {Interlocked.Read(ref _files)} files {Output.Bytes(bytes)}";
        if (total > 0)
        {
            text += $" / {Output.Bytes(total)}";
        }

        text += $", {Output.Bytes((long)rate)}/s";
        if (total > bytes && rate > 0)
        {
            text += $" ETA {Format(TimeSpan.FromSeconds((total - bytes) / rate))}";
        }

        lock (this)
        {
            var width = Math.Max(text.Length, _lastWidth);
            _output.Out.Write("\r" + text.PadRight(width));
            _output.Out.Flush();
            _lastWidth = text.Length;
        }
    }

    private void Clear()
    {
        if (_live && _lastWidth > 0)
        {
            _output.Out.Write("\r" + new string(' ', _lastWidth) + "\r");
            _lastWidth = 0;
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";

    public void Dispose()
    {
        _timer?.Dispose();
        lock (this)
        {
            Clear();
        }
    }
}
