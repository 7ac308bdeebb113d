using Cairn.Storage.Testing;
using Cairn.Testing.Trees;
using Cairn.Testing.Servers;

namespace Cairn.Storage.Tests;

/// <summary>What a real REST server refuses: deletes in append-only mode, calls without the right credentials.</summary>
public sealed class RcloneRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_append_only_server_refuses_deletes_but_takes_saves()
    {
        await using var server = await RcloneServer.StartAsync(Ct, "--append-only");
        var store = new RestObjectStore(server.NewRepositoryLocation());
        await store.CreateAsync(Ct);
        var o = TestObject.Random(ObjectKind.Snapshot, 100);
        await o.SaveToAsync(store, Ct);

        var delete = () => store.DeleteAsync(o.Name, Ct);

        (await delete.Should().ThrowAsync<StorageRefusedException>()).Which.StatusCode.Should().Be(403);
        (await store.ReadAllAsync(o.Name, Ct)).Should().Equal(o.Content);
    }

    [Fact]
    public async Task Credentials_in_the_location_are_sent_and_missing_ones_are_refused()
    {
        await using var server = await RcloneServer.StartAsync(Ct, "--user", "alice", "--pass", "s3cr3t");
        var location = server.NewRepositoryLocation("alice:s3cr3t");
        var store = new RestObjectStore(location);
        var anonymous = new RestObjectStore(location.Replace("alice:s3cr3t@", "", StringComparison.Ordinal));
        var wrong = new RestObjectStore(location.Replace("s3cr3t", "guess", StringComparison.Ordinal));

        await store.CreateAsync(Ct);
        await TestObject.Random(ObjectKind.Key, 10).SaveToAsync(store, Ct);

        (await store.ListAllAsync(ObjectKind.Key, Ct)).Should().ContainSingle();
        store.Location.Should().NotContain("s3cr3t");
        (await FluentActions.Awaiting(() => anonymous.ListAllAsync(ObjectKind.Key, Ct)).Should().ThrowAsync<CredentialRefusedException>()).Which.StatusCode.Should().Be(401);
        await FluentActions.Awaiting(() => wrong.StatAsync(ObjectName.Config, Ct)).Should().ThrowAsync<CredentialRefusedException>();
    }

    [Fact]
    public async Task Restic_reads_a_repository_copied_into_the_rest_server_through_the_store()
    {
        using var folder = new Scratch("cairn-restic-rest-");
        var repo = Path.Combine(folder.Path, "repo");
        var source = Path.Combine(folder.Path, "source");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "over REST", Ct);
        await ResticCli.RunAsync(repo, Ct, "init");
        await ResticCli.RunAsync(repo, Ct, "backup", "--quiet", source);
        await using var server = await RcloneServer.StartAsync(Ct);
        var location = server.NewRepositoryLocation();
        var target = new RestObjectStore(location);
        var local = new LocalObjectStore(repo);
        await target.CreateAsync(Ct);

        foreach (var kind in ObjectKinds.All)
        {
            foreach (var info in await local.ListAllAsync(kind, Ct))
            {
                await using var stream = await local.OpenReadAsync(info.Name, Ct);
                await target.SaveAsync(info.Name, ObjectContent.OnePass(stream), Ct);
            }
        }

        await ResticCli.RunAsync(location, Ct, "check", "--read-data");
    }
}
