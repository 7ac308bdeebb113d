using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// An append-only credential uploads a snapshot file with a correct name and random bytes, newer than the real one.
/// Space cannot tell until the owner's password is at hand; from the first restore order on it is marked unreadable,
/// not shown as latest, and the order restores the newest snapshot that opens. cairn itself skips it too.
/// </summary>
public abstract class GarbageSnapshotTests(CloudFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CloudSpace Space => fixture.Space;

    private static object Restore(Guid backupId, string name, string? password = null, string? snapshotId = null)
        => new { backupId, snapshotId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware, instanceName = name, password };

    [Fact]
    public async Task An_append_only_credentials_garbage_snapshot_is_marked_unreadable_and_the_real_latest_is_restored()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var source = RestoredTree.MakeSource(Space.DataPath);
        var (instance, taskId) = await owner.BackUpAsync(Space, source);
        var real = (await owner.Api.GetFromJsonAsync<BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct))!.Snapshots.Single();
        var admin = await CloudClient.OperatorAsync(Space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 100m }, Ct)).EnsureSuccessStatusCode();

        Space.Clock.Advance(TimeSpan.FromHours(1));
        var appendOnly = await MintAsync(owner, instance, appendOnly: true);
        var repo = Space.CreateClient();
        repo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{appendOnly.Username}:{appendOnly.Secret}")));
        var garbage = Objects.Random(400);
        var garbageId = Objects.NameOf(garbage);
        (await repo.UploadAsync($"/repo/{instance}/documents/snapshots/{garbageId}", garbage)).StatusCode.Should().Be(HttpStatusCode.OK);

        // cairn over Space's REST protocol: latest is the real snapshot, the garbage one a warning.
        var full = await MintAsync(owner, instance, appendOnly: false);
        var target = Path.Combine(Space.DataPath, "cairn-restore");
        var cairn = await new CairnCli($"rest:http://{full.Username}:{full.Secret}@{Space.ListenAddress.Authority}/repo/{instance}/documents/")
            .RunAsync("restore", "latest", "--target", target);
        cairn.ExitCode.Should().Be(0, cairn.Error);
        cairn.Output.Should().Contain($"restoring <Snapshot {real.ShortId}");
        cairn.Error.Should().Contain($"could not load snapshot {garbageId[..8]}");
        RestoredTree.Describe(Trees.Restored(target, source)).Should().Equal(RestoredTree.Describe(source));

        // The order, with the owner's password, finds the garbage file out: the real snapshot is ordered and restored.
        var name = $"g{Guid.NewGuid():N}"[..14];
        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        order.SnapshotId.Should().Be(real.Id);
        var running = await owner.WaitForAsync(order.Id, "Running");
        RestoredTree.Describe(Trees.Restored(running.Disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));

        var details = (await owner.Api.GetFromJsonAsync<BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct))!;
        details.Snapshots.Select(s => (s.Id, s.Unreadable)).Should().BeEquivalentTo([(real.Id, false), (garbageId, true)]);
        details.LatestSnapshotAt.Should().Be(real.Time, "an unreadable snapshot is never the latest");
        var quote = await owner.Api.PostAsJsonAsync("/api/v1/restores/quote", Restore(taskId, name + "x"), Ct);
        (await quote.Content.ReadFromJsonAsync<QuoteResponse>(Ct))!.Snapshot.Id.Should().Be(real.Id);
        var named = await owner.Api.PostAsJsonAsync("/api/v1/restores/quote", Restore(taskId, name + "y", snapshotId: garbageId), Ct);
        named.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await named.Content.ReadAsStringAsync(Ct)).Should().Contain($"snapshot {garbageId[..8]} is unreadable: the backup password does not open it");
    }

    [Fact]
    public async Task An_append_only_credentials_garbage_index_does_not_stop_the_owners_restore()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var source = RestoredTree.MakeSource(Space.DataPath);
        var (instance, taskId) = await owner.BackUpAsync(Space, source, "indexed");
        var admin = await CloudClient.OperatorAsync(Space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 100m }, Ct)).EnsureSuccessStatusCode();
        var appendOnly = await MintAsync(owner, instance, appendOnly: true, task: "indexed");
        var repo = Space.CreateClient();
        repo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{appendOnly.Username}:{appendOnly.Secret}")));
        var garbage = Objects.Random(600);
        (await repo.UploadAsync($"/repo/{instance}/indexed/index/{Objects.NameOf(garbage)}", garbage)).StatusCode.Should().Be(HttpStatusCode.OK);

        var name = $"i{Guid.NewGuid():N}"[..14];
        var placed = await owner.Api.PostAsJsonAsync("/api/v1/restores", Restore(taskId, name, Restic.Password), Ct);
        placed.StatusCode.Should().Be(HttpStatusCode.Created);
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        var running = await owner.WaitForAsync(order.Id, "Running");

        RestoredTree.Describe(Trees.Restored(running.Disk!, source)).Should().Equal(RestoredTree.DescribeAsForeignRestore(source));
        Space.Logs.Entries.Should().Contain(e => e.Contains("index file left out"), "the skipped index file is reported as a warning");
    }

    [Fact]
    public async Task A_snapshot_too_small_to_be_encrypted_is_refused_at_upload()
    {
        var owner = await CloudClient.SignUpAsync(Space);
        var (instance, taskId) = await owner.BackUpAsync(Space, Trees.MakeSource(Space.DataPath, 1000), "tiny");
        var appendOnly = await MintAsync(owner, instance, appendOnly: true, task: "tiny");
        var repo = Space.CreateClient();
        repo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{appendOnly.Username}:{appendOnly.Secret}")));
        var tiny = Objects.Random(40);

        var refused = await repo.UploadAsync($"/repo/{instance}/tiny/snapshots/{Objects.NameOf(tiny)}", tiny);

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync(Ct)).Should().Be("snapshot files have at least 64 bytes; this one has 40\n");
        (await owner.Api.GetFromJsonAsync<BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct))!.Snapshots.Should().ContainSingle();
    }

    private async Task<MintedCredentialResponse> MintAsync(CloudClient owner, string instance, bool appendOnly, string task = "documents")
        => (await (await owner.Api.PostAsJsonAsync($"/api/v1/instances/{instance}/credentials", new { appendOnly, task }, Ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct))!;
}

public sealed class GarbageSnapshotTestsOnSqlite(CloudSqliteSpace fixture) : GarbageSnapshotTests(fixture), IClassFixture<CloudSqliteSpace>;

public sealed class GarbageSnapshotTestsOnPostgres(CloudPostgresSpace fixture) : GarbageSnapshotTests(fixture), IClassFixture<CloudPostgresSpace>;
