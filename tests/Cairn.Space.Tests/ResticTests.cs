using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>
/// The real restic 0.14 against Space on a real Kestrel listener: what the product promises restic users.
/// The test price sheet prices megabytes high and the free allowance is 1 MB, so the spending cap shows on small data.
/// </summary>
public abstract class ResticTests(SpaceFixture fixture)
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Space:FreeBytesPerInstance"] = "1000000",
        ["Space:PriceSheetPath"] = Path.Combine(AppContext.BaseDirectory, "test-pricesheet.json"),
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private async Task<(SpaceClient Owner, string Instance, Restic Restic, string Path)> NewTaskAsync(string task, bool appendOnly = false)
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, appendOnly, task);
        var address = Space.ListenAddress;
        var url = $"rest:http://{credential.Username}:{credential.Secret}@{address.Authority}/repo/{instance}/{task}/";
        return (owner, instance, new Restic(url), $"/repo/{instance}/{task}/");
    }

    [Fact]
    public async Task Restic_inits_backs_up_checks_restores_and_prunes_and_the_api_reports_times_and_exact_bytes()
    {
        var (owner, _, restic, _) = await NewTaskAsync("documents");
        var created = SpaceFactory.Start.AddDays(1);
        Space.Clock.Set(created);
        (await restic.RunAsync("init")).EnsureSuccess();

        var source = Trees.MakeSource(Space.DataPath, 3_000_000);
        Space.Clock.Set(created.AddHours(2));
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        File.WriteAllText(Path.Combine(source, "docs", "file0.txt"), "changed");
        var latest = created.AddHours(5);
        Space.Clock.Set(latest);
        (await restic.RunAsync("backup", source)).EnsureSuccess();

        (await restic.RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("2 snapshots");
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");
        var target = Trees.NewTemp(Space.DataPath);
        (await restic.RunAsync("restore", "latest", "--target", target)).EnsureSuccess();
        Trees.Snapshot(Trees.Restored(target, source)).Should().Equal(Trees.Snapshot(source));

        (await restic.RunAsync("forget", "--keep-last", "1", "--prune")).EnsureSuccess();
        (await restic.RunAsync("snapshots")).EnsureSuccess().Output.Should().Contain("1 snapshots");
        (await restic.RunAsync("check")).EnsureSuccess();

        var task = (await owner.BackupsAsync()).Should().ContainSingle().Subject;
        task.Name.Should().Be("documents");
        task.CreatedAt.Should().Be(created);
        task.LatestSnapshotAt.Should().Be(latest);
        var inStore = Space.RepositoryFiles(task.Id).Values.Sum();
        inStore.Should().BeGreaterThan(3_000_000);
        task.StorageBytes.Should().Be(inStore);

        var details = await owner.BackupAsync(task.Id);
        details.Snapshots.Should().ContainSingle().Which.Time.Should().Be(latest);
        details.Usage.Should().HaveCountGreaterThanOrEqualTo(3).And.BeInAscendingOrder(u => u.At);
        details.Usage[0].Should().Be(new Backups.UsagePoint(created, 0));
        (await Space.ReconcileAsync()).Should().Be(0, "the counters already matched the store");

        // The task's Backup URL restores it elsewhere, and changes nothing but its own lock.
        var before = Space.RepositoryFiles(task.Id);
        var backupUrl = await (await owner.Api.PostAsync($"/api/v1/backups/{task.Id}/backup-url", null, Ct))
            .Content.ReadFromJsonAsync<Backups.BackupUrlResponse>(Ct);
        var elsewhere = Trees.NewTemp(Space.DataPath);
        var readOnly = new Restic(backupUrl!.Url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        (await readOnly.RunAsync("restore", "latest", "--target", elsewhere)).EnsureSuccess();
        Trees.Snapshot(Trees.Restored(elsewhere, source)).Should().Equal(Trees.Snapshot(source));
        Space.RepositoryFiles(task.Id).Should().Equal(before);
    }

    [Fact]
    public async Task Append_only_credentials_back_up_but_cannot_delete()
    {
        var (owner, instance, restic, path) = await NewTaskAsync("appendonly", appendOnly: true);
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 200_000);
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        var taskId = (await owner.BackupsAsync()).Single().Id;
        var before = Space.RepositoryFiles(taskId);

        var forget = await restic.RunAsync("forget", "--keep-last", "1", "--prune");
        forget.ExitCode.Should().NotBe(0);
        Space.RepositoryFiles(taskId).Keys.Where(k => !k.Contains("/locks/", StringComparison.Ordinal))
            .Should().Equal(before.Keys.Where(k => !k.Contains("/locks/", StringComparison.Ordinal)));

        var credential = await owner.MintAsync(instance, appendOnly: true, "appendonly");
        var repo = SpaceClient.Repository(Space, credential.Username, credential.Secret);
        var snapshots = await repo.GetFromJsonAsync<string[]>(path + "snapshots/", Ct);
        snapshots.Should().HaveCount(2);
        (await repo.DeleteAsync(path + "snapshots/" + snapshots![0], Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await repo.GetFromJsonAsync<string[]>(path + "snapshots/", Ct)).Should().HaveCount(2);
        (await restic.RunAsync("check")).EnsureSuccess();
    }

    [Fact]
    public async Task Above_the_spending_cap_uploads_are_refused_with_a_message_restic_shows_and_restores_still_work()
    {
        var (owner, _, restic, _) = await NewTaskAsync("capped");
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 2_000_000);
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        var taskId = (await owner.BackupsAsync()).Single().Id;
        var stored = Space.RepositoryFiles(taskId);

        (await owner.Api.PutAsJsonAsync("/api/v1/account/spending-cap", new { amount = 1.00m }, Ct)).EnsureSuccessStatusCode();
        var more = Trees.MakeSource(Space.DataPath, 500_000);
        var shown = await restic.RunUntilErrorShowsAsync("Spending cap reached", "backup", more);
        shown.Should().Contain("507 Spending cap reached").And.Contain("existing backups can still be restored");

        // restic was stopped mid-backup: its lock stays until unlock removes it (lock files are never refused).
        var target = Trees.NewTemp(Space.DataPath);
        (await restic.RunAsync("restore", "latest", "--target", target)).EnsureSuccess();
        Trees.Snapshot(Trees.Restored(target, source)).Should().Equal(Trees.Snapshot(source));
        (await restic.RunAsync("unlock")).EnsureSuccess();
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess();
        Space.RepositoryFiles(taskId).Keys.Where(k => !k.Contains("/locks/", StringComparison.Ordinal))
            .Should().Equal(stored.Keys, "nothing was added above the cap, and nothing was deleted");

        // Lifting the cap lets backups go on.
        (await owner.Api.PutAsJsonAsync("/api/v1/account/spending-cap", new { amount = (decimal?)null }, Ct)).EnsureSuccessStatusCode();
        (await restic.RunAsync("backup", more)).EnsureSuccess();
    }

    [Fact]
    public async Task A_connection_that_breaks_off_mid_upload_leaves_no_object_and_no_partial_file()
    {
        var (owner, instance, restic, path) = await NewTaskAsync("broken");
        (await restic.RunAsync("init")).EnsureSuccess();
        var taskId = (await owner.BackupsAsync()).Single().Id;
        var before = Space.RepositoryFiles(taskId);
        var credential = await owner.MintAsync(instance, task: "broken");
        var content = Objects.Random(200_000);
        var name = Objects.NameOf(content);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}"));

        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(Space.ListenAddress.Host, Space.ListenAddress.Port, Ct);
            var stream = socket.GetStream();
            var head = $"POST {path}data/{name} HTTP/1.1\r\nHost: {Space.ListenAddress.Authority}\r\nAuthorization: Basic {auth}\r\n" +
                       $"Content-Type: application/octet-stream\r\nContent-Length: {content.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
            await stream.WriteAsync(content.AsMemory(0, 120_000), Ct);
            await stream.FlushAsync(Ct);
            await Task.Delay(200, Ct);
        }

        var repo = SpaceClient.Repository(Space, credential.Username, credential.Secret);
        for (var i = 0; i < 50 && !Space.RepositoryFiles(taskId).Keys.SequenceEqual(before.Keys); i++)
        {
            await Task.Delay(100, Ct);
        }

        (await repo.HeadAsync($"{path}data/{name}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        Space.RepositoryFiles(taskId).Should().Equal(before);
        (await owner.BackupsAsync()).Single().StorageBytes.Should().Be(before.Values.Sum());
    }
}

public sealed class ResticSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: true, ResticTests.Settings);

public sealed class ResticPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: true, ResticTests.Settings);

public sealed class ResticTestsOnSqlite(ResticSqliteSpace fixture) : ResticTests(fixture), IClassFixture<ResticSqliteSpace>;

public sealed class ResticTestsOnPostgres(ResticPostgresSpace fixture) : ResticTests(fixture), IClassFixture<ResticPostgresSpace>;
