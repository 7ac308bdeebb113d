using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>Issue 17, item 8: an unreachable repository and a command line that does not parse fail at once, in one clear line.</summary>
public sealed class FailingFastTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-fail-fast-");

    public void Dispose() => _workspace.Dispose();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Theory]
    [InlineData("snapshots")]
    [InlineData("backup")]
    [InlineData("init")]
    public async Task A_repository_on_a_closed_port_fails_in_under_5_seconds_naming_the_masked_url_and_the_reason(string command)
    {
        var port = ClosedPort();
        var cairn = new CairnCli($"rest:http://backup-user:s3cret-token@127.0.0.1:{port}/repo/main");
        string[] arguments = command == "backup" ? [command, _workspace.Scratch.Path] : [command];

        var started = Stopwatch.StartNew();
        var result = await cairn.RunAsync(arguments);

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), result.ToString());
        result.ShouldFailWith(1, $"cannot reach rest:http://backup-user:***@127.0.0.1:{port}/repo/main/: connection refused");
        (result.Stdout + result.Stderr).Should().NotContain("s3cret-token");
    }

    [Theory]
    [InlineData("snapshots", "--bogus", "unknown flag: --bogus", "Usage: cairn snapshots [flags] [snapshot ID...]")]
    [InlineData("backup", "--no-such-flag=3", "unknown flag: --no-such-flag", "Usage: cairn backup [flags] [paths...]")]
    [InlineData("key", "--bogus", "unknown flag: --bogus", "Usage: cairn key [command] [flags]")]
    public async Task An_unknown_flag_prints_one_line_and_the_commands_usage_and_exits_1(string command, string flag, string line, string usage)
    {
        var result = await _workspace.Cairn.RunAsync(command, flag);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().Equal(line, usage, $"Run \"cairn {command} --help\" for all flags.");
        result.Stdout.Should().BeEmpty("neither the whole help nor typo suggestions are printed");
        Directory.Exists(_workspace.Repository).Should().BeFalse("nothing ran");
    }

    [Fact]
    public async Task An_unknown_command_prints_one_line_and_the_usage_and_exits_1()
    {
        var result = await _workspace.Cairn.RunAsync("snapshot");

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().Equal("unknown command \"snapshot\" for \"cairn\"", "Usage: cairn [command] [flags]", "Run \"cairn --help\" for all flags.");
        result.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task A_bad_flag_value_prints_the_parsers_one_line_and_the_usage()
    {
        var result = await _workspace.Cairn.RunAsync("cache", "--max-age", "many");

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().HaveCount(3).And.Subject.First().Should().Contain("many").And.Contain("--max-age");
        result.StderrLines[1].Should().Be("Usage: cairn cache [flags]");
    }
}
