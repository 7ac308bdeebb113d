using System.Diagnostics;
using System.Threading.Channels;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Backup;

/// <summary>
/// Makes a snapshot: walks the paths in tree order, hands files to a bounded pool of readers over a channel
/// (back-pressure keeps memory flat), reuses the content of files unchanged since the parent snapshot, builds
/// and stores the trees bottom-up, flushes packs and index, and only then saves the snapshot.
/// </summary>
public sealed class Archiver(IBackupTarget target, IBackupProgress? progress = null)
{
    private readonly IBackupProgress _progress = progress ?? NoBackupProgress.Instance;

    /// <summary>Backs up the options' paths into the target and saves the snapshot; an unchanged file of <paramref name="parent"/> is reused without reading it.</summary>
    public async Task<BackupSummary> RunAsync(BackupOptions options, Snapshot? parent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.StartNew();
        var startTime = options.Time.GetLocalNow();
        var cwd = Directory.GetCurrentDirectory();
        var absolute = options.Paths.Select(p => SourcePath.Absolute(p, cwd)).ToList();
        for (var i = 0; i < absolute.Count; i++)
        {
            if (!PosixFileSystem.Exists(absolute[i]))
            {
                var shown = options.Paths[i].ToString();
                throw new FileNotFoundException($"{shown} does not exist", shown);
            }
        }

        var filter = options.Filter ?? SourceFilter.FromPatterns(options.Excludes);
        var run = new Run(target, _progress, filter, options.FileConcurrency, options.Listings, cancellationToken);
        var targets = TargetTree.Build(options.Paths, cwd);
        var parentRoot = parent is null ? null : await target.LoadTreeAsync(parent.Tree, cancellationToken).ConfigureAwait(false);

        var workers = run.StartWorkers();
        Id rootTree;
        try
        {
            var rootTask = await run.WalkVirtualAsync(targets, parentRoot).ConfigureAwait(false);
            await run.ForkedWalksAsync().ConfigureAwait(false);
            run.Complete();
            rootTree = await rootTask.ConfigureAwait(false);
        }
        finally
        {
            run.Complete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        var paths = absolute.Select(SourcePath.ToSnapshotPath).ToList();
        var (id, skipped) = await SnapshotCommit.SaveAsync(target, options, parent, rootTree, paths, startTime, cancellationToken).ConfigureAwait(false);
        return run.Summary(id, skipped, started.Elapsed);
    }

    /// <summary>The state of one backup run.</summary>
    private sealed class Run(IBackupTarget target, IBackupProgress progress, SourceFilter filter, int concurrency, SourceScanner? listings, CancellationToken cancellationToken)
    {
        private readonly Channel<FileJob> _files = Channel.CreateBounded<FileJob>(new BoundedChannelOptions(Math.Max(4, concurrency * 8))
        {
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });

        // Subfolder walks that may run beside the main one: one per further core.
        private readonly SemaphoreSlim _forks = new(Math.Max(0, Environment.ProcessorCount - 1));
        private readonly System.Collections.Concurrent.ConcurrentQueue<Task> _forkedWalks = new();

        private long _filesNew, _filesChanged, _filesUnmodified, _dirsNew, _dirsChanged, _dirsUnmodified;
        private long _dataBlobs, _dataAdded, _treeBlobs, _bytesProcessed, _errors;

        public Task[] StartWorkers() =>
            [.. Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(WorkerAsync, cancellationToken))];

        public void Complete() => _files.Writer.TryComplete();

        private async Task WorkerAsync()
        {
            using var reader = new FileReader(target, progress);
            await foreach (var job in _files.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var blobsBefore = reader.BlobsAdded;
                var bytesBefore = reader.BytesAdded;
                try
                {
                    job.Result.TrySetResult(await ReadFileAsync(reader, job).ConfigureAwait(false));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Warn(job.Path, e.Message);
                    job.Result.TrySetResult(null);
                }
                catch (Exception e)
                {
                    job.Result.TrySetException(e);
                }

                Interlocked.Add(ref _dataBlobs, reader.BlobsAdded - blobsBefore);
                Interlocked.Add(ref _dataAdded, reader.BytesAdded - bytesBefore);
            }
        }

        private async Task<Node?> ReadFileAsync(FileReader reader, FileJob job)
        {
            using var handle = job.Handle;
            var (content, size) = await reader.ReadAsync(handle, cancellationToken).ConfigureAwait(false);
            var after = PosixFileSystem.Stat(handle);
            var status = after with { Size = size };
            if (after.Size != size || after.ModifyTime != job.Status.ModifyTime)
            {
                progress.Warning(job.Path, "file changed while it was read; the snapshot holds what was read");
            }

            Interlocked.Add(ref _bytesProcessed, size);
            Interlocked.Increment(ref job.Previous is null ? ref _filesNew : ref _filesChanged);
            progress.FileDone(job.Path, size, reused: false);
            return NodeFactory.Create(job.Name, status, ReadXattrs(job.Path), content);
        }

        private bool HasAllData(IReadOnlyList<Id> content)
        {
            for (var i = 0; i < content.Count; i++)
            {
                if (!target.HasBlob(BlobType.Data, content[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private void Warn(RawPath path, string message)
        {
            Interlocked.Increment(ref _errors);
            progress.Warning(path, message);
        }

        private IReadOnlyList<ExtendedAttribute>? ReadXattrs(RawPath path)
        {
            try
            {
                var list = PosixFileSystem.ListXattrs(path);
                if (list.Count == 0)
                {
                    return null;
                }

                return [.. list.Select(a => new ExtendedAttribute(System.Text.Encoding.UTF8.GetString(a.Name), a.Value))
                               .OrderBy(a => a.Name, StringComparer.Ordinal)];
            }
            catch (IOException e)
            {
                progress.Warning(path, "extended attributes not read: " + e.Message);
                return null;
            }
        }

        /// <summary>The snapshot root: the tree of the paths given, with the folders on the way to them.</summary>
        public async ValueTask<Task<Id>> WalkVirtualAsync(TargetTree tree, List<Node>? parentNodes)
        {
            if (tree.IsTarget)
            {
                // Backing up "/": the root folder's own children form the root tree.
                var dirTask = await WalkDirectoryChildrenAsync(tree.FsPath, null, parentNodes).ConfigureAwait(false);
                return dirTask;
            }

            var children = new List<Task<Node?>>();
            foreach (var (name, child) in tree.Children)
            {
                var previous = Find(parentNodes, name);
                if (child.IsTarget)
                {
                    children.Add(await WalkAsync(child.FsPath, name, previous).ConfigureAwait(false));
                }
                else
                {
                    children.Add(await WalkIntermediateAsync(child, name, previous).ConfigureAwait(false));
                }
            }

            return SaveTreeAsync(children);
        }

        private async ValueTask<Task<Node?>> WalkIntermediateAsync(TargetTree tree, byte[] name, Node? previous)
        {
            FileStatus status;
            try
            {
                // A folder on the way to a backup path may be a symlink to one; it is stored as the folder it
                // leads to (as restic does), since a symlink node cannot hold the subtree below it.
                status = PosixFileSystem.LStat(tree.FsPath);
                if (status.Kind == FileKind.Symlink)
                {
                    status = PosixFileSystem.LStat(PosixFileSystem.RealPath(tree.FsPath));
                }
            }
            catch (IOException e)
            {
                Warn(tree.FsPath, e.Message);
                return Task.FromResult<Node?>(null);
            }

            var previousChildren = previous?.Subtree is { } sub ? await target.LoadTreeAsync(sub, cancellationToken).ConfigureAwait(false) : null;
            var subtree = await WalkVirtualAsync(tree, previousChildren).ConfigureAwait(false);
            return FinishDirectoryAsync(tree.FsPath, name, status, subtree, previous);
        }

        internal static Node? Find(List<Node>? nodes, byte[] name)
        {
            if (nodes is null)
            {
                return null;
            }

            foreach (var n in nodes)
            {
                if (n.Name.AsSpan().SequenceEqual(name))
                {
                    return n;
                }
            }

            return null;
        }

        /// <summary>Starts the work for one entry; the returned task completes with its node (null if skipped).</summary>
        /// <param name="listed">The entry's status from its folder's listing, or null to ask for it here.</param>
        private async ValueTask<Task<Node?>> WalkAsync(RawPath path, byte[] name, Node? previous, FileStatus? listed = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (filter.HasPatterns && filter.RejectsPath(path.Bytes))
            {
                return Task.FromResult<Node?>(null);
            }

            FileStatus status;
            try
            {
                status = listed ?? PosixFileSystem.LStat(path);
            }
            catch (IOException e)
            {
                Warn(path, e.Message);
                return Task.FromResult<Node?>(null);
            }

            if (filter.RejectsStatus(status))
            {
                return Task.FromResult<Node?>(null);
            }

            switch (status.Kind)
            {
                case FileKind.File:
                    if (NodeFactory.IsUnchanged(previous, status) && HasAllData(previous!.Content!))
                    {
                        Interlocked.Increment(ref _filesUnmodified);
                        Interlocked.Add(ref _bytesProcessed, status.Size);
                        progress.FileDone(path, status.Size, reused: true);
                        // Setting or removing an extended attribute changes the ctime, which IsUnchanged compares:
                        // the parent's attributes are still the file's, and listing them again is a syscall per file.
                        return Task.FromResult<Node?>(NodeFactory.Matches(previous, status)
                            ? previous
                            : NodeFactory.Create(name, status, previous.ExtendedAttributes, previous.Content));
                    }

                    // Opened here, and its first buffer's worth requested from the disk, so the read is under way
                    // while the job waits in the channel for a free reader.
                    SafeFileHandle handle;
                    try
                    {
                        handle = PosixFileSystem.OpenRead(path);
                        PosixFileSystem.AdviseWillNeed(handle, 0, Math.Min(status.Size, Cairn.Repository.Internal.Chunking.Chunker.MaxSize));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        Warn(path, e.Message);
                        return Task.FromResult<Node?>(null);
                    }

                    var job = new FileJob(path, name, status, previous, handle);
                    try
                    {
                        await _files.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        handle.Dispose();
                        throw;
                    }

                    return job.Result.Task;

                case FileKind.Directory:
                    var previousChildren = previous is { Type: NodeType.Dir, Subtree: { } sub }
                        ? await target.LoadTreeAsync(sub, cancellationToken).ConfigureAwait(false)
                        : null;
                    var subtree = await WalkDirectoryChildrenAsync(path, status, previousChildren, previous?.Subtree).ConfigureAwait(false);
                    return FinishDirectoryAsync(path, name, status, subtree, previous);

                case FileKind.Symlink:
                    byte[] linkTarget;
                    try
                    {
                        linkTarget = PosixFileSystem.ReadLink(path);
                    }
                    catch (IOException e)
                    {
                        Warn(path, e.Message);
                        return Task.FromResult<Node?>(null);
                    }

                    return Task.FromResult<Node?>(NodeFactory.Create(name, status, ReadXattrs(path), linkTarget: linkTarget));

                case FileKind.Socket:
                    // Like restic: a socket cannot be restored meaningfully, so it is not recorded.
                    return Task.FromResult<Node?>(null);

                default:
                    return Task.FromResult<Node?>(NodeFactory.Create(name, status, ReadXattrs(path)));
            }
        }

        /// <param name="previousTree">The folder's tree in the parent snapshot, whose nodes are <paramref name="previousChildren"/>.</param>
        private async ValueTask<Task<Id>> WalkDirectoryChildrenAsync(RawPath path, FileStatus? status, List<Node>? previousChildren, Id? previousTree = null)
        {
            // In tree order (bytewise by name, as trees are stored), so the parent's nodes are met in the same order
            // and each name is matched by one step instead of a search.
            var entries = status is { } folder ? listings?.Take(folder) : null;
            if (status is { } mountPoint && filter.IsOtherFileSystem(mountPoint))
            {
                // --one-file-system: the folder where another file system is mounted is kept, empty.
                entries = [];
            }
            else if (entries is null)
            {
                try
                {
                    entries = PosixFileSystem.ListDirectory(path);
                }
                catch (IOException e)
                {
                    Warn(path, e.Message);
                    entries = [];
                }
            }

            entries = filter.KeepInFolder(path, entries);
            var previous = new ParentCursor(previousChildren);
            var children = new List<Task<Node?>>(entries.Length);
            foreach (var entry in entries)
            {
                var name = entry.Name;
                var child = path.Join(name);
                FileStatus? listed = entry.HasStatus ? entry.Status : null;
                var previousNode = previous.Find(name);
                children.Add(previousNode is { Type: NodeType.Dir } && _forks.Wait(0)
                    ? Fork(child, name, previousNode, listed)
                    : await WalkAsync(child, name, previousNode, listed).ConfigureAwait(false));
            }

            return SaveTreeAsync(children, previousChildren, previousTree);
        }

        /// <summary>
        /// Walks a subfolder on another core (the caller took a free one from <see cref="_forks"/>; it never waits
        /// for one, so nested walks cannot deadlock); its node joins the folder's tree like any other. The files
        /// channel stays open until the forked walk has handed over its last file.
        /// </summary>
        private Task<Node?> Fork(RawPath path, byte[] name, Node previous, FileStatus? listed)
        {
            var walked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _forkedWalks.Enqueue(walked.Task);
            // Not cancelled before it starts: the walk itself stops on cancellation and still completes `walked`.
            return Task.Run(() => WalkForkedAsync(path, name, previous, listed, walked), CancellationToken.None);
        }

        private async Task<Node?> WalkForkedAsync(RawPath path, byte[] name, Node previous, FileStatus? listed, TaskCompletionSource walked)
        {
            Task<Node?> node;
            try
            {
                node = await WalkAsync(path, name, previous, listed).ConfigureAwait(false);
            }
            finally
            {
                _forks.Release();
                walked.TrySetResult();
            }

            return await node.ConfigureAwait(false);
        }

        /// <summary>
        /// Completes when every forked walk has handed over its files. A walk forks before it finishes, so once all
        /// forks seen so far are done, none can appear any more.
        /// </summary>
        public async Task ForkedWalksAsync()
        {
            while (_forkedWalks.Where(t => !t.IsCompleted).ToArray() is { Length: > 0 } pending)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
            }
        }

        /// <summary>Matches a folder's sorted names against its node list in the parent snapshot.</summary>
        private struct ParentCursor(List<Node>? nodes)
        {
            private readonly bool _sorted = IsSorted(nodes);
            private int _next;

            public Node? Find(byte[] name)
            {
                if (nodes is null)
                {
                    return null;
                }

                if (!_sorted)
                {
                    // A tree written out of order by some other program: search it.
                    return Archiver.Run.Find(nodes, name);
                }

                while (_next < nodes.Count)
                {
                    var order = nodes[_next].Name.AsSpan().SequenceCompareTo(name);
                    if (order == 0)
                    {
                        return nodes[_next++];
                    }

                    if (order > 0)
                    {
                        return null;
                    }

                    _next++;
                }

                return null;
            }

            private static bool IsSorted(List<Node>? nodes)
            {
                for (var i = 1; i < (nodes?.Count ?? 0); i++)
                {
                    if (nodes![i - 1].Name.AsSpan().SequenceCompareTo(nodes[i].Name) >= 0)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        private async Task<Node?> FinishDirectoryAsync(RawPath path, byte[] name, FileStatus status, Task<Id> subtreeTask, Node? previous)
        {
            var subtree = await subtreeTask.ConfigureAwait(false);
            if (previous is null)
            {
                Interlocked.Increment(ref _dirsNew);
            }
            else if (previous.Subtree == subtree)
            {
                Interlocked.Increment(ref _dirsUnmodified);
            }
            else
            {
                Interlocked.Increment(ref _dirsChanged);
            }

            if (previous is { Type: NodeType.Dir } && previous.Subtree == subtree && NodeFactory.Matches(previous, status))
            {
                return previous;
            }

            // As for files: a change to an attribute moves the ctime, so with the same ctime the parent's are current.
            var xattrs = previous is { Type: NodeType.Dir } && previous.ChangeTime == NodeFactory.Time(status.ChangeTime)
                ? previous.ExtendedAttributes
                : ReadXattrs(path);
            return NodeFactory.Create(name, status, xattrs, subtree: subtree);
        }

        /// <param name="previousNodes">The folder's nodes in the parent snapshot, if it had the folder.</param>
        /// <param name="previousTree">The id of the tree they came from.</param>
        private async Task<Id> SaveTreeAsync(List<Task<Node?>> children, List<Node>? previousNodes = null, Id? previousTree = null)
        {
            var nodes = new List<Node>(children.Count);
            foreach (var child in children)
            {
                if (await child.ConfigureAwait(false) is { } node)
                {
                    nodes.Add(node);
                }
            }

            TreeCodec.Sort(nodes);
            if (previousTree is { } kept && IsSameList(nodes, previousNodes) && target.HasBlob(BlobType.Tree, kept))
            {
                // Every node is the parent snapshot's own, in its order: this folder's tree is that one, already
                // stored, so it is neither encoded nor hashed again.
                return kept;
            }

            var bytes = TreeCodec.Encode(nodes);
            var id = Id.Hash(bytes);
            if (await target.SaveBlobAsync(BlobType.Tree, id, bytes, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _treeBlobs);
            }

            return id;
        }

        private static bool IsSameList(List<Node> nodes, List<Node>? previous)
        {
            if (previous is null || previous.Count != nodes.Count)
            {
                return false;
            }

            for (var i = 0; i < nodes.Count; i++)
            {
                if (!ReferenceEquals(nodes[i], previous[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public BackupSummary Summary(Id? snapshotId, bool skippedUnchanged, TimeSpan duration) => new()
        {
            SnapshotId = snapshotId,
            SkippedUnchanged = skippedUnchanged,
            FilesNew = _filesNew,
            FilesChanged = _filesChanged,
            FilesUnmodified = _filesUnmodified,
            DirsNew = _dirsNew,
            DirsChanged = _dirsChanged,
            DirsUnmodified = _dirsUnmodified,
            DataBlobs = _dataBlobs,
            TreeBlobs = _treeBlobs,
            DataAdded = _dataAdded,
            TotalFilesProcessed = _filesNew + _filesChanged + _filesUnmodified,
            TotalBytesProcessed = _bytesProcessed,
            Duration = duration,
            Errors = _errors,
        };
    }

    private sealed class FileJob(RawPath path, byte[] name, FileStatus status, Node? previous, SafeFileHandle handle)
    {
        /// <summary>The open file, owned by the job: the reader that takes it closes it.</summary>
        public SafeFileHandle Handle { get; } = handle;

        public RawPath Path { get; } = path;
        public byte[] Name { get; } = name;
        public FileStatus Status { get; } = status;
        public Node? Previous { get; } = previous;
        public TaskCompletionSource<Node?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
