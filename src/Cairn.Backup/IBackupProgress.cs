using Cairn.Platform;

namespace Cairn.Backup;

/// <summary>How the engine tells the outside world what it is doing; the engine never writes to the console.</summary>
public interface IBackupProgress
{
    /// <summary>A file was finished (read or reused); <paramref name="bytes"/> is its size.</summary>
    void FileDone(RawPath path, long bytes, bool reused);

    /// <summary>Bytes read from a file so far (for a live rate).</summary>
    void BytesRead(long bytes);

    /// <summary>A source entry could not be read; the backup goes on without it.</summary>
    void Warning(RawPath path, string message);
}

/// <summary>Reports nothing.</summary>
internal sealed class NoBackupProgress : IBackupProgress
{
    public static readonly NoBackupProgress Instance = new();

    public void FileDone(RawPath path, long bytes, bool reused)
    {
    }

    public void BytesRead(long bytes)
    {
    }

    public void Warning(RawPath path, string message)
    {
    }
}
