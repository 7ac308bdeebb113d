using System.Security.Cryptography;
using Cairn.Storage.Testing;

namespace Cairn.Storage.Tests.S3;

// Bodies that declare their length and hash (Space's uploads) go up in one streamed PUT signed with the name as the
// payload's hash, whatever their size: RGW then checks the bytes itself, and write-once holds as for any save.
public sealed partial class S3ObjectStoreTests
{
    [Fact]
    public async Task A_declared_body_larger_than_a_part_goes_up_in_one_PUT_and_reads_back_whole()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Named(ObjectKind.Pack, GeneratedStream.Expected((3L * PartSize) + 12345, seed: 7));

        var body = new DeclaredContentStream(o.Content);
        await store.SaveAsync(o.Name, ObjectContent.OnePass(body), Ct);

        body.HashChecked.Should().BeTrue("the store told the stream that RGW checks the hash, so it need not");
        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        using var client = RawClient.For(store);
        var head = await client.GetObjectMetadataAsync(S3Location.Parse(store.Location).Bucket, KeyOf(store, o.Name), Ct);
        head.ETag.Should().NotContain("-", "a multipart upload's ETag ends in -<parts>; one PUT's is the MD5 of the bytes");
        await AssertNoPendingUploadsAsync(store);
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_the_name_are_refused_by_the_server_and_nothing_is_stored()
    {
        var store = await NewStoreAsync();
        var name = TestObject.Random(ObjectKind.Index, 10).Name;
        var other = RandomNumberGenerator.GetBytes(5000);

        var save = () => store.SaveAsync(name, ObjectContent.OnePass(new DeclaredContentStream(other)), Ct);

        (await save.Should().ThrowAsync<ContentMismatchException>()).Which.IsTransient.Should().BeFalse();
        (await store.ExistsAsync(name, Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task The_same_declared_body_saved_again_succeeds_and_another_length_under_the_name_is_refused()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Snapshot, 3000);
        await store.SaveAsync(o.Name, ObjectContent.OnePass(new DeclaredContentStream(o.Content)), Ct);

        await store.SaveAsync(o.Name, ObjectContent.OnePass(new DeclaredContentStream(o.Content)), Ct);
        var longer = () => store.SaveAsync(o.Name, ObjectContent.OnePass(new NonSeekableStream([.. o.Content, 1])), Ct);

        await longer.Should().ThrowAsync<ObjectExistsException>();
        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
    }

    [Fact]
    public async Task A_declared_body_that_breaks_off_part_way_leaves_no_object()
    {
        var store = await NewStoreAsync();
        var length = 2L * PartSize;
        var o = TestObject.Named(ObjectKind.Pack, GeneratedStream.Expected(length, seed: 3));

        var save = () => store.SaveAsync(o.Name, ObjectContent.OnePass(new DeclaredContentStream(new GeneratedStream(length, seed: 3) { FailAfter = PartSize + 100 }, length)), Ct);

        await save.Should().ThrowAsync<Exception>();
        (await store.ExistsAsync(o.Name, Ct)).Should().BeFalse();
        await AssertNoPendingUploadsAsync(store);
    }

    [Fact]
    public async Task A_body_shorter_than_it_declared_leaves_no_object()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Pack, 100_000);

        var save = () => store.SaveAsync(o.Name, ObjectContent.OnePass(new DeclaredContentStream(new NonSeekableStream(o.Content[..90_000]), o.Content.Length)), Ct);

        await save.Should().ThrowAsync<Exception>();
        (await store.ExistsAsync(o.Name, Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task Wrong_credentials_are_a_refusal_not_a_retry()
    {
        var store = await NewStoreAsync();
        var intruder = Track(new S3ObjectStore(TestRgw.Options(S3Location.Parse(store.Location)) with { Credentials = new S3Credentials("TESTKEY", "wrong") }));
        var o = TestObject.Random(ObjectKind.Pack, 1000);

        var save = () => intruder.SaveAsync(o.Name, ObjectContent.OnePass(new DeclaredContentStream(o.Content)), Ct);

        (await save.Should().ThrowAsync<StorageRefusedException>()).Which.IsTransient.Should().BeFalse();
        (await store.ExistsAsync(o.Name, Ct)).Should().BeFalse();
    }

    private static string KeyOf(IObjectStore store, ObjectName name) => $"{RawClient.PrefixOf(store)}data/{name.Name[..2]}/{name.Name}";
}
