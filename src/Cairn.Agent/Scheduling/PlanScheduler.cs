using System.Text.Json;
using Cairn.Agent.Protocol;
using Cairn.Agent.State;

namespace Cairn.Agent.Scheduling;

/// <summary>
/// Decides which plans are due. For each plan (and its prune schedule) it remembers the last slot a run was started
/// for, in <c>schedule.json</c>, so a restart neither repeats a slot nor forgets one. However many slots passed
/// since (the instance was off), one run is due, a <c>catchUp</c> when its slot fell before this agent started.
/// A plan first seen starts counting from that moment. A due slot outside the backup window waits for it to open.
/// </summary>
public sealed class PlanScheduler
{
    private readonly StateFolder _state;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly Dictionary<string, DateTimeOffset> _lastSlots;
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);

    public PlanScheduler(StateFolder state, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(time);
        _state = state;
        _time = time;
        _startedAt = time.GetUtcNow();
        _lastSlots = Load(state.ScheduleFile);
    }

    /// <summary>A plan whose schedule, window or time zone cannot be read: it gets no scheduled run.</summary>
    public event Action<PlanDocument, string>? InvalidPlan;

    /// <summary>
    /// The runs due now; a paused plan has none, and the slots that pass while it is paused are skipped, not owed
    /// (resuming does not run the days it was paused). Nothing else is recorded until <see cref="MarkStarted"/>.
    /// </summary>
    public IReadOnlyList<DueRun> Due(IEnumerable<PlanDocument> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var now = _time.GetUtcNow();
        var due = new List<DueRun>();
        foreach (var plan in plans)
        {
            try
            {
                if (plan.Paused)
                {
                    SkipPassedSlots(plan, now);
                    continue;
                }

                if (Check(plan, RunKinds.Backup, plan.Schedule, plan.Window, now) is { } backup)
                {
                    due.Add(backup);
                }

                if (plan.Prune is { } prune && Check(plan, RunKinds.Prune, prune.Schedule, null, now) is { } pruneRun)
                {
                    due.Add(pruneRun);
                }
            }
            catch (ScheduleException e)
            {
                // One unreadable plan must not stop the others; it is named once per change of its message.
                if (_problems.TryGetValue(plan.Id, out var known) && known == e.Message)
                {
                    continue;
                }

                _problems[plan.Id] = e.Message;
                InvalidPlan?.Invoke(plan, e.Message);
            }
        }

        return due;
    }

    private void SkipPassedSlots(PlanDocument plan, DateTimeOffset now)
    {
        var changed = false;
        foreach (var (kind, schedule) in new[] { (RunKinds.Backup, plan.Schedule), (RunKinds.Prune, plan.Prune?.Schedule) })
        {
            // Saved once per passed slot, not at every look.
            if (schedule is not null && _lastSlots.TryGetValue(Key(plan.Id, kind), out var last)
                && ScheduleCalculator.LatestBetween(schedule, plan.TimeZone, last, now) is { } slot)
            {
                _lastSlots[Key(plan.Id, kind)] = slot;
                changed = true;
            }
        }

        if (changed)
        {
            Save();
        }
    }

    /// <summary>Records that the run for <paramref name="run"/>'s slot started: the slot and every one before it are done.</summary>
    public void MarkStarted(DueRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _lastSlots[Key(run.Plan.Id, run.Kind)] = run.Slot;
        Save();
    }

    /// <summary>The next slot of a plan's backup schedule after now (for status and Space's "next run").</summary>
    public DateTimeOffset? NextBackup(PlanDocument plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var next = ScheduleCalculator.NextAfter(plan.Schedule, plan.TimeZone, _time.GetUtcNow());
        return next is { } slot ? BackupWindow.NextOpen(plan.Window, plan.TimeZone, slot) : null;
    }

    /// <summary>Forgets plans Space no longer sends.</summary>
    public void Retain(IEnumerable<PlanDocument> plans)
    {
        var keys = plans.SelectMany(p => new[] { Key(p.Id, RunKinds.Backup), Key(p.Id, RunKinds.Prune) }).ToHashSet(StringComparer.Ordinal);
        if (_lastSlots.Keys.Where(k => !keys.Contains(k)).ToList() is { Count: > 0 } gone)
        {
            gone.ForEach(k => _lastSlots.Remove(k));
            Save();
        }
    }

    private DueRun? Check(PlanDocument plan, string kind, ScheduleDocument schedule, WindowDocument? window, DateTimeOffset now)
    {
        var key = Key(plan.Id, kind);
        if (!_lastSlots.TryGetValue(key, out var last))
        {
            _lastSlots[key] = now;
            Save();
            return null;
        }

        if (ScheduleCalculator.LatestBetween(schedule, plan.TimeZone, last, now) is not { } slot
            || !BackupWindow.Contains(window, plan.TimeZone, now))
        {
            return null;
        }

        var trigger = slot < _startedAt ? RunTriggers.CatchUp : RunTriggers.Schedule;
        return new DueRun(plan, kind, trigger, slot);
    }

    private static string Key(string planId, string kind) => kind == RunKinds.Backup ? planId : planId + ":" + kind;

    private void Save() => AtomicFile.WriteAllBytes(_state.ScheduleFile,
        JsonSerializer.SerializeToUtf8Bytes(_lastSlots, AgentJsonContext.Default.DictionaryStringDateTimeOffset));

    private static Dictionary<string, DateTimeOffset> Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), AgentJsonContext.Default.DictionaryStringDateTimeOffset)
                ?? new(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return new(StringComparer.Ordinal);
        }
    }
}
