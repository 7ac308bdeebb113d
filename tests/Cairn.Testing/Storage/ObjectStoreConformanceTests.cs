using AwesomeAssertions;
using Xunit;

namespace Cairn.Storage.Testing;

/// <summary>
/// The guarantees of <see cref="IObjectStore"/>, checked the same way for every backend: a backend's test class
/// inherits this and says how to make a fresh, empty store. Facts are split by concern over partial files.
/// </summary>
public abstract partial class ObjectStoreConformanceTests : IAsyncLifetime
{
    private readonly List<IObjectStore> _stores = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store at a fresh location on which <see cref="IObjectStore.CreateAsync"/> has not been called.</summary>
    protected abstract Task<IObjectStore> CreateEmptyStoreAsync();

    /// <summary>Checks the backend kept no partial or temporary file after a failed save (e.g. on disk).</summary>
    protected virtual Task AssertNoLeftoversAsync(IObjectStore store) => Task.CompletedTask;

    /// <summary>Puts files that are not objects where the backend lists from (nothing for backends that cannot hold any).</summary>
    protected virtual Task PlantJunkAsync(IObjectStore store) => Task.CompletedTask;

    /// <summary>
    /// Why a backend cannot pass the check that saves of one object racing each other all succeed, or null.
    /// Only for servers that show an upload in progress under its final name (they are not atomic to readers).
    /// </summary>
    protected virtual string? ConcurrentSameObjectSavesUnsupported => null;

    /// <summary>
    /// Why a failed upload may leave a partial object behind on this backend's server, or null. Then the
    /// failed-save checks assert the weaker promise the layers above rely on: saving the object again works.
    /// </summary>
    protected virtual string? AbandonedUploadsMayLinger => null;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh store with its structure created, disposed after the test.</summary>
    protected async Task<IObjectStore> NewStoreAsync()
    {
        var store = await CreateEmptyStoreAsync();
        _stores.Add(store);
        await store.CreateAsync(Ct);
        return store;
    }

    protected static async Task<Dictionary<ObjectName, long>> ListAsync(IObjectStore store, ObjectKind kind)
    {
        var list = await store.ListAllAsync(kind, Ct);
        list.Select(i => i.Name).Should().OnlyHaveUniqueItems("a listing names each object once");
        return list.ToDictionary(i => i.Name, i => i.Size);
    }

    protected static async Task AssertEmptyAsync(IObjectStore store)
    {
        foreach (var kind in ObjectKinds.All)
        {
            (await ListAsync(store, kind)).Should().BeEmpty($"nothing of kind {kind} was saved");
        }
    }

    [Fact]
    public async Task A_new_store_lists_nothing_of_any_kind()
    {
        var store = await NewStoreAsync();
        await AssertEmptyAsync(store);
        store.Location.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Create_fails_when_a_config_exists()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(ObjectName.Config, "config bytes"u8.ToArray(), Ct);

        var create = () => store.CreateAsync(Ct);

        await create.Should().ThrowAsync<StorageException>();
        (await store.ReadAllAsync(ObjectName.Config, Ct)).Should().Equal("config bytes"u8.ToArray());
    }

    [Fact]
    public async Task Config_is_saved_read_listed_and_deleted_under_its_own_name()
    {
        var store = await NewStoreAsync();
        var config = TestObject.Named(ObjectKind.Config, [1, 2, 3, 4, 5]);

        await config.SaveToAsync(store, Ct);

        (await store.StatAsync(ObjectName.Config, Ct)).Should().Be(new ObjectInfo(ObjectName.Config, 5));
        (await store.ReadAllAsync(ObjectName.Config, Ct)).Should().Equal(config.Content);
        (await ListAsync(store, ObjectKind.Config)).Should().Equal(new Dictionary<ObjectName, long> { [ObjectName.Config] = 5 });
        (await ListAsync(store, ObjectKind.Key)).Should().BeEmpty();
        await store.DeleteAsync(ObjectName.Config, Ct);
        (await store.ExistsAsync(ObjectName.Config, Ct)).Should().BeFalse();
    }

    [Theory]
    [InlineData(ObjectKind.Key)]
    [InlineData(ObjectKind.Lock)]
    [InlineData(ObjectKind.Snapshot)]
    [InlineData(ObjectKind.Index)]
    [InlineData(ObjectKind.Pack)]
    public async Task Objects_of_each_kind_are_saved_stat_read_listed_and_deleted(ObjectKind kind)
    {
        var store = await NewStoreAsync();
        var objects = Enumerable.Range(0, 5).Select(i => TestObject.Random(kind, 100 + (i * 37))).ToList();

        foreach (var o in objects)
        {
            await o.SaveToAsync(store, Ct);
            (await store.StatAsync(o.Name, Ct)).Should().Be(new ObjectInfo(o.Name, o.Content.Length), "a save is visible once it returns");
        }

        (await ListAsync(store, kind)).Should().BeEquivalentTo(objects.ToDictionary(o => o.Name, o => (long)o.Content.Length));
        foreach (var other in ObjectKinds.All.Where(k => k != kind))
        {
            (await ListAsync(store, other)).Should().BeEmpty($"only {kind} objects were saved");
        }

        foreach (var o in objects)
        {
            (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
        }

        await store.DeleteAsync(objects[0].Name, Ct);
        (await store.ExistsAsync(objects[0].Name, Ct)).Should().BeFalse();
        (await ListAsync(store, kind)).Keys.Should().BeEquivalentTo(objects.Skip(1).Select(o => o.Name));
    }

    [Fact]
    public async Task An_empty_object_round_trips()
    {
        var store = await NewStoreAsync();
        var empty = TestObject.Named(ObjectKind.Lock, []);

        await empty.SaveToAsync(store, Ct);

        (await store.StatAsync(empty.Name, Ct)).Size.Should().Be(0);
        (await store.ReadAllAsync(empty.Name, Ct)).Should().BeEmpty();
        (await ListAsync(store, ObjectKind.Lock)).Should().ContainKey(empty.Name).WhoseValue.Should().Be(0);
    }

    [Fact]
    public async Task Missing_objects_are_not_found_on_stat_read_open_and_delete()
    {
        var store = await NewStoreAsync();
        var missing = TestObject.Random(ObjectKind.Pack, 10).Name;

        await FluentActions.Awaiting(() => store.StatAsync(missing, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
        await FluentActions.Awaiting(() => store.ReadAtAsync(missing, 0, new byte[1], Ct)).Should().ThrowAsync<ObjectNotFoundException>();
        await FluentActions.Awaiting(() => store.OpenReadAsync(missing, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
        await FluentActions.Awaiting(() => store.DeleteAsync(missing, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
        await FluentActions.Awaiting(() => store.StatAsync(ObjectName.Config, Ct)).Should().ThrowAsync<ObjectNotFoundException>();
    }

    [Fact]
    public async Task Deleting_twice_is_not_found_the_second_time()
    {
        var store = await NewStoreAsync();
        var o = TestObject.Random(ObjectKind.Snapshot, 64);
        await o.SaveToAsync(store, Ct);

        await store.DeleteAsync(o.Name, Ct);
        var again = () => store.DeleteAsync(o.Name, Ct);

        (await again.Should().ThrowAsync<ObjectNotFoundException>()).Which.ObjectName.Should().Be(o.Name);
        (await ListAsync(store, ObjectKind.Snapshot)).Should().BeEmpty();
    }
}
