using System.Globalization;
using Cairn.Space.Plans;
using Cairn.Space.Web.Formatting;

namespace Cairn.Space.Web.Plans;

/// <summary>
/// A run as the console shows it, every figure already in words: the server renders its row from this, and the
/// live script (console-runs.js) gets the same record as JSON every few seconds, so both write one text.
/// </summary>
public sealed record RunView(
    Guid Id,
    Guid PlanId,
    string Phase,
    string PhaseText,
    bool Ended,
    string KindText,
    string TriggerText,
    string StartedAt,
    string StartedText,
    string? EndedAt,
    string DurationText,
    string FilesText,
    string AddedText,
    RunBar? Bar,
    string? RateText,
    string? ErrorText,
    string? WarningsText,
    string? SnapshotShort)
{
    public static RunView From(PlanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ended = run.HasEnded;
        return new RunView(
            run.Id,
            run.PlanId,
            run.Phase,
            PlanWords.Phase(run.Phase),
            ended,
            PlanWords.Kind(run.Kind),
            PlanWords.Trigger(run.Kind, run.Trigger),
            HumanTime.Iso(run.StartedAt),
            HumanTime.Utc(run.StartedAt),
            run.EndedAt is { } end ? HumanTime.Iso(end) : null,
            PlanWords.Duration((run.EndedAt ?? now) - run.StartedAt),
            ended ? PlanWords.Count(run.Files) : $"{PlanWords.Count(run.FilesDone)} of {PlanWords.Count(run.FilesTotal)}",
            Added(run),
            ended ? null : RunBar.Of(run),
            ended ? null : Rate(run),
            run.Error is { } error ? PlainWords.Sentence(error) : null,
            run.Warnings.Count > 0 ? $"{run.Warnings.Count} {(run.Warnings.Count == 1 ? "warning" : "warnings")}: {string.Join("; ", run.Warnings)}" : null,
            run.SnapshotId is { } snapshot ? snapshot[..Math.Min(8, snapshot.Length)] : null);
    }

    /// <summary>A backup adds to the repository; a restore writes files on the instance; while running, what is read so far.</summary>
    private static string Added(PlanRun run)
        => !run.HasEnded ? $"{HumanBytes.Format(run.BytesDone)} of {HumanBytes.Format(run.BytesTotal)}"
            : run.Kind == "restore" ? $"{HumanBytes.Format(run.BytesDone)} restored"
            : HumanBytes.Format(run.BytesAdded);

    /// <summary>None before the agent has measured anything (a run still counting its files).</summary>
    private static string? Rate(PlanRun run)
        => run.BytesPerSecond == 0 && run.EtaSeconds is null
            ? null
            : $"{HumanBytes.Format(run.BytesPerSecond)}/s"
              + (run.EtaSeconds is { } eta ? $", about {PlanWords.Duration(TimeSpan.FromSeconds(eta))} left" : "");
}

/// <summary>
/// How far a running run is, for a <c>&lt;progress&gt;</c> bar: bytes once the agent knows the total, files before
/// that; no maximum (an indeterminate bar) while it knows neither.
/// </summary>
public sealed record RunBar(long Value, long Max, string Text)
{
    public static RunBar Of(PlanRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.BytesTotal > 0)
        {
            var done = Math.Min(run.BytesDone, run.BytesTotal);
            return new RunBar(done, run.BytesTotal, $"{Percent(done, run.BytesTotal)} done");
        }

        if (run.FilesTotal > 0)
        {
            var done = Math.Min(run.FilesDone, run.FilesTotal);
            return new RunBar(done, run.FilesTotal, $"{Percent(done, run.FilesTotal)} done");
        }

        return new RunBar(0, 0, run.Phase == "pending" ? "Waiting to start" : "Counting files");
    }

    private static string Percent(long done, long total)
        => ((int)Math.Floor(done * 100.0 / total)).ToString(CultureInfo.InvariantCulture) + "%";
}
