using Cairn.Agent.Protocol;
using Cairn.Backup;
using Cairn.Maintenance.Forget;
using Cairn.Maintenance.Prune;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Repository.Filtering;
using Cairn.Storage;

namespace Cairn.Agent.Running;

/// <summary>
/// Runs a plan's work in-process with the engine: open (or create) the task's repository, pre-command, backup,
/// post-command, then forget with the plan's retention; prune on its own. Each step reports through <see cref="RunRecorder"/>.
/// <paramref name="time"/> (the agent's clock, a test clock in tests) gives snapshot times and retention's "now"; locks and
/// temporary-file sweeps use the repository's own clock, the real one, as other processes' lock files and file times do.
/// </summary>
public sealed class PlanRunner(IRepositoryLocator locator, Func<string> password, RepositoryOptions repositoryOptions, TimeProvider time)
{
    /// <summary>How long a run waits for another client's lock on the repository before failing.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(5);

    public async Task BackupAsync(PlanDocument plan, RunRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(recorder);
        var hookTimeout = TimeSpan.FromSeconds(Math.Max(1, plan.HookTimeoutSeconds));
        if (plan.PreCommand is { Length: > 0 } pre && await HookRunner.RunAsync("the pre-command", pre, hookTimeout, cancellationToken).ConfigureAwait(false) is { } preFailure)
        {
            if (plan.HookFailureAborts)
            {
                throw new RunFailedException(preFailure);
            }

            recorder.AddWarning(preFailure);
        }

        await using var repository = await OpenOrInitAsync(plan, cancellationToken).ConfigureAwait(false);
        var counter = new ProgressCounter(time);
        recorder.FollowProgress(counter);
        BackupSummary summary;
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: false, LockWait, cancellationToken, repository.ReloadIndexAsync).ConfigureAwait(false))
        {
            TemporarySweep.SweepStale(repository.Store, repository.Options.Time, cancellationToken);

            // A killed run (this agent's, before a restart) left packs no index names yet: index them first, so the
            // resumed backup uploads none of their blobs again (docs/format.md, "Resuming a killed backup").
            await StrandedPacks.IndexIfARunWasKilledAsync(repository, cancellationToken).ConfigureAwait(false);
            summary = await BackUpAsync(plan, repository, counter, cancellationToken).ConfigureAwait(false);
        }

        recorder.StopFollowingProgress();
        recorder.Update(r => r with
        {
            Progress = counter.Snapshot(),
            Result = r.Result with
            {
                SnapshotId = summary.SnapshotId?.ToString(),
                Files = summary.TotalFilesProcessed,
                BytesAdded = summary.DataAdded,
                BytesStored = repository.Blobs.StoredBytes,
                Warnings = [.. r.Result.Warnings, .. counter.Warnings()],
            },
        });

        if (plan.PostCommand is { Length: > 0 } post && await HookRunner.RunAsync("the post-command", post, hookTimeout, cancellationToken).ConfigureAwait(false) is { } postFailure)
        {
            recorder.AddWarning(postFailure);
        }

        await ForgetAsync(plan, repository, cancellationToken).ConfigureAwait(false);
    }

    public async Task PruneAsync(PlanDocument plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var repository = await OpenOrInitAsync(plan, cancellationToken).ConfigureAwait(false);
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: true, LockWait, cancellationToken).ConfigureAwait(false))
        {
            TemporarySweep.SweepStale(repository.Store, repository.Options.Time, cancellationToken);
            await new Pruner(repository).RunAsync(PruneSettings.Options(plan.Prune), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RestoreAsync(PlanDocument plan, RestoreDocument request, RunRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var repository = await OpenOrInitAsync(plan, cancellationToken).ConfigureAwait(false);
        await PlanRestorer.RestoreAsync(repository, request, recorder, time, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BackupSummary> BackUpAsync(PlanDocument plan, ResticRepository repository, ProgressCounter counter, CancellationToken cancellationToken)
    {
        var targets = (plan.Paths ?? []).Select(RawPath.FromString).ToList();
        var excludes = plan.Excludes ?? [];
        if (targets.Count == 0)
        {
            throw new RunFailedException("the plan names no paths to back up");
        }

        var devices = plan.OneFileSystem ? SourceFilter.DevicesOf(targets, "/").ToList() : null;
        var filter = new SourceFilter(new PathPatternSet(excludes), devices: devices);
        var scanner = new SourceScanner(targets, filter);
        var scan = Task.Run(() => scanner.Scan(cancellationToken), cancellationToken);
        _ = scan.ContinueWith(t => counter.SetTotals(t.Result.Files, t.Result.Bytes), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

        var hostname = repositoryOptions.Hostname;
        var absolute = targets.Select(p => SourcePath.ToSnapshotPath(SourcePath.Absolute(p, "/"))).ToList();
        Id? parentId = null;
        Repository.Format.Snapshot? parent = null;
        try
        {
            (parentId, parent) = await SnapshotFinder.FindAsync(repository, "latest", hostname, absolute, cancellationToken).ConfigureAwait(false);
        }
        catch (SnapshotNotFoundException)
        {
        }

        var options = new BackupOptions
        {
            Paths = targets,
            Excludes = [.. excludes],
            Filter = filter,
            Parent = parentId,
            Listings = scanner,
            Hostname = hostname,
            Time = time,
            ProgramVersion = "cairn-agent " + AgentVersion.Text,
        };
        var summary = await new Archiver(new RepositoryBackupTarget(repository), counter).RunAsync(options, parent, cancellationToken).ConfigureAwait(false);
        return summary.SnapshotId is null && !summary.SkippedUnchanged
            ? throw new RunFailedException("the backup saved no snapshot")
            : summary;
    }

    private async Task ForgetAsync(PlanDocument plan, ResticRepository repository, CancellationToken cancellationToken)
    {
        var policy = RetentionPolicy.ToKeepPolicy(plan.Retention);
        if (policy.IsEmpty)
        {
            return;
        }

        await using (await RepositoryLock.AcquireAsync(repository, exclusive: true, LockWait, cancellationToken).ConfigureAwait(false))
        {
            var snapshots = await SnapshotFinder.ListAsync(repository, cancellationToken).ConfigureAwait(false);
            var decisions = ForgetPlanner.Plan(snapshots, SnapshotFilter.All, GroupByParser.Default, policy, time.GetUtcNow());
            await SnapshotRemover.RemoveAsync(repository, decisions.SelectMany(d => d.Remove).Select(s => s.Id), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ResticRepository> OpenOrInitAsync(PlanDocument plan, CancellationToken cancellationToken)
    {
        var uploadLimit = plan.UploadLimitKiBps is > 0 ? plan.UploadLimitKiBps * 1024 : null;
        var store = ThrottledObjectStore.Wrap(ObjectStoreFactory.Open(locator.LocationOf(plan.Task)), uploadLimit, null);
        try
        {
            var secret = password();
            try
            {
                return await ResticRepository.OpenAsync(store, secret, repositoryOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (RepositoryNotFoundException)
            {
                // A task's first run: its repository has no config yet.
                return await ResticRepository.InitAsync(store, secret, repositoryOptions, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>A run that cannot go on, with its reason in plain words.</summary>
public sealed class RunFailedException(string message) : Exception(message);
