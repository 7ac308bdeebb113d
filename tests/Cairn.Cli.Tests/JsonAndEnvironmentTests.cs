using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;

namespace Cairn.Cli.Tests;

/// <summary>--json output and the CAIRN_*/RESTIC_* environment variables.</summary>
public sealed class JsonAndEnvironmentTests : IDisposable
{
    private readonly Workspace _workspace = new("cairn-json-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Backup_snapshots_and_ls_print_one_json_document_per_line()
    {
        var (source, _) = _workspace.BuildSample(seed: 51, small: true);
        await _workspace.InitAsync();

        var backup = (await _workspace.Cairn.RunAsync("--json", "backup", source.ToString())).ShouldSucceed();
        var snapshots = (await _workspace.Cairn.RunAsync("--json", "snapshots")).ShouldSucceed();
        var ls = (await _workspace.Cairn.RunAsync("--json", "ls", "latest")).ShouldSucceed();

        var summary = backup.JsonLines().Should().AllSatisfy(e => e.ValueKind.Should().Be(JsonValueKind.Object)).And.Subject.Last();
        summary.GetProperty("message_type").GetString().Should().Be("summary");
        var id = summary.GetProperty("snapshot_id").GetString();
        // Like restic, snapshots prints the list as one array on one line.
        snapshots.JsonLines().Should().ContainSingle().Which.EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Equal(id);
        var lines = ls.JsonLines();
        lines.Should().AllSatisfy(e => e.ValueKind.Should().Be(JsonValueKind.Object));
        lines[0].GetProperty("struct_type").GetString().Should().Be("snapshot");
        lines[0].GetProperty("id").GetString().Should().Be(id);
        lines.Skip(1).Should().AllSatisfy(e => e.GetProperty("struct_type").GetString().Should().Be("node"));
        lines.Select(e => e.TryGetProperty("path", out var p) ? p.GetString() : null).Should().Contain($"{source}/small.txt").And.Contain($"{source}/new\nline");
    }

    [Theory]
    [InlineData("CAIRN_REPOSITORY", "PASSWORD")]
    [InlineData("RESTIC_REPOSITORY", "PASSWORD")]
    [InlineData("CAIRN_REPOSITORY", "PASSWORD_FILE")]
    [InlineData("RESTIC_REPOSITORY", "PASSWORD_FILE")]
    [InlineData("CAIRN_REPOSITORY", "PASSWORD_COMMAND")]
    [InlineData("RESTIC_REPOSITORY", "PASSWORD_COMMAND")]
    public async Task The_repository_and_password_can_come_from_cairn_or_restic_environment_variables(string repositoryVariable, string passwordKind)
    {
        await _workspace.InitAsync();
        var prefix = repositoryVariable.StartsWith("CAIRN", StringComparison.Ordinal) ? "RESTIC_" : "CAIRN_";
        var passwordFile = _workspace.Scratch.Combine("password");
        await File.WriteAllTextAsync(passwordFile, CairnCli.DefaultPassword + "\n", TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string>
        {
            [repositoryVariable] = _workspace.Repository,
            [prefix + passwordKind] = passwordKind switch
            {
                "PASSWORD" => CairnCli.DefaultPassword,
                "PASSWORD_FILE" => passwordFile,
                _ => $"cat '{passwordFile}'",
            },
        };

        var result = await CairnCli.RunAsync(environment, ["--json", "snapshots"]);

        result.ShouldSucceed().JsonLines().Should().ContainSingle().Which.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task A_wrong_password_from_the_environment_is_used_and_rejected()
    {
        await _workspace.InitAsync();
        var environment = new Dictionary<string, string> { ["RESTIC_REPOSITORY"] = _workspace.Repository, ["RESTIC_PASSWORD"] = "wrong" };

        (await CairnCli.RunAsync(environment, ["snapshots"])).ShouldFailWith(12, "wrong password");
    }

    [Fact]
    public async Task Without_a_repository_location_cairn_says_how_to_give_one()
    {
        (await CairnCli.RunAsync(new Dictionary<string, string> { ["CAIRN_PASSWORD"] = "x" }, ["snapshots"]))
            .ShouldFailWith(1, "specify repository location");
    }

    [Fact]
    public async Task A_repository_file_and_a_key_hint_open_the_repository_and_r_with_a_repository_file_is_refused()
    {
        await _workspace.InitAsync();
        var keyId = Path.GetFileName(Directory.GetFiles(Path.Combine(_workspace.Repository, "keys")).Single());
        var locationFile = _workspace.Scratch.Combine("repository-location");
        await File.WriteAllTextAsync(locationFile, _workspace.Repository + "\n", TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string> { ["CAIRN_PASSWORD"] = CairnCli.DefaultPassword };

        (await CairnCli.RunAsync(environment, ["--json", "--repository-file", locationFile, "--key-hint", keyId[..8], "snapshots"]))
            .ShouldSucceed().JsonLines().Should().ContainSingle().Which.GetArrayLength().Should().Be(0);
        (await CairnCli.RunAsync(new Dictionary<string, string>(environment) { ["RESTIC_REPOSITORY_FILE"] = locationFile, ["RESTIC_KEY_HINT"] = keyId },
            ["snapshots"])).ShouldSucceed();
        (await CairnCli.RunAsync(environment, ["-r", _workspace.Repository, "--repository-file", locationFile, "snapshots"]))
            .ShouldFailWith(1, "-r and --repository-file are mutually exclusive");
    }
}
