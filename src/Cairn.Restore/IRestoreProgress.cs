namespace Cairn.Restore;

/// <summary>Progress of a restore, reported by the engine; the CLI decides how to show it.</summary>
public interface IRestoreProgress
{
    /// <summary>The plan is made: files and bytes to write.</summary>
    void Planned(long files, long bytes);

    /// <summary>More bytes were written.</summary>
    void BytesWritten(long bytes);

    /// <summary>Something on a path could not be restored as asked; the restore goes on.</summary>
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

/// <summary>Progress that reports nothing.</summary>
public sealed class NoRestoreProgress : IRestoreProgress
{
    /// <summary>The one instance.</summary>
    public static readonly NoRestoreProgress Instance = new();

    /// <inheritdoc/>
    public void Planned(long files, long bytes)
    {
    }

    /// <inheritdoc/>
    public void BytesWritten(long bytes)
    {
    }

    /// <inheritdoc/>
    public void Warning(string path, string message)
    {
    }

    /// <inheritdoc/>
    public void Skipped(string path, string reason)
    {
    }
}
