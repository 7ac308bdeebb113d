using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests;

/// <summary>A local repository adopting staged files (IStagingObjectStore): what a backup's packs go through.</summary>
public sealed class LocalStagingTests : IDisposable
{
    private readonly Scratch _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_committed_file_becomes_the_object_read_only_and_no_temporary_file_is_left()
    {
        var (store, root) = await CreateAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 100_000);

        var staged = store.CreateStagingFile(ObjectKind.Pack);
        staged.Write(pack.Content);
        await store.CommitStagedAsync(pack.Name, staged, Ct);

        var path = Path.Combine(root, "data", pack.Name.Name[..2], pack.Name.Name);
        File.ReadAllBytes(path).Should().Equal(pack.Content);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead);
        }

        (await store.StatAsync(pack.Name, Ct)).Size.Should().Be(pack.Content.Length);
        TemporaryFiles(root).Should().BeEmpty();
    }

    [Fact]
    public async Task Committing_an_object_that_exists_keeps_it_when_the_length_agrees_and_refuses_otherwise()
    {
        var (store, root) = await CreateAsync();
        var pack = TestObject.Random(ObjectKind.Pack, 1000);
        await pack.SaveToAsync(store, Ct);

        var same = store.CreateStagingFile(ObjectKind.Pack);
        same.Write(pack.Content);
        await store.CommitStagedAsync(pack.Name, same, Ct);

        var longer = store.CreateStagingFile(ObjectKind.Pack);
        longer.Write([.. pack.Content, 1]);
        var act = () => store.CommitStagedAsync(pack.Name, longer, Ct);

        await act.Should().ThrowAsync<ObjectExistsException>();
        File.ReadAllBytes(Path.Combine(root, "data", pack.Name.Name[..2], pack.Name.Name)).Should().Equal(pack.Content);
        TemporaryFiles(root).Should().BeEmpty("a staged file is gone after a commit, whatever its outcome");
    }

    [Fact]
    public async Task A_discarded_file_leaves_nothing_and_is_never_listed()
    {
        var (store, root) = await CreateAsync();
        var staged = store.CreateStagingFile(ObjectKind.Pack);
        staged.Write(new byte[10]);

        (await store.ListAllAsync(ObjectKind.Pack, Ct)).Should().BeEmpty("a staged file is not an object");
        store.DiscardStaged(staged);

        TemporaryFiles(root).Should().BeEmpty();
    }

    private async Task<(LocalObjectStore Store, string Root)> CreateAsync()
    {
        var root = _folder.Combine("repo");
        var store = new LocalObjectStore(root);
        await store.CreateAsync(Ct);
        return (store, root);
    }

    private static string[] TemporaryFiles(string root) =>
        Directory.GetFiles(root, LocalLayout.TempPrefix + "*", SearchOption.AllDirectories);
}
