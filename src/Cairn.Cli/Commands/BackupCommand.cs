using System.CommandLine;
using Cairn.Backup;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Storage;

namespace Cairn.Cli.Commands;

internal static partial class BackupCommand
{
    private static readonly Argument<string[]> PathsArgument = new("paths") { Description = "files and folders to back up (with --stdin-from-command: the command and its arguments, after --)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string[]> Exclude = new("--exclude", "-e") { Description = "exclude a pattern (can be given several times)" };
    private static readonly Option<string[]> ExcludeFile = new("--exclude-file") { Description = "read exclude patterns from a file (can be given several times)" };
    private static readonly Option<string[]> IExclude = new("--iexclude") { Description = "like --exclude, but ignores the case of paths (can be given several times)" };
    private static readonly Option<string[]> IExcludeFile = new("--iexclude-file") { Description = "like --exclude-file, but ignores the case of paths (can be given several times)" };
    private static readonly Option<bool> ExcludeCaches = new("--exclude-caches") { Description = "excludes the contents of cache folders marked with a CACHEDIR.TAG file (https://bford.info/cachedir/); the tag file is kept" };
    private static readonly Option<string[]> ExcludeIfPresent = new("--exclude-if-present") { Description = "takes filename[:header]: excludes the contents of folders holding filename (except filename itself), if it starts with header (can be given several times)" };
    private static readonly Option<string?> ExcludeLargerThan = new("--exclude-larger-than") { Description = "max size of the files to back up (allowed suffixes: k/K, m/M, g/G, t/T)" };
    private static readonly Option<bool> OneFileSystem = new("--one-file-system", "-x") { Description = "exclude other file systems: folders where one is mounted are kept empty" };
    private static readonly Option<string[]> FilesFrom = new("--files-from") { Description = "read the files to back up from a file, one path or glob a line; empty lines and lines starting with # are skipped (\"-\" reads standard input; can be given several times)" };
    private static readonly Option<string[]> FilesFromVerbatim = new("--files-from-verbatim") { Description = "read the files to back up from a file, one path a line, taken literally (can be given several times)" };
    private static readonly Option<string[]> FilesFromRaw = new("--files-from-raw") { Description = "read the files to back up from a file of NUL-separated paths, taken literally (can be given several times)" };
    private static readonly Option<bool> Stdin = new("--stdin") { Description = "back up the contents of standard input as one file" };
    private static readonly Option<string> StdinFilename = new("--stdin-filename") { Description = "the file name for --stdin and --stdin-from-command", DefaultValueFactory = _ => "stdin" };
    private static readonly Option<bool> StdinFromCommand = new("--stdin-from-command") { Description = "back up the standard output of the command given after --; no snapshot is saved if it exits with an error" };
    private static readonly Option<string[]> Tag = new("--tag") { Description = "add tags to the snapshot, comma-separated or repeated" };
    private static readonly Option<string?> Host = new("--host", "-H") { Description = "hostname to record in the snapshot (default: this machine's)" };
    private static readonly Option<string?> Time = new("--time") { Description = "time of the snapshot, as \"2006-01-02 15:04:05\" in local time (default: now)" };
    private static readonly Option<string?> Parent = new("--parent") { Description = "snapshot to compare with (default: latest of this host and these paths)" };
    private static readonly Option<bool> Force = new("--force", "-f") { Description = "read every file, even unchanged ones" };
    private static readonly Option<bool> SkipIfUnchanged = new("--skip-if-unchanged") { Description = "save no snapshot if nothing changed since the parent snapshot" };
    private static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "store nothing: no data, index or snapshot; just show what would be added" };
    private static readonly Option<int?> ReadConcurrency = new("--read-concurrency") { Description = "read this many files at once (default: $CAIRN_READ_CONCURRENCY, or one per core and at least 2)" };

    public static Command Create()
    {
        var command = new Command("backup", "Create a new snapshot of files and folders")
        {
            PathsArgument, Exclude, ExcludeFile, IExclude, IExcludeFile, ExcludeCaches, ExcludeIfPresent, ExcludeLargerThan,
            OneFileSystem, FilesFrom, FilesFromVerbatim, FilesFromRaw, Stdin, StdinFilename, StdinFromCommand, Tag, Host, Time,
            Parent, Force, SkipIfUnchanged, DryRun, ReadConcurrency,
        };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var stdin = result.GetValue(Stdin) || result.GetValue(StdinFromCommand);
            var excludes = Patterns(result, Exclude, ExcludeFile);
            var hostname = result.GetValue(Host) ?? Environment.MachineName;
            var options = new BackupOptions
            {
                Paths = [],
                Excludes = excludes,
                Tags = [.. (result.GetValue(Tag) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                Hostname = hostname,
                ProgramVersion = "cairn " + VersionCommand.Version,
                FileConcurrency = ReadConcurrencyValue(result.GetValue(ReadConcurrency)),
                DryRun = result.GetValue(DryRun),
                SkipIfUnchanged = result.GetValue(SkipIfUnchanged),
                SnapshotTime = SnapshotTime(result.GetValue(Time)),
            };
            return stdin
                ? await BackUpStreamAsync(result, output, options, ct)
                : await BackUpFilesAsync(result, output, options, excludes, ct);
        });
        return command;
    }

