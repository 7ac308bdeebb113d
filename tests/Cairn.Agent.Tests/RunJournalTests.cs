using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;
using Cairn.Agent.State;
using Cairn.Agent.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

public sealed class RunJournalTests : AgentTest
{
    private readonly StateFolder _state;

    public RunJournalTests()
    {
        _state = new StateFolder(Folder.Combine("state"));
        _state.Create();
    }

    [Fact]
    public void After_a_kill_a_running_entry_becomes_interrupted_once_and_names_its_plan()
    {
        var time = new FakeTimeProvider(Plans.Utc(2026, 6, 1, 3, 0));
        var runId = Guid.NewGuid().ToString("D");
        new RunJournal(_state, time).Save(new JournalEntry { RunId = runId, Report = Report("plan-1", RunPhases.Running), Accepted = true });
        new RunJournal(_state, time).Save(new JournalEntry { RunId = Guid.NewGuid().ToString("D"), Report = Report("plan-2", RunPhases.Completed) with { EndedAt = time.GetUtcNow() }, Accepted = true });

        var restarted = new RunJournal(_state, time);
        restarted.InterruptUnfinished().Should().Equal("plan-1");

        var entry = restarted.All().Single(e => e.RunId == runId);
        entry.Report.Phase.Should().Be(RunPhases.Interrupted);
        entry.Report.EndedAt.Should().Be(time.GetUtcNow());
        entry.Accepted.Should().BeFalse("Space must hear of it");
        restarted.NotAccepted().Select(e => e.RunId).Should().Equal(runId);
        new RunJournal(_state, time).InterruptUnfinished().Should().BeEmpty("the run was handled at the first start");
        File.GetUnixFileMode(Path.Combine(_state.RunsFolder, runId + ".json")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Unreachable_space_is_retried_with_back_off_and_every_report_arrives()
    {
        var time = new FakeTimeProvider(Plans.Utc(2026, 6, 1, 3, 0));
        var journal = new RunJournal(_state, time);
        var first = Guid.NewGuid().ToString("D");
        var second = Guid.NewGuid().ToString("D");
        journal.Save(new JournalEntry { RunId = first, Report = Report("plan-1", RunPhases.Completed) with { EndedAt = time.GetUtcNow() } });
        journal.Save(new JournalEntry { RunId = second, Report = Report("plan-2", RunPhases.Running) with { StartedAt = time.GetUtcNow().AddSeconds(1) } });
        Space.FailingRunReports = 4;
        using var http = new HttpClient { BaseAddress = Space.Url };
        var reporter = new RunReporter(new SpaceClient(http, Space.Token), journal, time);
        var delays = new List<TimeSpan>();
        reporter.Retrying += (_, delay) =>
        {
            lock (delays)
            {
                delays.Add(delay);
            }
        };

        var flushing = reporter.FlushAsync(TestContext.Current.CancellationToken);
        for (var failures = 1; failures <= 4; failures++)
        {
            await Eventually.HoldsAsync(() => Count(delays) == failures, $"failure {failures}");
            // The clock stands still: no further try until it moves by the back-off.
            Space.Requests.Count(r => r.Method == "PUT").Should().Be(failures);
            time.Advance(delays[failures - 1]);
        }

        await flushing;
        delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8));
        Space.RunReports.Select(r => r.RunId).Should().Equal(first, second);
        journal.NotAccepted().Should().BeEmpty();
        Space.Requests.Count(r => r.Method == "PUT").Should().Be(6, "four refused tries, then the two reports");
    }

    [Fact]
    public void Back_off_doubles_from_one_second_to_five_minutes()
    {
        var backoff = new Backoff();
        var delays = Enumerable.Range(0, 11).Select(_ => backoff.NextDelay().TotalSeconds).ToList();
        delays.Should().Equal(1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300);
        backoff.Reset();
        backoff.NextDelay().Should().Be(TimeSpan.FromSeconds(1));
    }

    private static int Count(List<TimeSpan> delays)
    {
        lock (delays)
        {
            return delays.Count;
        }
    }

    private static RunReport Report(string planId, string phase) => new()
    {
        PlanId = planId,
        Kind = RunKinds.Backup,
        Trigger = RunTriggers.Schedule,
        Phase = phase,
        StartedAt = Plans.Utc(2026, 6, 1, 2, 0),
    };
}
