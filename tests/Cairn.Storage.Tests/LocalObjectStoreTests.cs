using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly Scratch _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Create_makes_restics_folders_including_the_256_data_subfolders()
    {
        var root = _folder.Combine("repo");
        var store = new LocalObjectStore(root);

        await store.CreateAsync(Ct);

        Directory.GetDirectories(root).Select(Path.GetFileName).Should().BeEquivalentTo(["data", "index", "keys", "locks", "snapshots"]);
        var data = Directory.GetDirectories(Path.Combine(root, "data")).Select(Path.GetFileName).ToList();
        data.Should().HaveCount(256).And.Contain(["00", "0a", "a0", "ff"]);
        File.Exists(Path.Combine(root, "config")).Should().BeFalse("the repository layer writes the config");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(root, "data", "7f")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Objects_land_where_restic_keeps_them()
    {
        var root = _folder.Combine("repo");
        var store = new LocalObjectStore(root);
        await store.CreateAsync(Ct);
        var pack = TestObject.Random(ObjectKind.Pack, 10);
        var snapshot = TestObject.Random(ObjectKind.Snapshot, 10);
        var config = TestObject.Named(ObjectKind.Config, [9]);

        await pack.SaveToAsync(store, Ct);
        await snapshot.SaveToAsync(store, Ct);
        await config.SaveToAsync(store, Ct);

        File.ReadAllBytes(Path.Combine(root, "data", pack.Name.Name[..2], pack.Name.Name)).Should().Equal(pack.Content);
        File.ReadAllBytes(Path.Combine(root, "snapshots", snapshot.Name.Name)).Should().Equal(snapshot.Content);
        File.ReadAllBytes(Path.Combine(root, "config")).Should().Equal(config.Content);
        LocalObjectStore.LooksLikeRepository(root).Should().BeTrue();
        LocalObjectStore.LooksLikeRepository(_folder.Path).Should().BeFalse();
    }

    [Fact]
    public async Task Saved_files_are_read_only_and_can_still_be_deleted()
    {
        var store = new LocalObjectStore(_folder.Combine("repo"));
        await store.CreateAsync(Ct);
        var o = TestObject.Random(ObjectKind.Index, 10);

        await o.SaveToAsync(store, Ct);

        var path = Path.Combine(store.Location, "index", o.Name.Name);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead);
        }

        await store.DeleteAsync(o.Name, Ct);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task A_missing_data_subfolder_is_made_again_on_save()
    {
        var store = new LocalObjectStore(_folder.Combine("repo"));
        await store.CreateAsync(Ct);
        var o = TestObject.Random(ObjectKind.Pack, 10);
        Directory.Delete(Path.Combine(store.Location, "data", o.Name.Name[..2]));

        await o.SaveToAsync(store, Ct);

        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
    }

    [Fact]
    public async Task Saving_into_a_folder_that_does_not_exist_says_there_is_no_repository()
    {
        var store = new LocalObjectStore(_folder.Combine("nowhere"));

        var save = () => TestObject.Random(ObjectKind.Key, 10).SaveToAsync(store, Ct);

        await save.Should().ThrowAsync<StoreNotFoundException>();
        Directory.Exists(_folder.Combine("nowhere")).Should().BeFalse();
        (await store.ListAllAsync(ObjectKind.Key, Ct)).Should().BeEmpty();
        (await store.ExistsAsync(ObjectName.Config, Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task A_file_where_a_folder_should_be_is_a_storage_error()
    {
        var root = _folder.Combine("repo");
        var store = new LocalObjectStore(root);
        await store.CreateAsync(Ct);
        Directory.Delete(Path.Combine(root, "keys"));
        await File.WriteAllTextAsync(Path.Combine(root, "keys"), "in the way", Ct);

        var save = () => TestObject.Random(ObjectKind.Key, 10).SaveToAsync(store, Ct);

        var thrown = await save.Should().ThrowAsync<StorageException>();
        thrown.Which.Should().NotBeOfType<ObjectNotFoundException>();
    }
}
