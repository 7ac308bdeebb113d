using Cairn.Testing.Processes;
using System.Formats.Tar;
using System.Text.Json;
using Cairn.Maintenance.Tests.Forget;

namespace Cairn.Maintenance.Tests.Inspection;

/// <summary>
/// diff, find, stats, dump and list run as the real cairn process on a repository cairn wrote, compared with what
/// the real restic 0.14 prints for the same repository.
/// </summary>
public sealed class ResticInspectionAgreementTests(BackedUpTwiceRepository fixture) : IClassFixture<BackedUpTwiceRepository>
{
    private Task<ProgramResult> CairnAsync(params string[] arguments) => ExternalProcess.CairnAsync(fixture.RepositoryPath, ["--no-lock", .. arguments]);

    private Task<ProgramResult> ResticAsync(params string[] arguments) => ExternalProcess.ResticAsync(fixture.RepositoryPath, ["--no-lock", .. arguments]);

    private async Task<(string Cairn, string Restic)> BothAsync(params string[] arguments)
    {
        var cairn = await CairnAsync(arguments);
        var restic = await ResticAsync(arguments);
        cairn.ExitCode.Should().Be(0, cairn.Stderr);
        restic.ExitCode.Should().Be(0, restic.Stderr);
        return (cairn.Stdout, restic.Stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Diff_prints_the_same_changes_and_statistics_as_restic(bool metadata)
    {
        string[] arguments = metadata ? ["diff", "--metadata", fixture.FirstId, fixture.SecondId] : ["diff", fixture.FirstId, fixture.SecondId];
        var (cairn, restic) = await BothAsync(arguments);
        cairn.Should().Be(restic);
        cairn.Should().Contain("M    /").And.Contain("+    ").And.Contain("-    ");
        cairn.Should().Contain(metadata ? "TU   " : "T    ");
        if (metadata)
        {
            cairn.Should().Contain("U    /");
        }
    }

    [Fact]
    public async Task Diff_json_lines_equal_restics()
    {
        var (cairn, restic) = await BothAsync("diff", "--json", fixture.FirstId, fixture.SecondId);
        cairn.Should().Be(restic);
        cairn.Should().Contain("\"message_type\":\"statistics\"");
    }

    [Theory]
    [InlineData("restore-size")]
    [InlineData("raw-data")]
    public async Task Stats_count_what_restic_counts(string mode)
    {
        foreach (var selection in new[] { Array.Empty<string>(), ["latest"], [fixture.FirstId] })
        {
            var (cairn, restic) = await BothAsync(["stats", "--json", "--mode", mode, .. selection]);
            using var ours = JsonDocument.Parse(cairn);
            using var theirs = JsonDocument.Parse(restic);
            foreach (var property in theirs.RootElement.EnumerateObject())
            {
                ours.RootElement.GetProperty(property.Name).GetInt64().Should().Be(property.Value.GetInt64(), $"{property.Name} of {mode} {string.Join(" ", selection)}");
            }
        }
    }

    [Fact]
    public async Task Restore_size_counts_a_hard_linked_file_once()
    {
        var (cairn, _) = await BothAsync("stats", "--json", "latest");
        using var document = JsonDocument.Parse(cairn);
        var expected = fixture.BigFile.Length + "changed\n".Length + "two\n".Length + "same\n".Length + "meta\n".Length + "new\n".Length + "n\n".Length;
        document.RootElement.GetProperty("total_size").GetInt64().Should().Be(expected);
    }

    [Theory]
    [InlineData("*.txt")]
    [InlineData("sub/*")]
    [InlineData("/src/sub*")]
    [InlineData("newdir")]
    [InlineData("**/n")]
    [InlineData("nothing-matches")]
    public async Task Find_reports_the_same_matches_as_restic(string pattern)
    {
        var (cairn, restic) = await BothAsync("find", "--json", pattern);
        Normalize(cairn).Should().Be(Normalize(restic));
        var (cairnLong, resticLong) = await BothAsync("find", "--long", "--snapshot", fixture.SecondId, pattern);
        cairnLong.Should().Be(resticLong);
    }

    [Fact]
    public async Task Find_ignores_case_when_asked()
    {
        var (cairn, restic) = await BothAsync("find", "--json", "-i", "SUB", "A.TXT");
        Normalize(cairn).Should().Be(Normalize(restic));
        cairn.Should().Contain("/sub/b.txt");
    }

    [Fact]
    public async Task Dump_writes_a_files_bytes()
    {
        var result = await CairnAsync("dump", "latest", fixture.Source + "/big");
        result.ExitCode.Should().Be(0, result.Stderr);
        result.StdoutBytes.Should().Equal(fixture.BigFile);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/sub")]
    [InlineData("/")]
    public async Task Dump_writes_a_directory_as_a_tar_with_restics_entries(string below)
    {
        var path = below == "/" ? "/" : fixture.Source + below;
        var cairn = await CairnAsync("dump", "latest", path);
        var restic = await ResticAsync("dump", "latest", path);
        cairn.ExitCode.Should().Be(0, cairn.Stderr);
        var ours = await EntriesAsync(cairn.StdoutBytes);
        var theirs = await EntriesAsync(restic.StdoutBytes);
        ours.Select(e => e.Name).Should().Equal(theirs.Select(e => e.Name));
        for (var i = 0; i < ours.Count; i++)
        {
            ours[i].Should().BeEquivalentTo(theirs[i], options => options.Excluding(e => e.ModificationTime), ours[i].Name);
            ours[i].ModificationTime.Should().BeCloseTo(theirs[i].ModificationTime, TimeSpan.FromSeconds(1), "restic rounds to whole seconds");
        }

        if (below != "/sub")
        {
            ours.Should().Contain(e => e.Type == TarEntryType.SymbolicLink && e.LinkName == "sub");
        }
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("snapshots")]
    [InlineData("index")]
    [InlineData("packs")]
    [InlineData("blobs")]
    public async Task List_names_the_same_objects_as_restic(string type)
    {
        var (cairn, restic) = await BothAsync("list", type);
        Lines(cairn).Should().BeEquivalentTo(Lines(restic));
        Lines(cairn).Should().NotBeEmpty();
    }

    private sealed record TarItem(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string UserName, string GroupName, string LinkName, string Content, DateTimeOffset ModificationTime);

    private static async Task<List<TarItem>> EntriesAsync(byte[] tar)
    {
        var items = new List<TarItem>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            var content = "";
            if (entry.DataStream is { } data)
            {
                using var hash = System.Security.Cryptography.SHA256.Create();
                content = Convert.ToHexString(await hash.ComputeHashAsync(data));
            }

            var posix = (PosixTarEntry)entry;
            var type = entry.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType;
            items.Add(new TarItem(entry.Name.TrimEnd('/'), type, entry.Mode, entry.Uid, entry.Gid, posix.UserName, posix.GroupName, entry.LinkName, content, entry.ModificationTime));
        }

        return items;
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>restic lists snapshots in no fixed order; sort the per-snapshot results by ID.</summary>
    private static string Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return string.Join("\n", document.RootElement.EnumerateArray().Select(e => e.GetRawText()).Order(StringComparer.Ordinal));
    }
}
