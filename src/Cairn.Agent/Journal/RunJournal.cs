using System.Text.Json;
using Cairn.Agent.Protocol;
using Cairn.Agent.State;

namespace Cairn.Agent.Journal;

/// <summary>
/// One small JSON file per run under <c>runs/</c>, written before the run starts and at every change, so a killed
/// agent finds its unfinished runs and the reports Space has not accepted yet. Ended, accepted runs beyond the most
/// recent <see cref="KeptEndedRuns"/> are removed.
/// </summary>
public sealed class RunJournal(StateFolder state, TimeProvider time)
{
    public const int KeptEndedRuns = 50;

    private readonly Lock _gate = new();

    public void Save(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, AgentJsonContext.Default.JournalEntry);
        lock (_gate)
        {
            AtomicFile.WriteAllBytes(PathOf(entry.RunId), json);
        }
    }

    /// <summary>Records that Space accepted <paramref name="report"/>, unless the run has changed since it was sent.</summary>
    public void MarkAccepted(string runId, RunReport report)
    {
        lock (_gate)
        {
            var current = Read(PathOf(runId));
            if (current is not null && SameContent(current.Report, report) && !current.Accepted)
            {
                AtomicFile.WriteAllBytes(PathOf(runId), JsonSerializer.SerializeToUtf8Bytes(current with { Accepted = true }, AgentJsonContext.Default.JournalEntry));
            }
        }

        Trim();
    }

    public IReadOnlyList<JournalEntry> All()
    {
        if (!Directory.Exists(state.RunsFolder))
        {
            return [];
        }

        lock (_gate)
        {
            return [.. Directory.EnumerateFiles(state.RunsFolder, "*.json").Select(Read).OfType<JournalEntry>().OrderBy(e => e.Report.StartedAt)];
        }
    }

    public IReadOnlyList<JournalEntry> NotAccepted() => [.. All().Where(e => !e.Accepted)];

    /// <summary>
    /// At start: every run still pending or running was cut off by a kill or a crash. It becomes interrupted (to be
    /// reported) and its plan is returned, to run again at once; so is the plan of a backup the agent stopped itself.
    /// </summary>
    public IReadOnlyList<string> InterruptUnfinished()
    {
        var plans = new List<string>();
        foreach (var stopped in All().Where(e => e.ResumeOnStart))
        {
            Save(stopped with { ResumeOnStart = false });
            if (!plans.Contains(stopped.Report.PlanId))
            {
                plans.Add(stopped.Report.PlanId);
            }
        }

        foreach (var entry in All().Where(e => !e.Report.HasEnded))
        {
            Save(entry with
            {
                Accepted = false,
                Report = entry.Report with
                {
                    Phase = RunPhases.Interrupted,
                    EndedAt = time.GetUtcNow(),
                    Result = entry.Report.Result with { Error = entry.Report.Result.Error ?? "the agent stopped during the run" },
                },
            });
            if (entry.Report.Kind == RunKinds.Backup && !plans.Contains(entry.Report.PlanId))
            {
                plans.Add(entry.Report.PlanId);
            }
        }

        return plans;
    }

    private static bool SameContent(RunReport a, RunReport b) =>
        JsonSerializer.Serialize(a, AgentJsonContext.Default.RunReport) == JsonSerializer.Serialize(b, AgentJsonContext.Default.RunReport);

    private void Trim()
    {
        var ended = All().Where(e => e.Accepted && e.Report.HasEnded).ToList();
        foreach (var old in ended.Take(Math.Max(0, ended.Count - KeptEndedRuns)))
        {
            File.Delete(PathOf(old.RunId));
        }
    }

    private string PathOf(string runId)
    {
        if (!Guid.TryParse(runId, out var id))
        {
            throw new ArgumentException($"run id {runId} is not a GUID", nameof(runId));
        }

        return Path.Combine(state.RunsFolder, id.ToString("D") + ".json");
    }

    private static JournalEntry? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), AgentJsonContext.Default.JournalEntry);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // A file cut short by a crash before the rename cannot exist (atomic write); anything else unreadable is skipped.
            return null;
        }
    }
}
