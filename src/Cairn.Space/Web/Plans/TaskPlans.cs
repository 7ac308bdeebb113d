using Cairn.Space.Backups;
using Cairn.Space.Data;
using Cairn.Space.Plans;
using Cairn.Space.Usage;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Space.Web.Plans;

/// <summary>
/// What the backup pages show of plans: the plan of each task (a task has at most one active plan) with its last
/// run and next slot, and the figures of each snapshot, from the agent's run report where an agent made it.
/// </summary>
public sealed class TaskPlans(SpaceDbContext db, TimeProvider clock)
{
    /// <summary>The active plans of the given tasks, by task ID.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<TaskPlan>>> ForTasksAsync(IReadOnlyList<BackupTaskView> tasks,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var instanceIds = tasks.Select(t => t.Instance.Id).Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => instanceIds.Contains(p.InstanceId) && p.DeletedAt == null)
            .OrderBy(p => p.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var byTask = new Dictionary<Guid, IReadOnlyList<TaskPlan>>();
        foreach (var view in tasks)
        {
            var mine = new List<TaskPlan>();
            foreach (var plan in plans.Where(p => p.InstanceId == view.Instance.Id && p.Task == view.Task.Name))
            {
                var last = await db.Runs.AsNoTracking().Where(r => r.PlanId == plan.Id && r.InstanceId == plan.InstanceId)
                    .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken)
                    .ConfigureAwait(false);
                mine.Add(new TaskPlan(plan, view.Instance.Name, last, plan.Paused ? null : NextRun.After(plan.Schedule, plan.TimeZone, now)));
            }

            byTask[view.Task.Id] = mine;
        }

        return byTask;
    }

    /// <summary>
    /// Files, size and bytes added of each snapshot, by snapshot ID. An agent's backup run names its snapshot: its
    /// report gives them (the size is the run's total of bytes to back up). For a snapshot a plain restic client made, Space knows what it counted without decrypting
    /// anything: the task's stored bytes at the snapshot's upload, less those of the usage sample before it (the
    /// previous snapshot, or a removal since). Packs deleted in between (a prune) lower that figure.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SnapshotFigures>> SnapshotFiguresAsync(BackupTaskDetails details,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var task = details.View.Task;
        // Deleted plans too: their runs made snapshots the task still holds.
        var planIds = await db.Plans.AsNoTracking().Where(p => p.InstanceId == task.InstanceId && p.Task == task.Name)
            .Select(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var reports = await db.Runs.AsNoTracking()
            .Where(r => r.InstanceId == task.InstanceId && planIds.Contains(r.PlanId) && r.Kind == "backup" && r.SnapshotId != null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var figures = new Dictionary<string, SnapshotFigures>(StringComparer.Ordinal);
        foreach (var snapshot in details.Snapshots)
        {
            var report = reports.FirstOrDefault(r => r.SnapshotId!.Length >= 8 && snapshot.SnapshotId.StartsWith(r.SnapshotId, StringComparison.Ordinal));
            figures[snapshot.SnapshotId] = report is not null
                ? new SnapshotFigures(report.Files, snapshot.TotalBytes ?? (report.BytesTotal > 0 ? report.BytesTotal : null), report.BytesAdded,
                    FigureSource.Agent)
                : new SnapshotFigures(snapshot.FileCount, snapshot.TotalBytes, Uploaded(snapshot, details.Usage), FigureSource.Space);
        }

        return figures;
    }

    /// <summary>Null when the snapshot's upload left no usage sample (it was counted before, by a retry) or the figure went down.</summary>
    private static long? Uploaded(SnapshotRecord snapshot, IReadOnlyList<UsageSample> samples)
    {
        // The sample the upload made has the snapshot's time; the last of equal times, as samples are made in order.
        var at = -1;
        for (var i = 0; i < samples.Count; i++)
        {
            if (samples[i].At == snapshot.WrittenAt)
            {
                at = i;
            }
        }

        if (at <= 0)
        {
            return null;
        }

        var uploaded = samples[at].Bytes - samples[at - 1].Bytes;
        return uploaded >= 0 ? uploaded : null;
    }
}

/// <summary>A task's plan with its last run (none yet: null) and its next slot (paused or never: null).</summary>
public sealed record TaskPlan(BackupPlan Plan, string InstanceName, PlanRun? LastRun, DateTimeOffset? NextRun)
{
    public string RunsPath => $"/instances/{InstanceName}/plans/{Plan.Id}/runs";
}

/// <summary>Where a snapshot's figures come from.</summary>
public enum FigureSource
{
    /// <summary>The agent's report of the run that made the snapshot.</summary>
    Agent,

    /// <summary>What Space counted as the client uploaded it (files only if the client reported them).</summary>
    Space,
}

/// <summary>A snapshot's files, size (of the files it holds) and bytes added; null where neither the client nor the agent said.</summary>
public sealed record SnapshotFigures(long? Files, long? Size, long? Added, FigureSource Source);
