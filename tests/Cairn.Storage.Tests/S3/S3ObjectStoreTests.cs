using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests.S3;

/// <summary>What the S3 backend does beyond the shared suite: multipart uploads, restic's keys, pages, buckets, refusals.</summary>
public sealed partial class S3ObjectStoreTests : IAsyncDisposable
{
    private const int PartSize = S3StoreOptions.MinPartSize;
    private readonly List<IObjectStore> _stores = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_multipart_save_that_breaks_off_after_some_parts_leaves_no_object_and_no_pending_upload()
    {
        var store = await NewStoreAsync();
        var name = TestObject.Random(ObjectKind.Pack, 1).Name;

        var save = () => store.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(4L * PartSize) { FailAfter = (2L * PartSize) + 1000 }), Ct);

        await save.Should().ThrowAsync<IOException>();
        (await store.ExistsAsync(name, Ct)).Should().BeFalse();
        await AssertNoPendingUploadsAsync(store);
    }

    [Fact]
    public async Task A_multipart_save_cancelled_between_parts_is_aborted()
    {
        var store = await NewStoreAsync();
        var name = TestObject.Random(ObjectKind.Pack, 1).Name;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stream = new GeneratedStream(3L * PartSize) { OnProgress = (PartSize + 10, cts.Cancel) };

        var save = () => store.SaveAsync(name, ObjectContent.OnePass(stream), cts.Token);

        await save.Should().ThrowAsync<OperationCanceledException>();
        (await store.ExistsAsync(name, Ct)).Should().BeFalse();
        await AssertNoPendingUploadsAsync(store);
    }

    [Theory]
    [InlineData(PartSize, false)] // exactly one part: one PUT
    [InlineData(2 * PartSize, false)] // ends exactly at a part's end: the look-ahead knows it is done
    [InlineData((2 * PartSize) + 1, false)]
    [InlineData(2 * PartSize, true)]
    [InlineData((2 * PartSize) + 1, true)]
    public async Task Objects_around_part_boundaries_are_saved_whole_from_any_stream(int size, bool seekable)
    {
        var store = await NewStoreAsync();
        var bytes = GeneratedStream.Expected(size, seed: size);
        var name = new ObjectName(ObjectKind.Pack, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var source = seekable ? ObjectContent.FromSeekable(new MemoryStream(bytes, writable: false)) : ObjectContent.OnePass(new GeneratedStream(size, seed: size));

        await store.SaveAsync(name, source, Ct);

        (await store.ReadAllAsync(name, Ct)).Should().Equal(bytes);
        await AssertNoPendingUploadsAsync(store);
    }

    [Fact]
    public async Task A_multipart_object_saved_again_with_the_same_bytes_succeeds_and_with_another_size_is_refused()
    {
        var store = await NewStoreAsync();
        var bytes = GeneratedStream.Expected(2L * PartSize + 7, seed: 3);
        var name = new ObjectName(ObjectKind.Pack, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        await store.SaveAsync(name, ObjectContent.FromSeekable(new MemoryStream(bytes, writable: false)), Ct);

        await store.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(bytes.Length, seed: 3)), Ct);
        var overwrite = () => store.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(3L * PartSize, seed: 4)), Ct);

        await overwrite.Should().ThrowAsync<ObjectExistsException>();
        (await store.ReadAllAsync(name, Ct)).Should().Equal(bytes);
        await AssertNoPendingUploadsAsync(store);
    }

    [Fact]
    public async Task Objects_are_stored_under_restics_s3_keys_below_the_prefix()
    {
        var store = await NewStoreAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 10);
        var key = TestObject.Random(ObjectKind.Key, 10);
        var snapshot = TestObject.Random(ObjectKind.Snapshot, 10);
        foreach (var o in new[] { pack, key, snapshot, TestObject.Named(ObjectKind.Config, [1]) })
        {
            await o.SaveToAsync(store, Ct);
        }

        using var client = RawClient.For(store);
        var root = RawClient.PrefixOf(store);
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = TestRgwBucket.Store, Prefix = root }, Ct);

        listed.S3Objects.Select(o => o.Key).Should().BeEquivalentTo(
            $"{root}config", $"{root}data/{pack.Name.Name[..2]}/{pack.Name.Name}", $"{root}keys/{key.Name.Name}", $"{root}snapshots/{snapshot.Name.Name}");
    }

    [Fact]
    public async Task Listings_page_through_more_keys_than_one_page_holds()
    {
        var location = TestRgw.NewLocation(TestRgwBucket.Store);
        var store = Track(new S3ObjectStore(TestRgw.Options(location) with { ListPageSize = 2 }));
        await store.CreateAsync(Ct);
        var objects = Enumerable.Range(0, 7).Select(i => TestObject.Random(ObjectKind.Index, 10 + i)).ToList();
        foreach (var o in objects)
        {
            await o.SaveToAsync(store, Ct);
        }

        var listed = await store.ListAllAsync(ObjectKind.Index, Ct);

        listed.Should().BeEquivalentTo(objects.Select(o => new ObjectInfo(o.Name, o.Content.Length)));
    }

    [Fact]
    public async Task Create_makes_a_missing_bucket_and_then_refuses_a_second_repository()
    {
        var location = TestRgw.NewLocation(TestRgw.NewBucketName("create"));
        var store = Track(new S3ObjectStore(TestRgw.Options(location)));
        (await store.ExistsAsync(ObjectName.Config, Ct)).Should().BeFalse();
        (await store.ListAllAsync(ObjectKind.Key, Ct)).Should().BeEmpty("a missing bucket holds nothing");

        await store.CreateAsync(Ct);
        await store.SaveAsync(ObjectName.Config, new byte[] { 1, 2, 3 }, Ct);
        var again = () => store.CreateAsync(Ct);

        await again.Should().ThrowAsync<StorageException>().WithMessage("*already exists*");
    }

    [Fact]
    public async Task Wrong_credentials_are_a_refusal_not_a_missing_object()
    {
        var store = await NewStoreAsync();
        var intruder = Track(new S3ObjectStore(TestRgw.Options(S3Location.Parse(store.Location)) with { Credentials = new S3Credentials("TESTKEY", "wrong") }));

        var stat = () => intruder.StatAsync(ObjectName.Config, Ct);
        var list = () => intruder.ListAllAsync(ObjectKind.Key, Ct);

        (await list.Should().ThrowAsync<StorageRefusedException>()).Which.StatusCode.Should().Be((int)HttpStatusCode.Forbidden);
        (await stat.Should().ThrowAsync<StorageRefusedException>()).Which.StatusCode.Should().Be((int)HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_failure()
    {
        var location = S3Location.Parse("s3:http://127.0.0.1:9/bucket/repo");
        var store = Track(new S3ObjectStore(new S3StoreOptions { Location = location, Credentials = new S3Credentials("k", "s") }));

        var stat = () => store.StatAsync(ObjectName.Config, Ct);

        (await stat.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Connection_resets_are_retried_by_the_retry_wrapper_the_factory_puts_around_the_store()
    {
        await using var proxy = new FlakyTcpProxy(TestRgw.Endpoint, resets: 2);
        var location = TestRgw.NewLocation(TestRgwBucket.Store);
        var retries = new List<RetryAttempt>();
        var options = new ObjectStoreOptions
        {
            Environment = TestRgw.ClientEnvironment.GetValueOrDefault,
            Retry = new RetryOptions { InitialDelay = TimeSpan.FromMilliseconds(10), OnRetry = retries.Add },
        };
        var store = Track(ObjectStoreFactory.Open($"s3:http://127.0.0.1:{proxy.Port}/{location.Bucket}/{location.Prefix}", options));
        var o = TestObject.Random(ObjectKind.Snapshot, 5000);

        await store.CreateAsync(Ct);
        await o.SaveToAsync(store, Ct);

        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        proxy.Resets.Should().Be(2);
        retries.Should().NotBeEmpty().And.OnlyContain(r => r.Error is StorageException && ((StorageException)r.Error).IsTransient);
    }

    private async Task<IObjectStore> NewStoreAsync()
    {
        var store = Track(new S3ObjectStore(TestRgw.Options(TestRgw.NewLocation(TestRgwBucket.Store), PartSize)));
        await store.CreateAsync(Ct);
        return store;
    }

    private T Track<T>(T store) where T : IObjectStore
    {
        _stores.Add(store);
        return store;
    }

    private static async Task AssertNoPendingUploadsAsync(IObjectStore store)
    {
        using var client = RawClient.For(store);
        var uploads = await client.ListMultipartUploadsAsync(
            new ListMultipartUploadsRequest { BucketName = S3Location.Parse(store.Location).Bucket, Prefix = RawClient.PrefixOf(store) }, Ct);
        (uploads.MultipartUploads ?? []).Should().BeEmpty();
    }
}
