using Cairn.Testing.Trees;
using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Storage;
using Cairn.Storage.Testing;

namespace Cairn.Engine.Tests;

/// <summary>
/// The ordering rules under failure: a snapshot is saved only after every pack and index it needs, and damage that
/// storage lets through is caught on restore and named.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private readonly Scratch _scratch = new("cairn-faults-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scratch.Dispose();

    private string Source()
    {
        var source = _scratch.Raw.Join("source"u8);
        SampleSource.Build(source, seed: 4);
        return source.ToString();
    }

    [Theory]
    [InlineData(ObjectKind.Pack)]
    [InlineData(ObjectKind.Index)]
    [InlineData(ObjectKind.Snapshot)]
    public async Task A_backup_whose_save_fails_leaves_no_snapshot_and_no_index_naming_a_missing_pack(ObjectKind failing)
    {
        var memory = new InMemoryObjectStore();
        var store = new FaultInjectingObjectStore(memory);
        await using var engine = await EngineHarness.CreateAsync(store, Ct);
        store.InjectAlways(StoreOperation.Save, StoreFault.Permanent(), failing);

        var backup = () => engine.BackUpAsync(Source(), Ct);

        await backup.Should().ThrowAsync<StorageException>();
        (await memory.ListAllAsync(ObjectKind.Snapshot, Ct)).Should().BeEmpty();
        var packs = (await memory.ListAllAsync(ObjectKind.Pack, Ct)).Select(p => p.Name.Name).ToHashSet();
        foreach (var index in await memory.ListAllAsync(ObjectKind.Index, Ct))
        {
            var file = await engine.Repository.LoadJsonAsync<IndexFile>(index.Name, Ct);
            file.Packs.Select(p => p.Id.ToString()).Should().BeSubsetOf(packs);
        }
    }

    [Fact]
    public async Task A_pack_read_back_damaged_fails_the_restore_with_the_pack_named()
    {
        var store = new FaultInjectingObjectStore(new InMemoryObjectStore());
        await using var engine = await EngineHarness.CreateAsync(store, Ct);
        var (_, snapshot) = await engine.BackUpAsync(Source(), Ct);
        store.InjectAlways(StoreOperation.Read, StoreFault.FlipByte(100), ObjectKind.Pack);

        var restore = () => engine.RestoreAsync(snapshot.Tree, _scratch.Combine("target"), Ct);

        var thrown = await restore.Should().ThrowAsync<CorruptedDataException>();
        thrown.Which.What.Should().StartWith("pack ");
    }
}
