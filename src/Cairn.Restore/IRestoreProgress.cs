namespace Cairn.Restore;

/// <summary>Progress of a restore, reported by the engine; the CLI decides how to show it.</summary>
public interface IRestoreProgress
{
    void Planned(long files, long bytes);

    void BytesWritten(long bytes);

    void Warning(string path, string message);

    /// <summary>An entry of the snapshot was deliberately not created (a socket, or a device or FIFO the host safety leaves out).</summary>
    void Skipped(string path, string reason);

    /// <summary>
    /// What was done (or, in a dry run, would be done) with one entry, by its path in the snapshot; reported in plan
    /// order once the restore is done. Most hosts do not list entries, so doing nothing is the default.
    /// </summary>
    /// <param name="fileSize">The size of a file; null for other entries.</param>
    void Completed(RestoreAction action, string snapshotPath, long? fileSize)
    {
    }
}

/// <summary>What happened to one entry, named by restic 0.17's verbs.</summary>
public enum RestoreAction
{
    /// <summary>Created, or an existing non-file entry replaced ("restored").</summary>
    Restored,

    /// <summary>An existing file rewritten with the snapshot's content ("updated").</summary>
    Updated,

    /// <summary>An existing entry left as it was: its content matched, or the overwrite mode kept it ("unchanged").</summary>
    Unchanged,

    /// <summary>Removed because the snapshot does not have it ("deleted").</summary>
    Deleted,
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
