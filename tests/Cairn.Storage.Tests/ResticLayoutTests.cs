using System.Text.Json;
using Cairn.Storage.Testing;
using Cairn.Testing.Trees;

namespace Cairn.Storage.Tests;

/// <summary>The local backend against repositories written and read by the real restic.</summary>
public sealed class ResticLayoutTests : IDisposable
{
    private readonly Scratch _folder = new("cairn-restic-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_store_lists_every_file_restic_wrote_with_its_kind_and_size()
    {
        var repo = await InitAndBackUpAsync();
        var store = new LocalObjectStore(repo);

        var listed = new Dictionary<string, long>();
        foreach (var kind in ObjectKinds.All)
        {
            foreach (var info in await store.ListAllAsync(kind, Ct))
            {
                listed.Add(RelativePath(info.Name), info.Size);
            }
        }

        var onDisk = Directory.EnumerateFiles(repo, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(repo, f).Replace('\\', '/'), f => new FileInfo(f).Length);
        listed.Should().BeEquivalentTo(onDisk);
        listed.Keys.Should().Contain("config").And.Contain(k => k.StartsWith("keys/")).And.Contain(k => k.StartsWith("data/"))
            .And.Contain(k => k.StartsWith("index/")).And.Contain(k => k.StartsWith("snapshots/"));
    }

    [Fact]
    public async Task A_repository_copied_object_by_object_into_a_store_we_created_passes_restic_check()
    {
        var source = new LocalObjectStore(await InitAndBackUpAsync());
        var target = new LocalObjectStore(_folder.Combine("copy"));
        await target.CreateAsync(Ct);

        foreach (var kind in ObjectKinds.All)
        {
            foreach (var info in await source.ListAllAsync(kind, Ct))
            {
                await using var stream = await source.OpenReadAsync(info.Name, Ct);
                await target.SaveAsync(info.Name, ObjectContent.OnePass(stream), Ct);
            }
        }

        await ResticCli.RunAsync(target.Location, Ct, "check", "--read-data");
        (await SnapshotIdsAsync(target.Location)).Should().Equal(await SnapshotIdsAsync(source.Location)).And.HaveCount(1);
    }

    [Fact]
    public async Task A_snapshot_taken_out_and_put_back_through_the_store_is_listed_by_restic_again()
    {
        var repo = await InitAndBackUpAsync();
        var store = new LocalObjectStore(repo);
        var snapshot = (await store.ListAllAsync(ObjectKind.Snapshot, Ct)).Should().ContainSingle().Subject.Name;
        var bytes = await store.ReadAllAsync(snapshot, Ct);

        await store.DeleteAsync(snapshot, Ct);
        (await SnapshotIdsAsync(repo)).Should().BeEmpty();
        await store.SaveAsync(snapshot, bytes, Ct);

        (await SnapshotIdsAsync(repo)).Should().Equal(snapshot.Name);
    }

    private async Task<string> InitAndBackUpAsync()
    {
        var repo = _folder.Combine("repo");
        var source = _folder.Combine("source");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source, "hello.txt"), "hello restic", Ct);
        await File.WriteAllBytesAsync(Path.Combine(source, "sub", "random.bin"), TestObject.Random(ObjectKind.Pack, 300_000).Content, Ct);

        await ResticCli.RunAsync(repo, Ct, "init");
        await ResticCli.RunAsync(repo, Ct, "backup", "--quiet", source);
        return repo;
    }

    private static async Task<List<string>> SnapshotIdsAsync(string repo)
    {
        var json = await ResticCli.RunAsync(repo, Ct, "snapshots", "--json");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
    }

    private static string RelativePath(ObjectName name) => name.Kind switch
    {
        ObjectKind.Config => "config",
        ObjectKind.Pack => $"data/{name.Name[..2]}/{name.Name}",
        _ => $"{name.Kind.FolderName()}/{name.Name}",
    };
}
