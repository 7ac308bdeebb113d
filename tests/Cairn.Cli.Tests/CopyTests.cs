using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Repository;
using Cairn.Storage;
using Cairn.Storage.Testing;
using Cairn.Testing.Servers;

namespace Cairn.Cli.Tests;

/// <summary>
/// Issue 17, copy: snapshots copied between restic-made and cairn-made repositories, each result judged by restic
/// 0.14 (check --read-data, restore compared byte for byte), and a second copy recognised as done.
/// </summary>
public sealed class CopyTests : IDisposable
{
    private const string SourcePassword = "source password";
    private readonly Workspace _workspace = new("cairn-copy-");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Copy_from_restic_into_cairn_and_on_into_restic_is_judged_by_restic_and_a_second_copy_copies_nothing()
    {
        var (source, _) = _workspace.BuildSample(seed: 71);
        var restic = Restic("restic-made");
        (await restic.RunAsync("init")).ShouldSucceed();
        (await restic.RunAsync("backup", source.ToString())).ShouldSucceed();
        File.AppendAllText(Path.Combine(source.ToString(), "grown.txt"), "a second snapshot with a parent");
        (await restic.RunAsync("backup", source.ToString())).ShouldSucceed();
        var originals = await SnapshotsAsync(restic);
        await _workspace.InitAsync();

        var copy = (await CopyAsync(_workspace.Cairn, "--from-repo", restic.Repository)).ShouldSucceed();

        copy.Stdout.Should().Contain("  copy started, this may take a while...").And.Contain("packs copied");
        foreach (var original in originals)
        {
            copy.Stdout.Should().Contain($"snapshot {Short(original)} of [{source}] at ");
        }

        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        var copies = await SnapshotsAsync(_workspace.Restic);
        copies.Select(c => c.GetProperty("original").GetString()).Should().BeEquivalentTo(originals.Select(Id));
        copies.Select(c => c.TryGetProperty("parent", out var parent) ? parent.GetString() : null).Should().OnlyContain(p => p == null, "a parent names a snapshot of the source");
        copy.Stdout.Should().Contain($"snapshot {Short(copies[0])} saved").And.Contain($"snapshot {Short(copies[1])} saved");
        await ShouldRestoreAsync(_workspace.Restic, source);

        var filesBefore = StoredFiles(_workspace.Repository);
        var again = (await CopyAsync(_workspace.Cairn, "--from-repo", restic.Repository)).ShouldSucceed();
        again.Stdout.Should().NotContain("copy started");
        foreach (var original in originals)
        {
            var copyOf = copies.Single(c => c.GetProperty("original").GetString() == Id(original));
            again.Stdout.Should().Contain($"skipping snapshot {Short(original)}, was already copied to snapshot {Short(copyOf)}");
        }

        StoredFiles(_workspace.Repository).Should().Equal(filesBefore, "a second copy writes nothing");

        // On from cairn's repository into a new restic-made one, which restic judges the same way.
        var onward = Restic("restic-onward");
        (await onward.RunAsync("init")).ShouldSucceed();
        var onwardCairn = new CairnCli(onward.Repository, SourcePassword, extraEnvironment: new Dictionary<string, string> { ["CAIRN_FROM_PASSWORD"] = CairnCli.DefaultPassword });
        (await onwardCairn.RunAsync("copy", "--from-repo", _workspace.Repository)).ShouldSucceed();
        (await onward.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        (await SnapshotsAsync(onward)).Select(c => c.GetProperty("original").GetString()).Should().BeEquivalentTo(originals.Select(Id), "original stays the first snapshot's ID");
        await ShouldRestoreAsync(onward, source);

        // restic itself takes cairn's copies for copies of its own snapshots.
        var back = await ProgramRunner.RunAsync("restic", ["--no-cache", "-r", restic.Repository, "copy", "--from-repo", _workspace.Repository], new Dictionary<string, string>
        {
            ["RESTIC_PASSWORD"] = SourcePassword,
            ["RESTIC_FROM_PASSWORD"] = CairnCli.DefaultPassword,
        }, cancellationToken: TestContext.Current.CancellationToken);
        back.ShouldSucceed().Stdout.Should().NotContain("copy started");
        (await SnapshotsAsync(restic)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Copy_works_from_local_to_rest_to_s3_and_restic_restores_the_s3_copy_byte_for_byte()
    {
        var (source, _) = _workspace.BuildSample(seed: 72);
        var local = Restic("local");
        (await local.RunAsync("init")).ShouldSucceed();
        (await local.RunAsync("backup", source.ToString())).ShouldSucceed();
        await using var rest = await RcloneServer.StartAsync(TestContext.Current.CancellationToken);
        var restLocation = rest.NewRepositoryLocation();
        var s3Location = TestRgw.NewLocation(TestRgw.NewBucketName("copy")).Display;
        var onRest = new CairnCli(restLocation, extraEnvironment: new Dictionary<string, string> { ["CAIRN_FROM_PASSWORD"] = SourcePassword });
        var onS3 = new CairnCli(s3Location, extraEnvironment: new Dictionary<string, string>(TestRgw.ClientEnvironment) { ["RESTIC_FROM_PASSWORD"] = CairnCli.DefaultPassword });
        (await onRest.RunAsync("init")).ShouldSucceed();
        (await onS3.RunAsync("init")).ShouldSucceed();

        (await onRest.RunAsync("copy", "--from-repo", local.Repository)).ShouldSucceed();
        (await onS3.RunAsync("copy", "--from-repo", restLocation)).ShouldSucceed().Stdout.Should().Contain("copy started");

        (await new ResticCli(restLocation).RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        var resticOnS3 = new ResticCli(s3Location, extraEnvironment: TestRgw.ClientEnvironment);
        (await resticOnS3.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        await ShouldRestoreAsync(resticOnS3, source);
        var again = (await onS3.RunAsync("copy", "--from-repo", restLocation)).ShouldSucceed();
        again.Stdout.Should().Contain("skipping snapshot").And.NotContain("copy started");
        (await SnapshotsAsync(resticOnS3)).Single().GetProperty("original").GetString().Should().Be(Id((await SnapshotsAsync(local)).Single()));
    }

    [Fact]
    public async Task Copy_takes_snapshot_ids_and_host_and_tag_filters_and_ignores_an_id_that_matches_nothing()
    {
        var (source, _) = _workspace.BuildSample(seed: 73, small: true);
        var restic = Restic("filtered");
        (await restic.RunAsync("init")).ShouldSucceed();
        (await restic.RunAsync("backup", "--host", "alpha", "--tag", "daily", source.ToString())).ShouldSucceed();
        (await restic.RunAsync("backup", "--host", "beta", source.ToString())).ShouldSucceed();
        (await restic.RunAsync("backup", "--host", "gamma", "--tag", "weekly", source.ToString())).ShouldSucceed();
        var snapshots = await SnapshotsAsync(restic);
        var beta = snapshots.Single(s => s.GetProperty("hostname").GetString() == "beta");
        await _workspace.InitAsync();

        (await CopyAsync(_workspace.Cairn, "--from-repo", restic.Repository, "--host", "alpha")).ShouldSucceed();
        (await CopyAsync(_workspace.Cairn, "--from-repo", restic.Repository, "--tag", "weekly")).ShouldSucceed();
        var byId = (await CopyAsync(_workspace.Cairn, "--from-repo", restic.Repository, Id(beta)[..8], "deadbeef")).ShouldSucceed();

        byId.Stderr.Should().Contain("Ignoring \"deadbeef\"");
        var copies = await SnapshotsAsync(_workspace.Restic);
        copies.Select(c => c.GetProperty("hostname").GetString()).Should().BeEquivalentTo(["alpha", "gamma", "beta"]);
        copies.Single(c => c.GetProperty("hostname").GetString() == "alpha").GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Should().Equal("daily");
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
    }

    [Fact]
    public async Task The_deprecated_repo2_spelling_copies_from_r_into_repo2_as_restic_0_14_reads_it()
    {
        var (source, _) = _workspace.BuildSample(seed: 74, small: true);
        var from = Restic("legacy-source");
        (await from.RunAsync("init")).ShouldSucceed();
        (await from.RunAsync("backup", source.ToString())).ShouldSucceed();
        await _workspace.InitAsync();
        var passwordFile = _workspace.Scratch.Combine("destination-password");
        File.WriteAllText(passwordFile, CairnCli.DefaultPassword + "\n");
        var legacy = new CairnCli(from.Repository, SourcePassword);

        var result = (await legacy.RunAsync("copy", "--repo2", _workspace.Repository, "--password-file2", passwordFile)).ShouldSucceed();

        result.Stderr.Should().Contain("Flag --repo2 has been deprecated, use --repo or --from-repo instead");
        (await SnapshotsAsync(_workspace.Restic)).Should().ContainSingle();
        (await _workspace.Restic.RunAsync("check", "--read-data")).ShouldSucceed();
    }

    [Fact]
    public async Task The_source_location_password_and_key_hint_can_come_from_a_file_a_command_and_the_environment()
    {
        var (source, _) = _workspace.BuildSample(seed: 77, small: true);
        var from = Restic("from-file");
        (await from.RunAsync("init")).ShouldSucceed();
        (await from.RunAsync("backup", source.ToString())).ShouldSucceed();
        var keyId = Directory.GetFiles(Path.Combine(from.Repository, "keys")).Select(Path.GetFileName).Single()!;
        var locationFile = _workspace.Scratch.Combine("source-location");
        var passwordFile = _workspace.Scratch.Combine("source-password");
        File.WriteAllText(locationFile, from.Repository + "\n");
        File.WriteAllText(passwordFile, SourcePassword + "\n");
        await _workspace.InitAsync();
        var viaEnvironment = new CairnCli(_workspace.Repository, extraEnvironment: new Dictionary<string, string>
        {
            ["RESTIC_FROM_REPOSITORY_FILE"] = locationFile,
            ["CAIRN_FROM_KEY_HINT"] = keyId[..8],
        });

        (await _workspace.Cairn.RunAsync("copy", "--from-repository-file", locationFile, "--from-password-command", $"cat '{passwordFile}'", "--from-key-hint", keyId))
            .ShouldSucceed().Stdout.Should().Contain("copy started");
        (await viaEnvironment.RunAsync("copy", "--from-password-file", passwordFile)).ShouldSucceed().Stdout.Should().Contain("skipping snapshot");

        (await SnapshotsAsync(_workspace.Restic)).Should().ContainSingle();
        (await _workspace.Cairn.RunAsync("copy", "--from-repo", from.Repository, "--from-repository-file", locationFile))
            .ShouldFailWith(1, "Options --from-repo and --from-repository-file are mutually exclusive");
    }

    [Fact]
    public async Task Copy_takes_a_shared_lock_on_both_repositories_so_an_exclusive_one_on_either_stops_it_with_11()
    {
        var (source, _) = _workspace.BuildSample(seed: 78, small: true);
        var from = Restic("locked-source");
        (await from.RunAsync("init")).ShouldSucceed();
        (await from.RunAsync("backup", source.ToString())).ShouldSucceed();
        await _workspace.InitAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var sourceRepository = await ResticRepository.OpenAsync(new LocalObjectStore(from.Repository), SourcePassword, cancellationToken: ct);
        await using var destinationRepository = await ResticRepository.OpenAsync(new LocalObjectStore(_workspace.Repository), CairnCli.DefaultPassword, cancellationToken: ct);

        await using (await RepositoryLock.AcquireAsync(sourceRepository, exclusive: true, ct))
        {
            (await CopyAsync(_workspace.Cairn, "--from-repo", from.Repository)).ExitCode.Should().Be(11);
        }

        await using (await RepositoryLock.AcquireAsync(destinationRepository, exclusive: true, ct))
        {
            (await CopyAsync(_workspace.Cairn, "--from-repo", from.Repository)).ExitCode.Should().Be(11);
        }

        (await SnapshotsAsync(_workspace.Restic)).Should().BeEmpty();
        await using (await RepositoryLock.AcquireAsync(sourceRepository, exclusive: false, ct))
        await using (await RepositoryLock.AcquireAsync(destinationRepository, exclusive: false, ct))
        {
            (await CopyAsync(_workspace.Cairn, "--from-repo", from.Repository)).ShouldSucceed();
        }

        (await SnapshotsAsync(_workspace.Restic)).Should().ContainSingle();
        Directory.GetFiles(Path.Combine(_workspace.Repository, "locks")).Should().BeEmpty("copy removes its locks");
    }

    [Fact]
    public async Task Bad_source_flags_and_a_wrong_source_password_fail_with_one_line_and_write_nothing()
    {
        var (source, _) = _workspace.BuildSample(seed: 75, small: true);
        var from = Restic("refused-source");
        (await from.RunAsync("init")).ShouldSucceed();
        (await from.RunAsync("backup", source.ToString())).ShouldSucceed();
        await _workspace.InitAsync();
        var before = StoredFiles(_workspace.Repository);
        var wrongPassword = new CairnCli(_workspace.Repository, extraEnvironment: new Dictionary<string, string> { ["CAIRN_FROM_PASSWORD"] = "not it" });

        (await _workspace.Cairn.RunAsync("copy")).ShouldFailWith(1, "Please specify a source repository location (--from-repo or --from-repository-file)");
        (await _workspace.Cairn.RunAsync("copy", "--from-repo", from.Repository, "--repo2", from.Repository))
            .ShouldFailWith(1, "Option groups repo2 and from-repo are mutually exclusive");
        (await wrongPassword.RunAsync("copy", "--from-repo", from.Repository)).ShouldFailWith(12, "wrong password");
        (await CopyAsync(_workspace.Cairn, "--from-repo", _workspace.Scratch.Combine("nowhere"))).ExitCode.Should().Be(10);

        StoredFiles(_workspace.Repository).Should().Equal(before);
    }

    [Fact]
    public async Task Init_with_copy_chunker_params_takes_the_source_polynomial_so_copied_data_deduplicates()
    {
        var (source, _) = _workspace.BuildSample(seed: 76);
        var from = Restic("chunker-source");
        (await from.RunAsync("init")).ShouldSucceed();
        (await from.RunAsync("backup", source.ToString())).ShouldSucceed();
        var init = new CairnCli(_workspace.Repository, extraEnvironment: new Dictionary<string, string> { ["RESTIC_FROM_PASSWORD"] = SourcePassword });

        (await init.RunAsync("init", "--from-repo", from.Repository)).ShouldFailWith(1, "Secondary repository must only be specified when copying the chunker parameters");
        (await init.RunAsync("init", "--from-repo", from.Repository, "--copy-chunker-params")).ShouldSucceed();

        (await ChunkerPolynomialAsync(_workspace.Restic)).Should().Be(await ChunkerPolynomialAsync(from));
        (await CopyAsync(_workspace.Cairn, "--from-repo", from.Repository)).ShouldSucceed();
        var backup = (await _workspace.Restic.RunAsync("backup", "--force", "--json", source.ToString())).ShouldSucceed();
        var summary = backup.JsonLines().Single(l => l.GetProperty("message_type").GetString() == "summary");
        summary.GetProperty("data_blobs").GetInt32().Should().Be(0, "the same polynomial cuts the 9 MiB file into the chunks copied already");
    }

    private ResticCli Restic(string name) => new(_workspace.Scratch.Combine(name), SourcePassword);

    /// <summary>cairn copy into <paramref name="destination"/>, the source password in restic's variable.</summary>
    private static Task<ProgramResult> CopyAsync(CairnCli destination, params string[] arguments) =>
        CairnCli.RunAsync(new Dictionary<string, string>(destination.Environment) { ["RESTIC_FROM_PASSWORD"] = SourcePassword }, ["-r", destination.Repository, "copy", .. arguments]);

    private static async Task<List<JsonElement>> SnapshotsAsync(ResticCli restic)
    {
        var json = (await restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout;
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(s => s.Clone())];
    }

    private static async Task<string?> ChunkerPolynomialAsync(ResticCli restic) =>
        JsonDocument.Parse((await restic.RunAsync("cat", "config")).ShouldSucceed().Stdout).RootElement.GetProperty("chunker_polynomial").GetString();

    private async Task ShouldRestoreAsync(ResticCli restic, RawPath source)
    {
        var target = _workspace.Scratch.Combine("restored-" + Guid.NewGuid().ToString("n")[..8]);
        (await restic.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();
        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();
    }

    /// <summary>Every stored file but locks, with its size.</summary>
    private static List<string> StoredFiles(string repository) =>
        [.. Directory.EnumerateFiles(repository, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/locks/", StringComparison.Ordinal))
            .Select(f => $"{Path.GetRelativePath(repository, f)} {new FileInfo(f).Length}")
            .Order(StringComparer.Ordinal)];

    private static string Id(JsonElement snapshot) => snapshot.GetProperty("id").GetString()!;

    private static string Short(JsonElement snapshot) => Id(snapshot)[..8];
}
