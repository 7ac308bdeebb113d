using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Crypto;
using Cairn.Repository.Format;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Restore;

/// <summary>
/// Recreates a snapshot's tree under a target folder. Plans first (refusing unsafe names before anything is
/// written), weighs what already stands in the target by the overwrite mode, creates folders and empty files, then writes file content pack by pack, each pack read once, with
/// positioned writes from several packs in parallel; metadata comes last, folders deepest first so writing
/// into them does not change their times again.
/// </summary>
public sealed partial class Restorer(IRestoreSource source, IRestoreProgress? progress = null)
{
    /// <summary>Created owner-only; the node's own permissions are applied once its content is in place.</summary>
    private const uint OwnerOnlyDirectory = 0x1C0; // 0700
    private const uint OwnerOnlyFile = 0x180; // 0600

    /// <summary>The <see cref="RestoreOptions.Target"/> that means the working directory, by reference.</summary>
    public const string WorkingDirectory = ".";

    private readonly IRestoreProgress _progress = progress ?? NoRestoreProgress.Instance;

    /// <summary>Restores a tree into the options' target and reports what was written and skipped.</summary>
    public async Task<RestoreSummary> RunAsync(Id rootTree, RestoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Safety);
        var (plan, target) = await PlanAsync(rootTree, options, cancellationToken).ConfigureAwait(false);
        await OverwriteDecider.DecideAsync(source, plan, target, options, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return DryRun(plan, options);
        }

        var (writeFiles, writeBytes) = ToWrite(plan);
        _progress.Planned(writeFiles, writeBytes);

        // Reading and decoding every tree left garbage behind; collected now, before the content buffers are
        // allocated, it does not add to the restore's peak memory.
        if (options.CollectAfterPlanning)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        var warnings = 0L;
        void Warn(RawPath path, string message)
        {
            Interlocked.Increment(ref warnings);
            _progress.Warning(path.ToString(), message);
        }

        var notCreated = new HashSet<PlannedEntry>(ReferenceEqualityComparer.Instance);
        var skipped = 0L;
        void Skip(PlannedEntry entry, string reason)
        {
            skipped++;
            notCreated.Add(entry);
            _progress.Skipped(entry.Path.ToString(), reason);
        }

        // 1. Folders, links, special files, and the files that cannot wait for their content (empty or hard-linked).
        //    Other files are created by their first write, which saves opening every file twice.
        var hardlinks = new Dictionary<(ulong Device, ulong Inode), RawPath>();
        var contentFiles = new List<(PlannedEntry Entry, bool Created)>();
        var verified = new HashSet<RawPath> { target };
        long files = 0, dirs = 0, links = 0;
        foreach (var entry in plan.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = entry.Node;
            EnsureParentIsRealDirectory(entry.Path, verified);
            if (entry.Decision == EntryDecision.Keep)
            {
                notCreated.Add(entry);
                continue;
            }

            if (entry.Decision == EntryDecision.SetMetadataOnly)
            {
                // Its content is already the snapshot's: the metadata step below is all it gets.
                continue;
            }

            try
            {
                switch (node.Type)
                {
                    case NodeType.Dir:
                        PosixFileSystem.CreateDirectory(entry.Path, OwnerOnlyDirectory);
                        if (PosixFileSystem.LStat(entry.Path).Kind != FileKind.Directory)
                        {
                            throw new UnsafeSnapshotException($"refusing to restore into {entry.Path}: it exists and is not a directory");
                        }

                        verified.Add(entry.Path);
                        dirs++;
                        break;
                    case NodeType.File:
                        if (node.Links > 1 && hardlinks.TryGetValue((node.DeviceId, node.Inode), out var first))
                        {
                            CreateReplacing(entry.Path, () => PosixFileSystem.CreateHardLink(first, entry.Path));
                            links++;
                            break;
                        }

                        var hasContent = node.Content is { Count: > 0 };
                        if (!hasContent || node.Links > 1)
                        {
                            CreateReplacing(entry.Path, () => PosixFileSystem.CreateFile(entry.Path, OwnerOnlyFile).Dispose());
                        }

                        if (node.Links > 1)
                        {
                            hardlinks[(node.DeviceId, node.Inode)] = entry.Path;
                        }

                        if (hasContent)
                        {
                            contentFiles.Add((entry, Created: node.Links > 1));
                        }

                        files++;
                        break;
                    case NodeType.Symlink:
                        CreateReplacing(entry.Path, () => PosixFileSystem.CreateSymlink(node.LinkTarget ?? [], entry.Path));
                        links++;
                        break;
                    case NodeType.Fifo or NodeType.Dev or NodeType.CharDev when !options.Safety.CreateSpecialFiles:
                        Skip(entry, $"{Describe(node.Type)} not created: this restore does not create special files");
                        break;
                    case NodeType.Fifo:
                        CreateReplacing(entry.Path, () => PosixFileSystem.CreateFifo(entry.Path, OwnerOnlyFile));
                        break;
                    case NodeType.Dev:
                    case NodeType.CharDev:
                        var kind = node.Type == NodeType.Dev ? FileKind.BlockDevice : FileKind.CharDevice;
                        CreateReplacing(entry.Path, () => PosixFileSystem.CreateDeviceNode(entry.Path, kind, OwnerOnlyFile, node.Device));
                        break;
                    case NodeType.Socket:
                        // Sockets cannot be recreated meaningfully; restic skips them too.
                        Skip(entry, "socket not created: sockets are never restored");
                        break;
                }
            }
            catch (PosixException e)
            {
                Warn(entry.Path, e.Message);
                notCreated.Add(entry);
            }
        }

