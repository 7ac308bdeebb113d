using System.Security.Cryptography;
using System.Text.Json;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Platform;
using Cairn.Storage;
using Cairn.Storage.Testing;

namespace Cairn.Cli.Tests;

/// <summary>
/// Issue 14, first must-show: restic and cairn on the same s3: repository in a real Ceph RGW, each judging what the
/// other wrote. The sample tree gets a large random file, so packs reach 16 MiB and go up in several parts.
/// </summary>
public sealed class S3InteroperabilityTests : IDisposable
{
    private const int LargeRandomFileSize = 40 << 20;
    private static readonly string Bucket = TestRgw.NewBucketName("cli");
    private readonly Scratch _scratch = new("cairn-s3-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Restic_reads_every_byte_of_and_restores_a_repository_cairn_wrote_on_rgw()
    {
        var (cairn, restic) = NewRepository();
        var location = S3Location.Parse(cairn.Repository);
        var source = BuildSource(seed: 41);
        (await cairn.RunAsync("init")).ShouldSucceed();
        var summary = (await cairn.RunAsync("--json", "backup", source.ToString())).ShouldSucceed().Message("summary");
        var target = _scratch.Combine("restored-by-restic");

        (await restic.RunAsync("check", "--read-data")).ShouldSucceed().Stdout.Should().Contain("no errors were found");
        (await restic.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();

        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();
        (await SnapshotIdsAsync(restic)).Should().Equal(summary.GetProperty("snapshot_id").GetString());
        (await cairn.RunAsync("check", "--read-data")).ShouldSucceed();
        await using var store = new S3ObjectStore(TestRgw.Options(location));
        (await store.ListAllAsync(ObjectKind.Pack, TestContext.Current.CancellationToken)).Should()
            .Contain(p => p.Size > S3StoreOptions.DefaultPartSize, "full packs went up as multipart uploads");
    }

    [Fact]
    public async Task Cairn_checks_restores_and_adds_to_a_repository_restic_wrote_on_rgw()
    {
        var (cairn, restic) = NewRepository();
        var source = BuildSource(seed: 42);
        (await restic.RunAsync("init")).ShouldSucceed();
        (await restic.RunAsync("backup", source.ToString())).ShouldSucceed();
        var target = _scratch.Combine("restored-by-cairn");

        (await cairn.RunAsync("check", "--read-data")).ShouldSucceed();
        (await cairn.RunAsync("restore", "latest", "--target", target)).ShouldSucceed();
        TreeComparer.Differences(source, Workspace.Restored(target, source)).Should().BeEmpty();

        var more = _scratch.Raw.Join("more"u8);
        Directory.CreateDirectory(more.ToString());
        await File.WriteAllBytesAsync(Path.Combine(more.ToString(), "new.bin"), RandomNumberGenerator.GetBytes(3 << 20), TestContext.Current.CancellationToken);
        (await cairn.RunAsync("backup", more.ToString())).ShouldSucceed();
        (await restic.RunAsync("check", "--read-data")).ShouldSucceed();
        (await SnapshotIdsAsync(restic)).Should().HaveCount(2);
    }

    [Fact]
    public async Task A_missing_repository_on_rgw_is_reported_as_no_repository()
    {
        var (cairn, _) = NewRepository();

        var result = await cairn.RunAsync("snapshots");

        result.ExitCode.Should().Be(10, "restic's exit code for a repository that does not exist");
        result.Stderr.Should().Contain("s3:").And.NotContain(TestRgw.Credentials.SecretAccessKey);
    }

    [Fact]
    public async Task An_s3_location_without_credentials_or_with_a_bad_bucket_is_one_clear_line()
    {
        var withoutKeys = await new CairnCli("s3:http://127.0.0.1:9/bucket/repo").RunAsync("init");
        var badBucket = await new CairnCli("s3:http://127.0.0.1:9/Bad_Bucket/repo", extraEnvironment: new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "key",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
        }).RunAsync("init");

        withoutKeys.ExitCode.Should().Be(1);
        withoutKeys.Stderr.Trim().Should().Be("Fatal: an s3: repository needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
        badBucket.ExitCode.Should().Be(1);
        badBucket.Stderr.Trim().Should().StartWith("Fatal: 's3:http://127.0.0.1:9/Bad_Bucket/repo' is not an s3: location: 'Bad_Bucket' is not a bucket name");
    }

    private (CairnCli Cairn, ResticCli Restic) NewRepository()
    {
        var location = TestRgw.NewLocation(Bucket).Display;
        var environment = TestRgw.ClientEnvironment;
        return (new CairnCli(location, extraEnvironment: environment), new ResticCli(location, extraEnvironment: environment));
    }

    private RawPath BuildSource(int seed)
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed, largeFileSize: 200_000);
        var random = new byte[LargeRandomFileSize];
        new Random(seed).NextBytes(random);
        File.WriteAllBytes(Path.Combine(source.ToString(), "random-40m.bin"), random);
        return source;
    }

    private static async Task<List<string?>> SnapshotIdsAsync(ResticCli restic)
    {
        var json = (await restic.RunAsync("snapshots", "--json")).ShouldSucceed().Stdout;
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
    }
}
