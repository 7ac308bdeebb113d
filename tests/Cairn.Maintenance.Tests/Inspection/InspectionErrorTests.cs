using Cairn.Maintenance.Tests.Forget;

namespace Cairn.Maintenance.Tests.Inspection;

/// <summary>Failures of the inspection commands: one "Fatal:" line on standard error and restic's exit code.</summary>
public sealed class InspectionErrorTests(BackedUpTwiceRepository fixture) : IClassFixture<BackedUpTwiceRepository>
{
    public static TheoryData<string[], int, string> Failures => new()
    {
        { ["diff", "0000dead", "latest"], 1, "Fatal: no snapshot matches ID \"0000dead\"" },
        { ["find", "--snapshot", "0000dead", "*"], 1, "Fatal: no snapshot matches ID \"0000dead\"" },
        { ["stats", "--mode", "files-by-size"], 1, "Fatal: unknown counting mode \"files-by-size\": use restore-size or raw-data" },
        { ["list", "trees"], 1, "Fatal: invalid type \"trees\": use keys, locks, snapshots, index, packs or blobs" },
        { ["dump", "latest", "/no/such/file"], 1, "Fatal: cannot dump file: path \"/no/such/file\" not found in snapshot" },
        { ["dump", "--archive", "zip", "latest", "/"], 1, "Fatal: unknown archive format \"zip\": use tar" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Fails_with_one_clear_line_and_restics_exit_code(string[] arguments, int exitCode, string message)
    {
        var result = await ExternalProcess.CairnAsync(fixture.RepositoryPath, arguments);
        result.ExitCode.Should().Be(exitCode);
        result.Stderr.Trim().Should().Be(message);
        result.StdoutBytes.Should().BeEmpty();
    }

    [Fact]
    public async Task Dumping_a_link_says_what_it_is()
    {
        var result = await ExternalProcess.CairnAsync(fixture.RepositoryPath, "dump", "latest", fixture.Source + "/link");
        result.ExitCode.Should().Be(1);
        result.Stderr.Trim().Should().Be($"Fatal: cannot dump file: \"{fixture.Source}/link\" should be a file, but is a \"symlink\"");
    }

    [Fact]
    public async Task A_wrong_password_exits_with_12()
    {
        var result = await ExternalProcess.CairnCommandAsync(["-r", fixture.RepositoryPath, "list", "snapshots"], TestContext.Current.CancellationToken, password: "wrong");
        result.ExitCode.Should().Be(12, result.Stderr);
    }

    [Fact]
    public async Task List_json_names_each_blob_with_its_type_and_pack()
    {
        var result = await ExternalProcess.CairnAsync(fixture.RepositoryPath, "--json", "list", "blobs");
        result.ExitCode.Should().Be(0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().NotBeEmpty().And.OnlyContain(l => l.Contains("\"type\":") && l.Contains("\"pack\":"));
        lines.Should().Contain(l => l.Contains("\"type\":\"tree\"")).And.Contain(l => l.Contains("\"type\":\"data\""));
    }
}
