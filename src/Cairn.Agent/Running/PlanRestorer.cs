using Cairn.Agent.Protocol;
using Cairn.Repository;
using Cairn.Restore;

namespace Cairn.Agent.Running;

/// <summary>
/// The console's "Restore on the instance": a snapshot of the plan's repository restored here, into a target folder
/// or (no target) onto its original paths, with the engine's own restorer and the owner's-machine safety rules.
/// </summary>
public static class PlanRestorer
{
    public static async Task RestoreAsync(ResticRepository repository, RestoreDocument request, RunRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(recorder);
        var overwrite = request.Overwrite switch
        {
            "always" => OverwriteMode.Always,
            "ifChanged" or null => OverwriteMode.IfChanged,
            "ifNewer" => OverwriteMode.IfNewer,
            "never" => OverwriteMode.Never,
            _ => throw new RunFailedException($"restore.overwrite \"{request.Overwrite}\" is not always, ifChanged, ifNewer or never"),
        };
        var sessionOptions = new ReadSessionOptions { RetryLockFor = PlanRunner.LockWait };
        await using var session = await ReadSession.OpenAsync(repository, SnapshotQuery.One(request.Snapshot ?? "latest"), sessionOptions, ownsRepository: false, cancellationToken).ConfigureAwait(false);
        var (id, snapshot) = session.Snapshot;
        var counter = new ProgressCounter(time);
        recorder.FollowProgress(counter);
        var options = new RestoreOptions
        {
            // A snapshot's paths are absolute: restored under "/", every file goes back where it was.
            Target = string.IsNullOrEmpty(request.Target) ? "/" : request.Target,
            Safety = HostSafety.OwnSnapshot,
            Includes = request.Include ?? [],
            Excludes = request.Exclude ?? [],
            Overwrite = overwrite,
            CollectAfterPlanning = true,
        };
        var summary = await new Restorer(new RepositoryRestoreSource(repository), counter).RunAsync(snapshot.Tree, options, cancellationToken).ConfigureAwait(false);
        recorder.StopFollowingProgress();
        recorder.Update(r => r with
        {
            Progress = counter.Snapshot(),
            Result = r.Result with { SnapshotId = id.ToString(), Files = summary.Files, Warnings = [.. r.Result.Warnings, .. counter.Warnings()] },
        });
    }
}
