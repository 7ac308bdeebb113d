using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;

namespace Cairn.Agent.Running;

/// <summary>
/// The state of one run: every change goes to the journal first (marked not yet accepted), then the reporter is
/// told to send it. While a backup runs, its progress is taken every <see cref="ProgressInterval"/>. An ended run
/// is never changed again.
/// </summary>
public sealed class RunRecorder : IDisposable
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(3);

    private readonly RunJournal _journal;
    private readonly Action _changed;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private RunReport _report;
    private ITimer? _progressTimer;
    private bool _resumeOnStart;

    public RunRecorder(string runId, RunReport initial, RunJournal journal, Action changed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(journal);
        RunId = runId;
        _report = initial;
        _journal = journal;
        _changed = changed;
        _time = time;
        journal.Save(new JournalEntry { RunId = runId, Report = initial });
        changed();
    }

    public string RunId { get; }

    public RunReport Current
    {
        get
        {
            lock (_gate)
            {
                return _report;
            }
        }
    }

    public void Update(Func<RunReport, RunReport> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            if (_report.HasEnded)
            {
                return;
            }

            _report = change(_report);
            _journal.Save(new JournalEntry { RunId = RunId, Report = _report, ResumeOnStart = _resumeOnStart });
        }

        _changed();
    }

    public void AddWarning(string warning) => Update(r => r with { Result = r.Result with { Warnings = [.. r.Result.Warnings, warning] } });

    public void Start() => Update(r => r with { Phase = RunPhases.Running });

    /// <summary>Ends the run; <paramref name="resumeOnStart"/> asks the next start of the agent to run its plan again.</summary>
    public void End(string phase, string? error = null, bool resumeOnStart = false)
    {
        StopFollowingProgress();
        _resumeOnStart = resumeOnStart;
        Update(r => r with { Phase = phase, EndedAt = _time.GetUtcNow(), Result = r.Result with { Error = error ?? r.Result.Error } });
    }

    public void FollowProgress(ProgressCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        StopFollowingProgress();
        _progressTimer = _time.CreateTimer(_ => Update(r => r with { Progress = counter.Snapshot() }), null, ProgressInterval, ProgressInterval);
    }

    public void StopFollowingProgress()
    {
        Interlocked.Exchange(ref _progressTimer, null)?.Dispose();
    }

    public void Dispose() => StopFollowingProgress();
}
