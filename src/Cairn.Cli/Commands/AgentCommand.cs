using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Cairn.Agent;
using Cairn.Agent.Journal;
using Cairn.Agent.Protocol;
using Cairn.Agent.Scheduling;
using Cairn.Agent.State;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn agent enroll|run|status</c>: the instance side of Space's backup plans (docs/agent-protocol.md).</summary>
[SupportedOSPlatform("linux")]
internal static class AgentCommand
{
    private static readonly Option<string?> StateDir = new("--state-dir") { Description = "the agent's state folder (default: /var/lib/cairn-agent as root, else $XDG_STATE_HOME/cairn-agent)" };

    public static Command Create()
    {
        var command = new Command("agent", "Run Space's backup plans on this machine");
        command.Subcommands.Add(Enroll());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Status());
        return command;
    }

    private static StateFolder State(ParseResult result) => new(result.GetValue(StateDir) ?? StateFolder.DefaultPath());

    private static Command Enroll()
    {
        var url = new Argument<string>("url") { Description = "Space's address, e.g. https://space.example" };
        var code = new Option<string>("--code") { Description = "the one-time code the console shows (XXXX-XXXX)", Required = true };
        var command = new Command("enroll", "Enroll this machine with Space using a one-time code; the backup password stays here") { url, code, StateDir };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var space) || (space.Scheme != Uri.UriSchemeHttps && space.Scheme != Uri.UriSchemeHttp))
            {
                throw new UsageException($"\"{result.GetValue(url)}\" is not an http(s) URL");
            }

            var passwordFile = result.GetValue(GlobalOptions.PasswordFile);
            var passwordCommand = result.GetValue(GlobalOptions.PasswordCommand);
            var choice = passwordFile is not null || passwordCommand is not null
                ? new PasswordChoice(File: passwordFile, Command: passwordFile is null ? passwordCommand : null)
                : new PasswordChoice(Typed: RepositoryOpener.Prompt("enter the backup password (it stays on this machine): ", confirm: true));
            var state = State(result);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            Agent.State.AgentIdentity identity;
            try
            {
                identity = await Enrollment.EnrollAsync(state, space, result.GetValue(code) ?? "", choice, http, ct);
            }
            catch (Exception e) when (e is EnrollmentRefusedException or SpaceUnreachableException or SpaceRefusedException or InvalidOperationException)
            {
                throw new UsageException(e.Message);
            }

            output.Line($"enrolled as agent {identity.AgentId} of instance {identity.Instance}; state in {state.Path}");
            output.Line("start it with `cairn agent run` (or the systemd unit cairn-agent.service)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Run()
    {
        var command = new Command("run", "Run the agent: fetch plans and commands from Space, run backups on schedule, report them") { StateDir };
        CommandContext.SetAction(command, async (result, output, ct) =>
        {
            var state = State(result);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // SIGTERM (systemd's stop) and SIGINT end the loop cleanly: a running backup ends interrupted and resumes at the next start.
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var http = new HttpClient { Timeout = AgentHost.RequestTimeout };
            var options = new Repository.RepositoryOptions { Kdf = Environment.GetEnvironmentVariable("CAIRN_TEST_KDF") == "fast" ? Repository.KdfParameters.Fast : Repository.KdfParameters.Default };
            void Log(string line) => output.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {line}");

            // The repository (its locks) keeps the real clock: only the agent's own "now" follows a test clock.
            FileClock? testClock;
            try
            {
                testClock = FileClock.FromEnvironment(Log);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException(e.Message);
            }

            using var ownedClock = testClock;
            AgentLoop loop;
            try
            {
                loop = AgentHost.Create(state, http, options, (TimeProvider?)testClock ?? TimeProvider.System, Log);
            }
            catch (NotEnrolledException e)
            {
                throw new UsageException(e.Message);
            }

            output.Error.WriteLine($"cairn agent {VersionCommand.Version}: state in {state.Path}");
            try
            {
                await loop.RunAsync(stop.Token);
            }
            catch (AgentRevokedException e)
            {
                output.Error.WriteLine($"Fatal: Space refused this agent ({e.Message}): it was revoked; enroll it again");
                return ExitCodes.AgentRevoked;
            }

            return ExitCodes.Success;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        });
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Show this agent's enrollment and its recent runs") { StateDir };
        CommandContext.SetAction(command, (result, output, ct) =>
        {
            var state = State(result);
            Agent.State.AgentIdentity identity;
            try
            {
                identity = Enrollment.Load(state);
            }
            catch (NotEnrolledException e)
            {
                throw new UsageException(e.Message);
            }

            output.Line($"space:    {identity.Space}");
            output.Line($"instance: {identity.Instance}");
            output.Line($"agent:    {identity.AgentId}");
            output.Line($"password: {(identity.PasswordCommand is { } c ? "from command " + c : identity.PasswordFile ?? state.PasswordFile)}");
            var runs = new RunJournal(state, TimeProvider.System).All();
            output.Line(runs.Count == 0 ? "no runs yet" : "recent runs:");
            foreach (var entry in runs.TakeLast(20))
            {
                var report = entry.Report;
                output.Line($"  {report.StartedAt:yyyy-MM-dd HH:mm:ss} {report.Kind,-7} {report.Trigger,-8} {report.Phase,-11} plan {report.PlanId}"
                    + (report.Result.SnapshotId is { } id ? $" snapshot {id[..Math.Min(8, id.Length)]}" : "")
                    + (report.Result.Error is { } error ? $": {error}" : "")
                    + (entry.Accepted ? "" : " (not yet reported)"));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
