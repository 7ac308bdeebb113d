using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>restic's REST protocol as Space serves it: names, bodies, ranges, listings, access rules, usage.</summary>
public abstract class RepositoryProtocolTests(SpaceFixture fixture)
{
    public const int MaxObjectBytes = 1 << 20;

    public static readonly Dictionary<string, string?> Settings = new() { ["Space:MaxObjectBytes"] = MaxObjectBytes.ToString() };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private async Task<(SpaceClient Owner, string Instance, HttpClient Repo)> NewRepositoryAsync(string task = "main", bool appendOnly = false)
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance, appendOnly, task));
        (await repo.CreateAsync(instance, task)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (owner, instance, repo);
    }

    [Fact]
    public async Task Create_makes_the_task_and_config_round_trips()
    {
        var (owner, instance, repo) = await NewRepositoryAsync("photos");
        var config = Objects.Random(155);

        (await repo.HeadAsync(Objects.Path(instance, "photos", "config"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await repo.UploadAsync(Objects.Path(instance, "photos", "config"), config)).StatusCode.Should().Be(HttpStatusCode.OK);
        var head = await repo.HeadAsync(Objects.Path(instance, "photos", "config"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(155);
        (await repo.GetByteArrayAsync(Objects.Path(instance, "photos", "config"), Ct)).Should().Equal(config);

        // Creating again is fine (restic's protocol), and does not touch the config.
        (await repo.CreateAsync(instance, "photos")).StatusCode.Should().Be(HttpStatusCode.OK);
        var task = (await owner.BackupsAsync()).Should().ContainSingle().Subject;
        task.Name.Should().Be("photos");
        task.Instance.Should().Be(instance);
        task.StorageBytes.Should().Be(155);
        task.CreatedAt.Should().Be(Space.Clock.GetUtcNow());
        task.LatestSnapshotAt.Should().BeNull();
    }

    [Fact]
    public async Task Post_to_a_repository_without_create_true_is_400()
    {
        var (_, instance, repo) = await NewRepositoryAsync();
        (await repo.PostAsync($"/repo/{instance}/main/", null, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await repo.PostAsync($"/repo/{instance}/main/?create=yes", null, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_task_that_was_never_created_is_404_and_is_not_made_by_reads_or_writes()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance));
        var content = Objects.Random(10);

        (await repo.GetAsync(Objects.Path(instance, "ghost", "config"), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await repo.GetAsync(Objects.Path(instance, "ghost", "keys") + "/", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await repo.UploadAsync(Objects.Path(instance, "ghost", "data", Objects.NameOf(content)), content)).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        (await owner.BackupsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Malformed_names_are_400_and_leave_nothing_behind()
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        var content = Objects.Random(32);
        var good = Objects.NameOf(content);
        var before = Space.RepositoryFiles();
        string[] paths =
        [
            $"/repo/{instance}/main/data/{good.ToUpperInvariant()}",
            $"/repo/{instance}/main/data/{good[..63]}",
            $"/repo/{instance}/main/data/{good}0",
            $"/repo/{instance}/main/data/{good[..63]}g",
            $"/repo/{instance}/main/data/..%2F..%2Fconfig",
            $"/repo/{instance}/main/data/config",
            $"/repo/{instance}/main/keys/config",
            $"/repo/{instance}/main/config/{good}",
            $"/repo/{instance}/main/packs/{good}",
            $"/repo/{instance}/main/DATA/{good}",
            $"/repo/{instance}/Main/data/{good}",
            $"/repo/{instance}/..%2F..%2Fetc/data/{good}",
        ];

        foreach (var path in paths)
        {
            (await repo.UploadAsync(path, content)).StatusCode.Should().Be(HttpStatusCode.BadRequest, path);
            (await repo.GetAsync(path, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest, path);
            (await repo.HeadAsync(path)).StatusCode.Should().Be(HttpStatusCode.BadRequest, path);
            (await repo.DeleteAsync(path, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest, path);
        }

        (await repo.GetAsync($"/repo/{instance}/main/snapshotz/", Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // Dot segments are resolved by the server before routing; they never reach a name, and never a file.
        var dots = await repo.UploadAsync($"/repo/{instance}/main/data/%2E%2E", content);
        ((int)dots.StatusCode).Should().BeInRange(400, 499);
        Space.RepositoryFiles().Should().Equal(before);
        (await owner.BackupsAsync()).Should().ContainSingle().Which.StorageBytes.Should().Be(0);
    }

    [Fact]
    public async Task Oversized_uploads_are_413_and_leave_nothing_behind()
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        var before = Space.RepositoryFiles();
        var big = Objects.Random(MaxObjectBytes + 1);
        var path = Objects.Path(instance, "main", "data", Objects.NameOf(big));

        (await repo.UploadAsync(path, big)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        // Without a Content-Length the limit is enforced while streaming.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        (await repo.SendAsync(request, Ct)).StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        (await repo.HeadAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        Space.RepositoryFiles().Should().Equal(before);
        (await owner.BackupsAsync()).Single().StorageBytes.Should().Be(0);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_400_and_leaves_nothing_behind()
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        var before = Space.RepositoryFiles();
        var content = Objects.Random(1000);
        var path = Objects.Path(instance, "main", "data", Objects.NameOf(content));
        var body = new StreamContent(new MemoryStream(content, 0, 600));
        body.Headers.ContentLength = 1000;

        var response = await repo.PostAsync(path, body, Ct);

        ((int)response.StatusCode).Should().BeInRange(400, 499);
        (await repo.HeadAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        Space.RepositoryFiles().Should().Equal(before);
        (await owner.BackupsAsync()).Single().StorageBytes.Should().Be(0);
    }

    [Fact]
    public async Task Ranges_are_served_as_206_and_bad_ranges_are_refused()
    {
        var (_, instance, repo) = await NewRepositoryAsync();
        var content = Objects.Random(1000);
        var path = Objects.Path(instance, "main", "data", await repo.UploadObjectAsync(instance, "main", "data", content));

        async Task Expect(string range, int offset, int length)
        {
            var response = await repo.GetRangeAsync(path, range);
            response.StatusCode.Should().Be(HttpStatusCode.PartialContent, range);
            response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes {offset}-{offset + length - 1}/1000", range);
            (await response.Content.ReadAsByteArrayAsync()).Should().Equal(content.AsSpan(offset, length).ToArray(), range);
        }

        await Expect("bytes=10-19", 10, 10);
        await Expect("bytes=0-0", 0, 1);
        await Expect("bytes=990-", 990, 10);
        await Expect("bytes=-5", 995, 5);
        await Expect("bytes=995-5000", 995, 5);

        foreach (var malformed in new[] { "bytes=abc", "items=0-1", "bytes=5-2", "bytes=0-1,4-5", "bytes=", "0-10" })
        {
            (await repo.GetRangeAsync(path, malformed)).StatusCode.Should().Be(HttpStatusCode.BadRequest, malformed);
        }

        foreach (var outside in new[] { "bytes=1000-", "bytes=1000-1001", "bytes=-0" })
        {
            var response = await repo.GetRangeAsync(path, outside);
            response.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable, outside);
            response.Content.Headers.ContentRange!.ToString().Should().Be("bytes */1000");
        }

        var whole = await repo.GetAsync(path, Ct);
        whole.StatusCode.Should().Be(HttpStatusCode.OK);
        (await whole.Content.ReadAsByteArrayAsync(Ct)).Should().Equal(content);
        var head = await repo.HeadAsync(path);
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(1000);
        (await repo.HeadAsync(Objects.Path(instance, "main", "data", new string('0', 64)))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Listings_speak_v2_when_asked_and_v1_otherwise()
    {
        var (_, instance, repo) = await NewRepositoryAsync();
        var a = Objects.Random(10);
        var b = Objects.Random(20);
        await repo.UploadObjectAsync(instance, "main", "index", a);
        await repo.UploadObjectAsync(instance, "main", "index", b);

        var v2Request = new HttpRequestMessage(HttpMethod.Get, Objects.Path(instance, "main", "index") + "/");
        v2Request.Headers.Accept.ParseAdd("application/vnd.x.restic.rest.v2");
        var v2 = await repo.SendAsync(v2Request, Ct);
        v2.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.x.restic.rest.v2");
        var entries = JsonSerializer.Deserialize<JsonElement[]>(await v2.Content.ReadAsStringAsync(Ct))!;
        entries.Select(e => (e.GetProperty("name").GetString(), e.GetProperty("size").GetInt64()))
            .Should().BeEquivalentTo([(Objects.NameOf(a), 10L), (Objects.NameOf(b), 20L)]);

        var v1 = await repo.GetAsync(Objects.Path(instance, "main", "index") + "/", Ct);
        v1.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.x.restic.rest.v1");
        (await v1.Content.ReadFromJsonAsync<string[]>(Ct)).Should().BeEquivalentTo([Objects.NameOf(a), Objects.NameOf(b)]);

        var empty = await repo.GetAsync(Objects.Path(instance, "main", "snapshots") + "/", Ct);
        (await empty.Content.ReadFromJsonAsync<string[]>(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Writes_and_deletes_keep_bytes_and_snapshot_records_exact()
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        var pack = Objects.Random(5000);
        var snapshot = Objects.Random(300);
        await repo.UploadObjectAsync(instance, "main", "data", pack);
        var writtenAt = Space.Clock.GetUtcNow().AddMinutes(5);
        Space.Clock.Set(writtenAt);
        var snapshotId = await repo.UploadObjectAsync(instance, "main", "snapshots", snapshot);

        var task = (await owner.BackupsAsync()).Single();
        task.StorageBytes.Should().Be(5300);
        task.LatestSnapshotAt.Should().Be(writtenAt);
        var details = await owner.BackupAsync(task.Id);
        details.Snapshots.Should().ContainSingle().Which.Id.Should().Be(snapshotId);
        details.Snapshots[0].Time.Should().Be(writtenAt);
        details.Usage.Select(u => u.Bytes).Should().Equal(0, 5300);

        (await repo.PutAsJsonAsync($"/repo/{instance}/main/snapshots/{snapshotId}/stats", new { fileCount = 42, totalBytes = 123456 }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await owner.BackupAsync(task.Id)).Snapshots[0].FileCount.Should().Be(42);

        (await repo.DeleteAsync(Objects.Path(instance, "main", "snapshots", snapshotId), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.DeleteAsync(Objects.Path(instance, "main", "snapshots", snapshotId), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var after = await owner.BackupAsync(task.Id);
        after.StorageBytes.Should().Be(5000);
        after.Snapshots.Should().BeEmpty();
        after.LatestSnapshotAt.Should().BeNull();
        (await Space.ReconcileAsync()).Should().Be(0, "the counters were exact");
    }

    [Fact]
    public async Task Append_only_credentials_add_and_unlock_but_never_delete_or_overwrite()
    {
        var (owner, instance, repo) = await NewRepositoryAsync(appendOnly: true);
        var pack = Objects.Random(100);
        var lockFile = Objects.Random(50);
        var packName = await repo.UploadObjectAsync(instance, "main", "data", pack);
        var lockName = await repo.UploadObjectAsync(instance, "main", "locks", lockFile);

        (await repo.DeleteAsync(Objects.Path(instance, "main", "locks", lockName), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.DeleteAsync(Objects.Path(instance, "main", "data", packName), Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await repo.DeleteAsync($"/repo/{instance}/main/", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await repo.UploadAsync(Objects.Path(instance, "main", "data", packName), Objects.Random(99))).StatusCode
            .Should().Be(HttpStatusCode.Conflict);
        (await repo.UploadAsync(Objects.Path(instance, "main", "data", packName), pack)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await repo.GetByteArrayAsync(Objects.Path(instance, "main", "data", packName), Ct)).Should().Equal(pack);
        (await owner.BackupsAsync()).Single().StorageBytes.Should().Be(100);
    }

    [Fact]
    public async Task A_backup_url_reads_its_task_only_and_writes_nothing()
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        (await repo.CreateAsync(instance, "other")).EnsureSuccessStatusCode();
        var pack = Objects.Random(64);
        var name = await repo.UploadObjectAsync(instance, "main", "data", pack);
        var task = (await owner.BackupsAsync()).Single(t => t.Name == "main");

        var minted = await (await owner.Api.PostAsync($"/api/v1/backups/{task.Id}/backup-url", null, Ct)).Content.ReadFromJsonAsync<Backups.BackupUrlResponse>(Ct);
        var (username, secret, path) = Objects.ParseRestUrl(minted!.Url);
        path.Should().Be($"/repo/{instance}/main/");
        var readOnly = SpaceClient.Repository(Space, username, secret);
        var before = Space.RepositoryFiles();

        (await readOnly.GetByteArrayAsync(Objects.Path(instance, "main", "data", name), Ct)).Should().Equal(pack);
        (await readOnly.UploadAsync(Objects.Path(instance, "main", "data", Objects.NameOf(Objects.Random(1))), Objects.Random(1)))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await readOnly.DeleteAsync(Objects.Path(instance, "main", "data", name), Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await readOnly.GetAsync(Objects.Path(instance, "other", "data") + "/", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await readOnly.CreateAsync(instance, "third")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        Space.RepositoryFiles().Should().Equal(before);

        // restic locks a repository even to restore from it, so a Backup URL may add and remove lock files.
        var lockName = await readOnly.UploadObjectAsync(instance, "main", "locks", Objects.Random(30));
        (await readOnly.DeleteAsync(Objects.Path(instance, "main", "locks", lockName), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Missing_wrong_or_revoked_credentials_are_401()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance);
        var repo = owner.Repository(credential);
        (await repo.CreateAsync(instance, "main")).EnsureSuccessStatusCode();
        var path = Objects.Path(instance, "main", "keys") + "/";

        var anonymous = Space.CreateClient();
        var refused = await anonymous.GetAsync(path, Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Basic");
        (await SpaceClient.Repository(Space, credential.Username, credential.Secret + "x").GetAsync(path, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);

        (await owner.Api.DeleteAsync($"/api/v1/instances/{instance}/credentials/{credential.Username}", Ct)).StatusCode
            .Should().Be(HttpStatusCode.NoContent);
        (await repo.GetAsync(path, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

public sealed class RepositoryProtocolSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, RepositoryProtocolTests.Settings);

public sealed class RepositoryProtocolPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false, RepositoryProtocolTests.Settings);

public sealed class RepositoryProtocolTestsOnSqlite(RepositoryProtocolSqliteSpace fixture)
    : RepositoryProtocolTests(fixture), IClassFixture<RepositoryProtocolSqliteSpace>;

public sealed class RepositoryProtocolTestsOnPostgres(RepositoryProtocolPostgresSpace fixture)
    : RepositoryProtocolTests(fixture), IClassFixture<RepositoryProtocolPostgresSpace>;