    private static async Task<int> BackUpFilesAsync(ParseResult result, Output output, BackupOptions labels, List<string> excludes, CancellationToken ct)
    {
        var targets = Targets(result, output);
        var filter = Filter(result, excludes, targets);

        // Counting what there is to back up (the progress line's totals) starts first: while the key is derived
        // and the index and parent snapshot are read, it brings the folders and inodes into the kernel's caches,
        // so the walk that follows rarely waits on the disk.
        // It also keeps each folder's listing with every entry's status, which the walk then takes instead of
        // asking the kernel a second time.
        var scanner = new SourceScanner(targets, filter);
        var scan = Task.Run(() => scanner.Scan(ct), ct);
        await using var repository = await RepositoryOpener.OpenAsync(result, ct);
        // The index is read only once our lock is written (during its settle wait): a prune that finished while
        // we waited has changed it, and one that starts now will see our lock.
        await using var repoLock = await CommandLock.AcquireAndLoadIndexAsync(result, repository, ct);
        SweepUnlessDryRun(repository, labels, ct);
        await ResumeKilledRunAsync(output, repository, labels, ct);

        var cwd = Directory.GetCurrentDirectory();
        var absolute = targets.Select(p => SourcePath.ToSnapshotPath(SourcePath.Absolute(p, cwd))).ToList();
        var (parentId, parentSnapshot) = await FindParentAsync(result, output, repository, labels.Hostname, absolute, ct);

        using var progress = new ProgressLine(output);
        var options = labels with { Paths = targets, Filter = filter, Parent = parentId, Listings = scanner };
        if (progress.IsLive)
        {
            _ = scan.ContinueWith(t => progress.SetTotals(t.Result.Files, t.Result.Bytes), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        var (target, dryRun) = Target(repository, options);
        var summary = await new Archiver(target, progress).RunAsync(options, parentSnapshot, ct);
        progress.Dispose();
        BackupReport.Print(output, summary, dryRun?.StoredBytes ?? repository.Blobs.StoredBytes, options.DryRun);
        return summary.Errors > 0 ? ExitCodes.PartialBackup : ExitCodes.Success;
    }

    private static async Task<int> BackUpStreamAsync(ParseResult result, Output output, BackupOptions labels, CancellationToken ct)
    {
        var fileName = StreamFileName(result);
        await using var source = StreamSource.Open(result.GetValue(StdinFromCommand), result.GetValue(PathsArgument) ?? []);
        await using var repository = await RepositoryOpener.OpenAsync(result, ct);
        await using var repoLock = await CommandLock.AcquireAndLoadIndexAsync(result, repository, ct);
        SweepUnlessDryRun(repository, labels, ct);
        await ResumeKilledRunAsync(output, repository, labels, ct);
        var (parentId, parentSnapshot) = await FindParentAsync(result, output, repository, labels.Hostname, ["/" + fileName], ct);
        var options = labels with { Parent = parentId };
        var (target, dryRun) = Target(repository, options);
        var summary = await new StreamArchiver(target).RunAsync(options, fileName, source.Content, parentSnapshot, source.CheckExitAsync, ct);
        BackupReport.Print(output, summary, dryRun?.StoredBytes ?? repository.Blobs.StoredBytes, options.DryRun);
        return ExitCodes.Success;
    }

    private static (IBackupTarget Target, DryRunBackupTarget? DryRun) Target(ResticRepository repository, BackupOptions options)
    {
        var real = new RepositoryBackupTarget(repository);
        if (!options.DryRun)
        {
            return (real, null);
        }

        var dryRun = new DryRunBackupTarget(real, repository.EffectiveCompression);
        return (dryRun, dryRun);
    }

    private static void SweepUnlessDryRun(ResticRepository repository, BackupOptions options, CancellationToken ct)
    {
        // Staged packs of a backup that was killed; only those untouched for an hour, so a concurrent backup's live one
        // stays. A dry run changes nothing stored, not even that.
        if (!options.DryRun)
        {
            TemporarySweep.SweepStale(repository.Store, TimeProvider.System, ct);
        }
    }

    private static async Task ResumeKilledRunAsync(Output output, ResticRepository repository, BackupOptions options, CancellationToken ct)
    {
        // A killed backup left packs that no index names yet: index them, so this run uploads none of their blobs
        // again (docs/format.md, "Resuming a killed backup"). A dry run writes nothing, not even that index.
        if (options.DryRun)
        {
            return;
        }

        var indexed = await StrandedPacks.IndexIfARunWasKilledAsync(repository, ct);
        if (indexed.Packs > 0)
        {
            output.Line($"indexed {indexed.Packs} packs ({Output.Bytes(indexed.Bytes)}) that an interrupted backup stored");
        }
    }

    private static async Task<(Id? Id, Repository.Format.Snapshot? Snapshot)> FindParentAsync(
        ParseResult result, Output output, ResticRepository repository, string hostname, IReadOnlyList<string> absolute, CancellationToken ct)
    {
        if (result.GetValue(Force))
        {
            return (null, null);
        }

        var given = result.GetValue(Parent);
        try
        {
            // A --parent given must exist: a typo is an error, not a backup that reads every file again.
            var found = await SnapshotFinder.FindAsync(repository, given ?? "latest", given is null ? hostname : null, given is null ? absolute : null, ct, output.UnreadableSnapshot);
            output.Line($"using parent snapshot {found.Id.Short}");
            return (found.Id, found.Snapshot);
        }
        catch (SnapshotNotFoundException) when (given is null)
        {
            return (null, null);
        }
    }

    private static int ReadConcurrencyValue(int? option)
    {
        var value = option ?? (int.TryParse(Environment.GetEnvironmentVariable("CAIRN_READ_CONCURRENCY"), out var fromEnvironment) ? fromEnvironment : (int?)null);
        return value switch
        {
            null => BackupOptions.DefaultFileConcurrency,
            < 1 => throw new UsageException("--read-concurrency must be at least 1"),
            _ => value.Value,
        };
    }
}
