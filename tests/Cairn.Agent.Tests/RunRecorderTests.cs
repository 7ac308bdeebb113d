using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;
using Cairn.Agent.Running;
using Cairn.Agent.State;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Platform;
using Microsoft.Extensions.Time.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

public sealed class RunRecorderTests : IDisposable
{
    private readonly Scratch _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Progress_reaches_the_journal_every_few_seconds_and_an_ended_run_never_changes()
    {
        var state = new StateFolder(_folder.Path);
        state.Create();
        var time = new FakeTimeProvider(Plans.Utc(2026, 6, 1, 2, 0));
        var journal = new RunJournal(state, time);
        var changes = 0;
        var runId = Guid.NewGuid().ToString("D");
        using var recorder = new RunRecorder(runId, new RunReport { PlanId = "p", Kind = RunKinds.Backup, Trigger = RunTriggers.Manual, Phase = RunPhases.Pending, StartedAt = time.GetUtcNow() },
            journal, () => Interlocked.Increment(ref changes), time);
        recorder.Start();
        var counter = new ProgressCounter(time);
        counter.SetTotals(4, 4000);
        recorder.FollowProgress(counter);

        counter.FileDone(RawPath.FromString("/a"), 1000, reused: false);
        time.Advance(TimeSpan.FromSeconds(2));
        Journaled().Progress.FilesDone.Should().Be(0, "the first progress is taken after 3 s");
        time.Advance(TimeSpan.FromSeconds(1));
        var progress = Journaled().Progress;
        progress.FilesDone.Should().Be(1);
        progress.BytesDone.Should().Be(1000);
        progress.FilesTotal.Should().Be(4);
        progress.BytesTotal.Should().Be(4000);
        progress.BytesPerSecond.Should().Be(333, "1000 bytes in 3 s");
        progress.EtaSeconds.Should().Be(9, "3000 bytes left at 333 B/s");

        counter.FileDone(RawPath.FromString("/b"), 1000, reused: false);
        time.Advance(TimeSpan.FromSeconds(3));
        Journaled().Progress.FilesDone.Should().Be(2);

        recorder.End(RunPhases.Completed);
        var ended = Journaled();
        counter.FileDone(RawPath.FromString("/c"), 1000, reused: false);
        time.Advance(TimeSpan.FromSeconds(6));
        recorder.AddWarning("too late");
        Journaled().Should().BeEquivalentTo(ended, "an ended run is never changed again");
        ended.Phase.Should().Be(RunPhases.Completed);
        ended.EndedAt.Should().Be(time.GetUtcNow().AddSeconds(-6));
        changes.Should().BeGreaterThan(3);

        RunReport Journaled() => journal.All().Single(e => e.RunId == runId).Report;
    }
}
