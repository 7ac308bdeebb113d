using System.Diagnostics;
using System.Text;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal;
using Cairn.Repository.Internal.Format;

namespace Cairn.Backup;

/// <summary>
/// Makes a snapshot of one stream (backup --stdin, --stdin-from-command): the root tree holds a single file of that
/// name, mode 0644, owned by this process, with every time set to the snapshot's; the snapshot's path is "/name",
/// as in restic.
/// </summary>
public sealed class StreamArchiver(IBackupTarget target, IBackupProgress? progress = null)
{
    private readonly IBackupProgress _progress = progress ?? NoBackupProgress.Instance;

    /// <param name="options">Labels and snapshot choices; <see cref="BackupOptions.Paths"/> is not used.</param>
    /// <param name="fileName">The file's name in the snapshot; a single name, no "/".</param>
    /// <param name="content">Read to its end.</param>
    /// <param name="beforeCommit">
    /// Runs once the stream has ended, before anything is flushed or saved; an exception from it ends the backup
    /// without a snapshot (a command whose output was backed up failed).
    /// </param>
    public async Task<BackupSummary> RunAsync(
        BackupOptions options,
        string fileName,
        Stream content,
        Snapshot? parent,
        Func<CancellationToken, Task>? beforeCommit = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName is "." or "..")
        {
            throw new ArgumentException($"the file name for standard input must be a single name, not \"{fileName}\"", nameof(fileName));
        }

        var started = Stopwatch.StartNew();
        var startTime = options.SnapshotTime ?? options.Time.GetLocalNow();
        var name = Encoding.UTF8.GetBytes(fileName);
        var path = RawPath.FromString("/" + fileName);

        List<Id> chunks;
        long size, blobs, added;
        using (var reader = new FileReader(target, _progress))
        {
            (chunks, size) = await reader.ReadAsync(content, cancellationToken).ConfigureAwait(false);
            (blobs, added) = (reader.BlobsAdded, reader.BytesAdded);
        }

        if (beforeCommit is not null)
        {
            await beforeCommit(cancellationToken).ConfigureAwait(false);
        }

        _progress.FileDone(path, size, reused: false);
        var time = NodeTime.FromDateTimeOffset(startTime);
        var node = new Node
        {
            Name = name,
            Type = NodeType.File,
            Mode = GoFileMode.FromPosix(FileKind.File, 0b110_100_100),
            ModTime = time,
            AccessTime = time,
            ChangeTime = time,
            Uid = ProcessIdentity.Uid,
            Gid = ProcessIdentity.Gid,
            Size = (ulong)size,
            Content = chunks,
        };
        var tree = TreeCodec.Encode([node]);
        var treeId = Id.Hash(tree);
        var treeAdded = await target.SaveBlobAsync(BlobType.Tree, treeId, tree, cancellationToken).ConfigureAwait(false);

        var (id, skipped) = await SnapshotCommit.SaveAsync(target, options with { SnapshotTime = startTime }, parent, treeId, ["/" + fileName], startTime, cancellationToken)
            .ConfigureAwait(false);
        var isNew = parent is null;
        return new BackupSummary
        {
            SnapshotId = id,
            SkippedUnchanged = skipped,
            FilesNew = isNew ? 1 : 0,
            FilesChanged = isNew ? 0 : 1,
            DirsUnmodified = 0,
            DataBlobs = blobs,
            TreeBlobs = treeAdded ? 1 : 0,
            DataAdded = added,
            TotalFilesProcessed = 1,
            TotalBytesProcessed = size,
            Duration = started.Elapsed,
        };
    }
}
