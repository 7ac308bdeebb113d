using System.Security.Cryptography;
using Cairn.Repository.Cache;
using Cairn.Repository.Format;
using Cairn.Storage;
using Cairn.Storage.Testing;
using Cairn.Testing;

namespace Cairn.Repository.Tests.Cache;

/// <summary>The cache in front of a repository's store: what it keeps, what it serves, and what it never trusts.</summary>
public sealed class CachingObjectStoreTests : IDisposable
{
    private const string Password = "pw";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-cache-test-" + Guid.NewGuid().ToString("n"));
    private readonly FaultInjectingObjectStore _store = new(new InMemoryObjectStore());
    private Id _tree;
    private Id _data;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private RepositoryOptions Options(long? maxSize = null) =>
        new() { Kdf = KdfParameters.Fast, Cache = new RepositoryCacheOptions(_root) { MaxSize = maxSize } };

    private async Task<string> InitAsync()
    {
        await using var repository = await ResticRepository.InitAsync(new UndisposedStore(_store), Password, new RepositoryOptions { Kdf = KdfParameters.Fast }, Ct);
        var tree = "{\"nodes\":[]}\n"u8.ToArray();
        var data = RandomNumberGenerator.GetBytes(4096);
        _tree = Id.Hash(tree);
        _data = Id.Hash(data);
        await repository.Blobs.SaveAsync(BlobType.Tree, _tree, tree, Ct);
        await repository.Blobs.SaveAsync(BlobType.Data, _data, data, Ct);
        await repository.Blobs.FlushAsync(Ct);
        return Path.Combine(_root, repository.Config.Id);
    }

    private async Task<ResticRepository> OpenAsync(long? maxSize = null)
    {
        var repository = await ResticRepository.OpenAsync(new UndisposedStore(_store), Password, Options(maxSize), Ct);
        await repository.LoadIndexAsync(Ct);
        return repository;
    }

    [Fact]
    public async Task Index_files_and_tree_packs_are_read_from_the_cache_the_second_time_and_data_packs_never()
    {
        var folder = await InitAsync();
        await using (var first = await OpenAsync())
        {
            await first.LoadTreeAsync(_tree, Ct);
        }

        var readsBefore = _store.Calls(StoreOperation.Read);
        await using (var second = await OpenAsync())
        {
            await second.LoadTreeAsync(_tree, Ct);
            _store.Calls(StoreOperation.Read).Should().Be(readsBefore + 2, "the config and the key file are read, no index file and no tree pack");
            await second.LoadBlobAsync(BlobType.Data, _data, Ct);
            _store.Calls(StoreOperation.Read).Should().Be(readsBefore + 3, "a data pack is read from the store");
        }

        Directory.GetFiles(Path.Combine(folder, "index")).Should().ContainSingle();
        Directory.GetFiles(Path.Combine(folder, "data"), "*", SearchOption.AllDirectories).Should().ContainSingle("only the tree pack is cached");
        File.Exists(Path.Combine(_root, CacheFolders.TagFileName)).Should().BeTrue();
    }

    [Fact]
    public async Task A_damaged_entry_is_never_used_but_fetched_again_and_replaced()
    {
        var folder = await InitAsync();
        await using (var first = await OpenAsync())
        {
            await first.LoadTreeAsync(_tree, Ct);
        }

        var cached = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
        foreach (var file in cached)
        {
            var bytes = File.ReadAllBytes(file);
            bytes[^1] ^= 1;
            File.WriteAllBytes(file, bytes);
        }

        var readsBefore = _store.Calls(StoreOperation.Read);
        await using (var second = await OpenAsync())
        {
            (await second.LoadTreeAsync(_tree, Ct)).Should().BeEmpty();
        }

        _store.Calls(StoreOperation.Read).Should().BeGreaterThan(readsBefore + 2);
        foreach (var file in cached)
        {
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))).Should().Be(Path.GetFileName(file));
        }
    }

    [Fact]
    public async Task An_entry_the_repository_no_longer_lists_leaves_the_cache_at_the_next_listing()
    {
        var folder = await InitAsync();
        await using (await OpenAsync())
        {
        }

        var index = Directory.GetFiles(Path.Combine(folder, "index")).Should().ContainSingle().Subject;
        await _store.Inner.DeleteAsync(new ObjectName(ObjectKind.Index, Path.GetFileName(index)), Ct);

        await using (var reopened = await OpenAsync())
        {
            reopened.Index.Count.Should().Be(0);
        }

        File.Exists(index).Should().BeFalse();
    }

    [Fact]
    public void The_size_bound_evicts_the_least_recently_used_entries_first()
    {
        var clock = new TestClock();
        var cache = new CacheDirectory(_root, maxSize: 250, clock);
        var entries = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(100)).ToList();
        var names = entries.Select(e => new ObjectName(ObjectKind.Index, Convert.ToHexStringLower(SHA256.HashData(e)))).ToList();

        cache.TryStore(names[0], entries[0]).Should().BeTrue();
        clock.Advance(TimeSpan.FromMinutes(1));
        cache.TryStore(names[1], entries[1]).Should().BeTrue();
        clock.Advance(TimeSpan.FromMinutes(1));
        new CacheDirectory(_root, maxSize: 250, clock).VerifiedLength(names[0]).Should().Be(100, "another process uses the older entry");
        clock.Advance(TimeSpan.FromMinutes(1));
        cache.TryStore(names[2], entries[2]).Should().BeTrue();

        File.Exists(Path.Combine(_root, "index", names[0].Name)).Should().BeTrue();
        File.Exists(Path.Combine(_root, "index", names[1].Name)).Should().BeFalse("it was the least recently used");
        File.Exists(Path.Combine(_root, "index", names[2].Name)).Should().BeTrue();
        cache.TryStore(new ObjectName(ObjectKind.Index, Convert.ToHexStringLower(SHA256.HashData(new byte[300]))), new byte[300]).Should().BeFalse("larger than the bound");
        cache.TryStore(names[1], entries[0]).Should().BeFalse("bytes that do not match their name are never kept");
    }

    [Fact]
    public void A_repository_id_that_is_not_a_folder_name_gets_no_cache()
    {
        var store = RepositoryCache.Wrap(_store, "../../etc", new RepositoryCacheOptions(_root), _ => true);

        store.Should().BeSameAs(_store);
        Directory.Exists(_root).Should().BeFalse();
    }

    /// <summary>Lets several repositories open the one store in turn: disposing a repository leaves it open.</summary>
    private sealed class UndisposedStore(IObjectStore inner) : IObjectStore
    {
        public string Location => inner.Location;
        public Task CreateAsync(CancellationToken cancellationToken = default) => inner.CreateAsync(cancellationToken);
        public Task SaveAsync(ObjectName name, ObjectContent content, CancellationToken cancellationToken = default) => inner.SaveAsync(name, content, cancellationToken);
        public Task<ObjectInfo> StatAsync(ObjectName name, CancellationToken cancellationToken = default) => inner.StatAsync(name, cancellationToken);
        public Task ReadAtAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAtAsync(name, offset, buffer, cancellationToken);
        public Task<Stream> OpenReadAsync(ObjectName name, CancellationToken cancellationToken = default) => inner.OpenReadAsync(name, cancellationToken);
        public IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken = default) => inner.ListAsync(kind, cancellationToken);
        public Task DeleteAsync(ObjectName name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
