using AwesomeAssertions;
using Xunit;

namespace Cairn.Storage.Testing;

/// <summary>
/// Retries of saves over this backend: a rewindable content whose first attempt breaks part way (the backend really
/// reads the broken stream) is sent again whole by <see cref="RetryingObjectStore"/>; a one-pass content is tried once
/// and its transient failure reaches the caller.
/// </summary>
public abstract partial class ObjectStoreConformanceTests
{
    private const int RetriedSize = 3 << 20;

    public static TheoryData<string> RewindableKinds => ["memory", "seekable", "reopenable"];

    [Theory]
    [MemberData(nameof(RewindableKinds))]
    public async Task A_rewindable_save_that_breaks_part_way_is_retried_from_its_first_byte(string kind)
    {
        var store = await NewStoreAsync();
        var bytes = GeneratedStream.Expected(RetriedSize, seed: 11);
        var o = TestObject.Named(ObjectKind.Pack, bytes);
        var faulty = new FaultInjectingObjectStore(store);
        faulty.Inject(StoreOperation.Save, StoreFault.InterruptSave(afterBytes: 1 << 20));
        var retrying = new RetryingObjectStore(faulty, new RetryOptions { InitialDelay = TimeSpan.FromMilliseconds(50) });
        var content = kind switch
        {
            "memory" => ObjectContent.FromMemory(bytes),
            "seekable" => ObjectContent.FromSeekable(new MemoryStream([.. new byte[5], .. bytes], writable: false) { Position = 5 }),
            _ => ObjectContent.Reopenable(() => new MemoryStream(bytes, writable: false), bytes.Length),
        };

        await retrying.SaveAsync(o.Name, content, Ct);

        faulty.Calls(StoreOperation.Save).Should().BeGreaterThanOrEqualTo(2, "the broken attempt and at least one whole one");
        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(bytes);
        (await ListAsync(store, ObjectKind.Pack)).Should().Equal(new Dictionary<ObjectName, long> { [o.Name] = RetriedSize });
        await AssertNoLeftoversAsync(store);
    }

    [Fact]
    public async Task A_one_pass_save_that_breaks_is_tried_once_and_its_failure_reaches_the_caller()
    {
        var store = await NewStoreAsync();
        var name = TestObject.Random(ObjectKind.Pack, 1).Name;
        var faulty = new FaultInjectingObjectStore(store);
        faulty.Inject(StoreOperation.Save, StoreFault.InterruptSave(afterBytes: 1 << 20));
        var retrying = new RetryingObjectStore(faulty, new RetryOptions { InitialDelay = TimeSpan.FromMilliseconds(50) });

        var save = () => retrying.SaveAsync(name, ObjectContent.OnePass(new GeneratedStream(RetriedSize, seed: 12)), Ct);

        (await save.Should().ThrowAsync<StorageException>()).Which.IsTransient.Should().BeTrue("the caller's own client may try again");
        faulty.Calls(StoreOperation.Save).Should().Be(1);
        await AssertNothingBehindOrSavesAgainAsync(store, name);
    }
}
