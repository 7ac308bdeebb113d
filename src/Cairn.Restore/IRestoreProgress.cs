namespace Cairn.Restore;

/// <summary>Progress of a restore, reported by the engine; the CLI decides how to show it.</summary>
public interface IRestoreProgress
{
    void Planned(long files, long bytes);

    void BytesWritten(long bytes);

    void Warning(string path, string message);

    /// <summary>An entry of the snapshot was deliberately not created (a socket, or a device or FIFO the host safety leaves out).</summary>
    void Skipped(string path, string reason);
}

public sealed class NoRestoreProgress : IRestoreProgress
{
    public static readonly NoRestoreProgress Instance = new();

    public void Planned(long files, long bytes)
    {
    }

    public void BytesWritten(long bytes)
    {
    }

    public void Warning(string path, string message)
    {
    }

    public void Skipped(string path, string reason)
    {
    }
}
