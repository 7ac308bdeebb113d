using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests;

/// <summary>
/// A local store that keeps the packs it reads open (the CLI's and the agent's): files it holds are seen in this
/// process's open file descriptors, bounded, closed on delete and on disposal; reads stay exact under concurrency.
/// </summary>
public sealed class LocalOpenPacksTests : IDisposable
{
    private readonly Scratch _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_pack_read_twice_stays_open_until_the_store_is_disposed()
    {
        var store = await CreateAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 4096);
        await pack.SaveToAsync(store, Ct);

        await ReadAndCheckAsync(store, pack, 100, 50);
        await ReadAndCheckAsync(store, pack, 0, 4096);
        OpenFilesUnder(store.Location).Should().ContainSingle().Which.Should().EndWith(pack.Name.Name);

        await store.DisposeAsync();
        OpenFilesUnder(store.Location).Should().BeEmpty();
    }

    [Fact]
    public async Task A_pack_deleted_through_the_store_is_closed_and_reads_find_it_gone()
    {
        await using var store = await CreateAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 1024);
        await pack.SaveToAsync(store, Ct);
        await ReadAndCheckAsync(store, pack, 10, 10);

        await store.DeleteAsync(pack.Name, Ct);

        OpenFilesUnder(store.Location).Should().BeEmpty("the deleted pack's handle is closed");
        var read = () => store.ReadAtAsync(pack.Name, 0, new byte[10], Ct);
        await read.Should().ThrowAsync<ObjectNotFoundException>();
    }

    [Fact]
    public async Task No_more_packs_than_the_limit_stay_open_and_other_kinds_never_do()
    {
        await using var store = await CreateAsync();
        var packs = Enumerable.Range(0, LocalObjectStore.OpenPackLimit + 8).Select(_ => TestObject.Random(ObjectKind.Pack, 256)).ToList();
        var index = TestObject.Random(ObjectKind.Index, 256);
        await index.SaveToAsync(store, Ct);
        foreach (var pack in packs)
        {
            await pack.SaveToAsync(store, Ct);
            await ReadAndCheckAsync(store, pack, 0, 256);
        }

        await ReadAndCheckAsync(store, index, 0, 256);

        var open = OpenFilesUnder(store.Location);
        open.Should().HaveCount(LocalObjectStore.OpenPackLimit);
        open.Should().OnlyContain(path => path.Contains("/data/", StringComparison.Ordinal));
        var newest = packs[^1].Name.Name;
        open.Should().Contain(path => path.EndsWith(newest, StringComparison.Ordinal), "the most recent stay open");
    }

    [Fact]
    public async Task Concurrent_reads_of_one_pack_all_get_their_own_bytes()
    {
        await using var store = await CreateAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 1 << 20);
        await pack.SaveToAsync(store, Ct);

        await Parallel.ForAsync(0, 2000, Ct, async (i, ct) =>
        {
            var offset = i * 517 % ((1 << 20) - 600);
            await ReadAndCheckAsync(store, pack, offset, 1 + i % 599);
        });
        OpenFilesUnder(store.Location).Count.Should().BeInRange(1, LocalObjectStore.OpenPackLimit);
    }

    private async Task<IObjectStore> CreateAsync()
    {
        var store = new LocalObjectStore(_folder.Combine(Guid.NewGuid().ToString("n")), keepPacksOpen: true);
        await store.CreateAsync(Ct);
        return store;
    }

    private static async Task ReadAndCheckAsync(IObjectStore store, TestObject item, int offset, int length)
    {
        var buffer = new byte[length];
        await store.ReadAtAsync(item.Name, offset, buffer, Ct);
        buffer.AsSpan().SequenceEqual(item.Content.AsSpan(offset, length)).Should().BeTrue($"bytes {offset}+{length} of {item.Name}");
    }

    /// <summary>What this process's file descriptors point at below <paramref name="root"/>.</summary>
    private static List<string> OpenFilesUnder(string root)
    {
        var open = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(root + "/", StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // Closed while it was listed.
            }
        }

        return open;
    }
}