        // 2. Content, pack by pack.
        var finished = await WriteContentAsync(contentFiles, options, Warn, cancellationToken).ConfigureAwait(false);

        // Extra entries go before the folders get their times: removing an entry changes its folder's mtime.
        var deleted = options.DeleteExtra ? DeleteExtra(plan, Warn) : [];

        // 3. Metadata: files and links first, then folders deepest first. Files with content got theirs as their
        // last write finished, through the open file.
        // An entry that could not be made gets no metadata: whatever stands at its path is not ours.
        // Entries are independent of each other (a few syscalls each), so they are spread over the cores; a
        // folder's times are set only once everything inside it is done, one depth at a time.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken };
        Parallel.ForEach(
            plan.Entries.Where(e => e.Node.Type != NodeType.Dir && !notCreated.Contains(e) && !finished.Contains(e)),
            parallel,
            entry => ApplyMetadata(entry, options, Warn));
        foreach (var depth in plan.Entries.Where(e => e.Node.Type == NodeType.Dir && !notCreated.Contains(e)).GroupBy(e => e.Depth).OrderByDescending(g => g.Key))
        {
            Parallel.ForEach(depth, parallel, entry => ApplyMetadata(entry, options, Warn));
        }

        var verifyFailures = options.Verify ? await VerifyAsync(plan, notCreated, options, Warn, cancellationToken).ConfigureAwait(false) : 0;
        var summary = Report(plan, notCreated, deleted) with
        {
            Files = files, Directories = dirs, Links = links, Warnings = warnings, Skipped = skipped, VerifyFailures = verifyFailures,
        };
        return summary;
    }

    /// <summary>Plans the restore, then creates the target: a snapshot refused by the plan leaves no trace.</summary>
    private async Task<(RestorePlan Plan, RawPath Target)> PlanAsync(Id rootTree, RestoreOptions options, CancellationToken cancellationToken)
    {
        if (options.Target == WorkingDirectory)
        {
            // The working directory cannot be swapped for a link behind our back: paths stay relative to it.
            var here = new RawPath("."u8);
            if (PosixFileSystem.LStat(here).Kind != FileKind.Directory)
            {
                throw new UnsafeSnapshotException("refusing to restore into the working directory: it is not a directory");
            }

            return (await RestorePlan.BuildAsync(source, rootTree, here, options, cancellationToken).ConfigureAwait(false), here);
        }

        var targetString = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Target));
        var target = ResolveTarget(targetString);
        var plan = await RestorePlan.BuildAsync(source, rootTree, target, options, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return (plan, target);
        }

        // The target itself owner-only (0700), as restic makes it; an existing one keeps its mode.
        if (Path.GetDirectoryName(targetString) is { Length: > 0 } parent)
        {
            Directory.CreateDirectory(parent);
        }

        PosixFileSystem.CreateDirectory(RawPath.FromString(targetString), 0x1C0);
        if (PosixFileSystem.RealPath(RawPath.FromString(targetString)) != target)
        {
            throw new UnsafeSnapshotException($"refusing to restore into {targetString}: it was replaced by a link while the restore was planned");
        }

        return (plan, target);
    }

    /// <summary>
    /// The real path the target will have, resolved through its deepest existing folder, so the restore can be
    /// planned (and refused) before anything is created.
    /// </summary>
    private static RawPath ResolveTarget(string fullPath)
    {
        var missing = new Stack<string>();
        var existing = fullPath;
        while (!PosixFileSystem.Exists(RawPath.FromString(existing)) && Path.GetDirectoryName(existing) is { } parent)
        {
            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }

        var resolved = PosixFileSystem.RealPath(RawPath.FromString(existing));
        while (missing.TryPop(out var name))
        {
            resolved = resolved.Join(System.Text.Encoding.UTF8.GetBytes(name));
        }

        return resolved;
    }

    /// <summary>
    /// Every folder on the way must be a real folder inside the target, never a symlink planted there. Folders this
    /// restore made (and checked right after) are remembered, so each is looked at once.
    /// </summary>
    private static void EnsureParentIsRealDirectory(RawPath path, HashSet<RawPath> verified)
    {
        var parent = path.Parent;
        if (verified.Contains(parent))
        {
            return;
        }

        if (PosixFileSystem.LStat(parent).Kind != FileKind.Directory)
        {
            throw new UnsafeSnapshotException($"refusing to restore {path}: {parent} is not a directory");
        }

        verified.Add(parent);
    }

    /// <summary>Writes the files' content; returns the entries whose metadata was applied as their last write finished.</summary>
    private async Task<HashSet<PlannedEntry>> WriteContentAsync(List<(PlannedEntry Entry, bool Created)> files, RestoreOptions options, Action<RawPath, string> warn, CancellationToken cancellationToken)
    {
        // Where each blob goes: a blob may fill several places in several files.
        var byPack = new Dictionary<Id, Dictionary<Id, BlobTargets>>();
        var opened = new List<OpenFile>(files.Count);
        foreach (var (entry, created) in files)
        {
            var file = new OpenFile(entry, created, options, warn);
            opened.Add(file);
            long offset = 0;
            foreach (var blob in entry.Node.Content ?? [])
            {
                if (!source.TryLocateData(blob, out var location))
                {
                    warn(entry.Path, $"data blob {blob.Short} is missing from the index; the file is incomplete");
                    break;
                }

                if (!byPack.TryGetValue(location.Pack, out var blobs))
                {
                    byPack[location.Pack] = blobs = [];
                }

                if (blobs.TryGetValue(blob, out var targets))
                {
                    targets.Add(file, offset);
                }
                else
                {
                    blobs[blob] = new BlobTargets(location, file, offset);
                }

                file.Pending++;
                offset += location.PlaintextLength;
            }

            if (file.Pending == 0 && !created)
            {
                // Nothing of it can be written: it still exists, empty, as the warning says.
                CreateReplacing(entry.Path, () => PosixFileSystem.CreateFile(entry.Path, OwnerOnlyFile).Dispose());
            }
        }

        // Packs in name order, several at once. A pack is read in a few large requests, each covering consecutive
        // needed blobs up to 4 MiB (or one larger blob), so memory stays small however large packs are. The requests
        // are planned first, so each worker allocates its two buffers once, at the largest size it can need: pooled
        // arrays would be kept by every pool thread that ever returned one, and buffers grown on demand would leave
        // the smaller ones behind as garbage. Both are uninitialized, so only what is used is ever touched.
        var batches = new List<(Id Pack, long Start, int Length, List<KeyValuePair<Id, BlobTargets>> Blobs)>();
        foreach (var (packId, packBlobs) in byPack.OrderBy(p => p.Key))
        {
            var blobs = packBlobs.OrderBy(b => b.Value.Location.Offset).ToList();
            for (var first = 0; first < blobs.Count;)
            {
                var start = blobs[first].Value.Location.Offset;
                var last = first;
                while (last + 1 < blobs.Count && End(blobs[last + 1].Value.Location) - start <= ReadBatchBytes)
                {
                    last++;
                }

                batches.Add((packId, start, (int)(End(blobs[last].Value.Location) - start), blobs.GetRange(first, last - first + 1)));
                first = last + 1;
            }
        }

        var storedSize = batches.Count == 0 ? 0 : batches.Max(b => b.Length);
        // Only compressed blobs need a second buffer: the others are decrypted where they lie and written from there.
        var plainSize = batches.SelectMany(b => b.Blobs).Where(b => b.Value.Location.IsCompressed).Select(b => (int)b.Value.Location.UncompressedLength).DefaultIfEmpty(0).Max();
        var next = -1;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task WorkerAsync()
        {
            try
            {
                await FillAsync().ConfigureAwait(false);
            }
            catch
            {
                // One failed worker stops the others at their next request.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        async Task FillAsync()
        {
            var stored = GC.AllocateUninitializedArray<byte>(storedSize);
            var plain = GC.AllocateUninitializedArray<byte>(plainSize);
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                stop.Token.ThrowIfCancellationRequested();
                var (packId, start, length, blobs) = batches[i];
                await source.ReadPackAsync(packId, start, stored.AsMemory(0, length), stop.Token).ConfigureAwait(false);
                foreach (var (blobId, targets) in blobs)
                {
                    var location = targets.Location;
                    var blob = stored.AsSpan((int)(location.Offset - start), (int)location.Length);
                    var destination = location.IsCompressed || blob.Length < CryptoKey.Overhead ? plain : blob.Slice(CryptoKey.IvSize, blob.Length - CryptoKey.Overhead);
                    var size = source.DecodeBlob(blobId, location, blob, destination);
                    targets.File.Write(destination[..size], targets.Offset);
                    _progress.BytesWritten(size);
                    foreach (var (file, offset) in targets.More ?? [])
                    {
                        file.Write(destination[..size], offset);
                        _progress.BytesWritten(size);
                    }
                }
            }
        }

        // Own threads, not the pool's: with a local repository a worker never really waits, so on the pool it would
        // hold a thread for the whole restore, and a host serving other work (Space) would be left short of threads.
        var workers = Enumerable.Range(0, Math.Max(1, options.Concurrency))
            .Select(_ => Task.Factory.StartNew(WorkerAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new HashSet<PlannedEntry>(opened.Where(f => f.Finished).Select(f => f.Entry), ReferenceEqualityComparer.Instance);
    }

    /// <summary>Where one blob goes: its location and the places in files it fills (almost always one).</summary>
    private sealed class BlobTargets(BlobLocation location, OpenFile file, long offset)
    {
        public BlobLocation Location { get; } = location;

        public OpenFile File { get; } = file;

        public long Offset { get; } = offset;

        /// <summary>Further places, for a blob repeated within or across files.</summary>
        public List<(OpenFile File, long Offset)>? More { get; private set; }

        public void Add(OpenFile file, long offset) => (More ??= []).Add((file, offset));
    }

    /// <summary>Largest span of a pack read at once (unless one blob alone is larger).</summary>
    private const long ReadBatchBytes = 4L << 20;

    private static long End(BlobLocation location) => (long)location.Offset + location.Length;
}
