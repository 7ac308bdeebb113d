using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests.S3;

/// <summary>The S3 backend against a real Ceph RGW, with 5 MiB parts so that the larger saves go in several parts.</summary>
public sealed class S3ObjectStoreConformanceTests : ObjectStoreConformanceTests
{
    private static readonly string Bucket = TestRgwBucket.Conformance;

    protected override Task<IObjectStore> CreateEmptyStoreAsync() =>
        Task.FromResult<IObjectStore>(new S3ObjectStore(TestRgw.Options(TestRgw.NewLocation(Bucket))));

    /// <summary>No multipart upload of a failed save is left pending under the repository's prefix.</summary>
    protected override async Task AssertNoLeftoversAsync(IObjectStore store)
    {
        using var client = RawClient.For(store);
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = RawClient.PrefixOf(store) }, Ct);
        (uploads.MultipartUploads ?? []).Should().BeEmpty("a save that breaks off aborts its multipart upload");
    }

    protected override async Task PlantJunkAsync(IObjectStore store)
    {
        using var client = RawClient.For(store);
        var root = RawClient.PrefixOf(store);
        var hex = new string('a', 64);
        string[] keys =
        [
            $"{root}data/zz/zz{new string('0', 62)}", // not hex
            $"{root}data/00/{hex}", // a valid name in the wrong data folder
            $"{root}data/{hex}", // a valid name outside the data folders
            $"{root}data/AA/AA{new string('0', 62)}", // upper case
            $"{root}keys/README",
            $"{root}keys/{hex.ToUpperInvariant()}",
            $"{root}keys/{new string('b', 64)}/nested",
            $"{root}index/{new string('d', 63)}",
            $"{root}config.bak",
            $"{root.TrimEnd('/')}-other/keys/{new string('e', 64)}", // a repository whose prefix starts like ours
            $"{root}keys-old/{new string('f', 64)}",
        ];
        foreach (var key in keys)
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "junk" }, Ct);
        }
    }
}

/// <summary>The buckets the S3 tests share (each test works under a prefix of its own).</summary>
internal static class TestRgwBucket
{
    public static readonly string Conformance = TestRgw.NewBucketName("conformance");
    public static readonly string Store = TestRgw.NewBucketName("store");
}

/// <summary>An SDK client of the test's own, for looking behind the store's back.</summary>
internal static class RawClient
{
    public static AmazonS3Client For(IObjectStore store) =>
        S3ClientFactory.Create(TestRgw.Options(S3Location.Parse(store.Location)));

    public static string PrefixOf(IObjectStore store) => S3Location.Parse(store.Location).Prefix + "/";
}
