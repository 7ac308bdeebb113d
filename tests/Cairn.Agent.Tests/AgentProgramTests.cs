using System.Text.Json.Nodes;
using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;
using Cairn.Agent.State;
using Cairn.Agent.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Agent.Tests;

/// <summary>The agent verbs as the real cairn program runs them: enroll, run (stopped by SIGTERM; refusing a bad test clock) and status.</summary>
public sealed class AgentProgramTests : AgentTest
{
    private const string OwnerPassword = "the-owner-file-password-5d1c";

    [Fact]
    public async Task Enroll_then_run_until_SIGTERM_leaves_the_run_interrupted_and_status_shows_it()
    {
        var stateDir = Folder.Combine("state");
        var passwordFile = Folder.Combine("password");
        await File.WriteAllTextAsync(passwordFile, OwnerPassword + "\n", TestContext.Current.CancellationToken);

        var enrolled = await CairnProgram.RunAsync("agent", "enroll", Space.Url.AbsoluteUri, "--code", FakeSpace.Code, "--password-file", passwordFile, "--state-dir", stateDir);
        enrolled.ExitCode.Should().Be(0, enrolled.Stderr);
        enrolled.Stdout.Should().Contain($"enrolled as agent {Space.AgentId} of instance {FakeSpace.Instance}");
        var state = new StateFolder(stateDir);
        File.GetUnixFileMode(state.IdentityFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Exists(state.PasswordFile).Should().BeFalse("a password file stays a reference");

        var planId = Guid.NewGuid().ToString("D");
        Space.SetPlans(JsonNode.Parse($$"""
            {"id":"{{planId}}","name":"slow","task":"photos","paths":["{{Folder.Path}}"],"excludes":[],"oneFileSystem":false,
             "preCommand":"sleep 120","postCommand":null,"hookTimeoutSeconds":300,"hookFailureAborts":true,
             "schedule":{"kind":"daily","time":"02:30"},"timeZone":"UTC","window":null,"uploadLimitKiBps":null,
             "retention":null,"prune":null,"paused":false,"revision":1}
            """)!.AsObject());
        Space.AddCommand(new JsonObject { ["id"] = "cmd-1", ["kind"] = "backupNow", ["planId"] = planId });

        using var agent = CairnProgram.Start("agent", "run", "--state-dir", stateDir);
        await Eventually.HoldsAsync(() => Space.RunReports.Any(r => (string?)r.Report["phase"] == "running"), "a running run");
        var runId = Space.RunReports.First().RunId;
        await agent.StopAsync(grace: TimeSpan.FromSeconds(60));
        var stopped = await agent.WaitAsync(TestContext.Current.CancellationToken);

        stopped.ExitCode.Should().Be(0, stopped.Stderr);
        Space.ReportsOf(runId)[^1]["phase"]!.GetValue<string>().Should().Be("interrupted", "the last report reached Space before the agent exited");
        var entry = new RunJournal(state, TimeProvider.System).All().Should().ContainSingle().Subject;
        entry.Report.Phase.Should().Be(RunPhases.Interrupted);
        entry.ResumeOnStart.Should().BeTrue();

        var status = await CairnProgram.RunAsync("agent", "status", "--state-dir", stateDir);
        status.ExitCode.Should().Be(0, status.Stderr);
        status.Stdout.Should().Contain($"agent:    {Space.AgentId}").And.Contain("backup  manual   interrupted").And.Contain(planId);

        Space.Requests.Should().NotContain(r => r.Contains(OwnerPassword), "the backup password never leaves the instance");
    }

    [Fact]
    public async Task Run_refuses_a_test_clock_file_that_holds_no_instant()
    {
        var clock = Folder.Combine("clock");
        await File.WriteAllTextAsync(clock, "next tuesday", TestContext.Current.CancellationToken);

        using var agent = CairnProgram.StartWith(new Dictionary<string, string> { ["CAIRN_AGENT_TEST_CLOCK"] = clock },
            "agent", "run", "--state-dir", Folder.Combine("state"));
        var refused = await agent.WaitAsync(TestContext.Current.CancellationToken);

        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Should().Contain($"CAIRN_AGENT_TEST_CLOCK: {clock} cannot be read or does not hold an ISO-8601 instant");
    }
}
