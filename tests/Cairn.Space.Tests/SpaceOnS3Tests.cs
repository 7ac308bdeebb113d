using System.Net;
using Cairn.Space.Data;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests;

/// <summary>
/// Space keeping its repositories in a bucket of the real Ceph RGW: restic through Space, restic straight at the
/// bucket, usage against what RGW lists, and deletion of a task's whole folder.
/// </summary>
public abstract class SpaceOnS3Tests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    [Fact]
    public async Task Restic_backs_up_checks_restores_and_prunes_through_Space_on_S3_and_usage_is_the_bytes_in_the_bucket()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, task: "photos");
        var restic = new Restic($"rest:http://{credential.Username}:{credential.Secret}@{Space.ListenAddress.Authority}/repo/{instance}/photos/");
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 20_000_000); // packs above the 5 MiB part size: multipart uploads through Space
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        File.WriteAllText(Path.Combine(source, "docs", "file0.txt"), "changed");
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");
        var target = Trees.NewTemp(Space.DataPath);
        (await restic.RunAsync("restore", "latest", "--target", target)).EnsureSuccess();
        Trees.Snapshot(Trees.Restored(target, source)).Should().Equal(Trees.Snapshot(source));

        var task = (await owner.BackupsAsync()).Should().ContainSingle().Subject;
        var folder = Space.S3FolderOf(task.Id);
        var inBucket = await TestS3.ObjectsUnderAsync(folder);
        inBucket.Keys.Should().Contain($"{folder}/config").And.Contain(k => k.StartsWith($"{folder}/data/", StringComparison.Ordinal));
        task.StorageBytes.Should().Be(inBucket.Values.Sum()).And.BeGreaterThan(20_000_000);

        // restic past Space, straight at RGW: the task's folder is a restic repository of its own.
        var direct = new Restic(Space.S3ResticLocation(task.Id), TestS3.ResticEnvironment);
        (await direct.RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("2 snapshots");
        (await direct.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");

        (await restic.RunAsync("forget", "--keep-last", "1", "--prune")).EnsureSuccess();
        (await restic.RunAsync("check")).EnsureSuccess();
        var afterPrune = (await TestS3.ObjectsUnderAsync(folder)).Values.Sum();
        (await owner.BackupAsync(task.Id)).StorageBytes.Should().Be(afterPrune).And.BeLessThan(inBucket.Values.Sum());
        (await Space.ReconcileAsync()).Should().Be(0, "the counters already matched the bucket");

        // A count gone wrong (rows and bytes lost, as if the database were restored from an older backup) is rebuilt from the bucket.
        await using (var scope = Space.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SpaceDbContext>();
            await db.StoredObjects.Where(o => o.TaskId == task.Id).ExecuteDeleteAsync(Ct);
            await db.Tasks.Where(t => t.Id == task.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.StorageBytes, 12345), Ct);
        }

        (await Space.ReconcileAsync()).Should().Be(1);
        (await owner.BackupAsync(task.Id)).StorageBytes.Should().Be(afterPrune);
        (await restic.RunAsync("check")).EnsureSuccess();

        // Deleting the task deletes every object under its folder, whatever it is named.
        await TestS3.PutAsync($"{folder}/keys/README", "junk that is no object");
        (await owner.Api.DeleteAsync($"/api/v1/backups/{task.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await TestS3.ObjectsUnderAsync(folder)).Should().BeEmpty();
    }

    [Fact]
    public async Task Objects_land_at_prefix_instance_task_in_restic_layout()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance, task: "layout"));
        (await repo.CreateAsync(instance, "layout")).EnsureSuccessStatusCode();
        var pack = await repo.UploadObjectAsync(instance, "layout", "data", Objects.Random(1000));
        var index = await repo.UploadObjectAsync(instance, "layout", "index", Objects.Random(100));
        (await repo.UploadAsync(Objects.Path(instance, "layout", "config"), Objects.Random(155))).EnsureSuccessStatusCode();

        var task = (await owner.BackupsAsync()).Single();
        var folder = Space.S3FolderOf(task.Id);
        folder.Should().StartWith(Space.S3Prefix + "/");
        (await TestS3.ObjectsUnderAsync(folder)).Should().Equal(new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [$"{folder}/config"] = 155,
            [$"{folder}/data/{pack[..2]}/{pack}"] = 1000,
            [$"{folder}/index/{index}"] = 100,
        });
        task.StorageBytes.Should().Be(1255);
    }

    [Fact]
    public async Task On_S3_the_server_checks_each_upload_against_its_name_an_overwrite_is_409_and_a_retry_is_accepted()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance, task: "checked"));
        (await repo.CreateAsync(instance, "checked")).EnsureSuccessStatusCode();
        var content = Objects.Random(3000);
        var wrongName = Objects.NameOf(Objects.Random(10));

        var wrong = await repo.UploadAsync(Objects.Path(instance, "checked", "data", wrongName), content);
        var pack = await repo.UploadObjectAsync(instance, "checked", "data", content);
        var again = await repo.UploadAsync(Objects.Path(instance, "checked", "data", pack), content);
        var overwrite = await repo.UploadAsync(Objects.Path(instance, "checked", "data", pack), Objects.Random(2000));

        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync(Ct)).Should().Contain("content does not match its name; nothing was stored");
        again.StatusCode.Should().Be(HttpStatusCode.OK, "the same bytes under the same name are a client's retry");
        overwrite.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var task = (await owner.BackupsAsync()).Single();
        (await TestS3.ObjectsUnderAsync(Space.S3FolderOf(task.Id))).Keys.Should().NotContain(k => k.EndsWith(wrongName, StringComparison.Ordinal));
        task.StorageBytes.Should().Be(3000, "the retry is counted once");
    }
}

public sealed class S3SqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: true, onS3: true);

public sealed class S3PostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: true, onS3: true);

public sealed class SpaceOnS3TestsOnSqlite(S3SqliteSpace fixture) : SpaceOnS3Tests(fixture), IClassFixture<S3SqliteSpace>;

public sealed class SpaceOnS3TestsOnPostgres(S3PostgresSpace fixture) : SpaceOnS3Tests(fixture), IClassFixture<S3PostgresSpace>;
