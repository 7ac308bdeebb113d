using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>
/// Every byte a tenant stores counts against a limit, uploads are checked against their names, and what a read-only
/// or append-only credential can do to the owner's repository is bounded; each refusal with its status and message.
/// </summary>
public abstract class RepositoryLimitsTests(SpaceFixture fixture)
{
    public const int MaxObjectBytes = 2 << 20;
    public const int MaxSnapshotBytes = 200_000;
    public const int MaxLocks = 5;
    private const string OperatorEmail = "operator@limits.example";
    private const string OperatorPassword = "operator password";

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Space:MaxObjectBytes"] = MaxObjectBytes.ToString(),
        ["Space:Limits:MaxSnapshotBytes"] = MaxSnapshotBytes.ToString(),
        ["Space:Limits:MaxLocksPerRepository"] = MaxLocks.ToString(),
        ["CAIRN_SPACE_ADMIN_EMAIL"] = OperatorEmail,
        ["CAIRN_SPACE_ADMIN_PASSWORD"] = OperatorPassword,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private sealed record Repo(SpaceClient Owner, string Instance, HttpClient Full, Guid TaskId)
    {
        public string PathOf(string type, string? name = null) => Objects.Path(Instance, "main", type, name);
    }

    private async Task<Repo> NewRepositoryAsync()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var full = owner.Repository(await owner.MintAsync(instance, task: "main"));
        (await full.CreateAsync(instance, "main")).StatusCode.Should().Be(HttpStatusCode.OK);
        return new Repo(owner, instance, full, (await owner.BackupsAsync()).Single().Id);
    }

    private async Task<HttpClient> BackupUrlAsync(Repo repo)
    {
        var minted = await (await repo.Owner.Api.PostAsync($"/api/v1/backups/{repo.TaskId}/backup-url", null, Ct))
            .Content.ReadFromJsonAsync<Backups.BackupUrlResponse>(Ct);
        var (username, secret, _) = Objects.ParseRestUrl(minted!.Url);
        return SpaceClient.Repository(Space, username, secret);
    }

    private async Task<HttpClient> AppendOnlyAsync(Repo repo) => repo.Owner.Repository(await repo.Owner.MintAsync(repo.Instance, appendOnly: true, task: "main"));

    private async Task<long> StoredBytesAsync(Repo repo) => (await repo.Owner.BackupsAsync()).Single().StorageBytes;

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        response.StatusCode.Should().Be(status);
        (await response.Content.ReadAsStringAsync(Ct)).Should().Be(message + "\n");
    }

    private static HttpRequestMessage Chunked(string path, byte[] content)
    {
        var body = new StreamContent(new MemoryStream(content));
        body.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    [Fact]
    public async Task A_backup_url_uploading_a_50_MiB_lock_is_413_and_nothing_is_stored()
    {
        var repo = await NewRepositoryAsync();
        var readOnly = await BackupUrlAsync(repo);
        var before = Space.RepositoryFiles();
        var huge = new byte[50 << 20];
        var path = repo.PathOf("locks", Objects.NameOf(huge));

        // Declared too large: answered before the body is read.
        var declared = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(huge) };
        declared.Headers.ExpectContinue = true;
        await ExpectAsync(await readOnly.SendAsync(declared, Ct), HttpStatusCode.RequestEntityTooLarge, "lock files are limited to 65536 bytes");

        // Not declared: cut off once it grows past the limit.
        var grown = Objects.Random(70_000);
        await ExpectAsync(await readOnly.SendAsync(Chunked(repo.PathOf("locks", Objects.NameOf(grown)), grown), Ct),
            HttpStatusCode.RequestEntityTooLarge, "lock files are limited to 65536 bytes");

        Space.RepositoryFiles().Should().Equal(before);
        (await StoredBytesAsync(repo)).Should().Be(0);
    }

    [Fact]
    public async Task Keys_snapshots_and_config_have_their_own_size_limits()
    {
        var repo = await NewRepositoryAsync();
        var key = Objects.Random(65_537);
        await ExpectAsync(await repo.Full.UploadAsync(repo.PathOf("keys", Objects.NameOf(key)), key),
            HttpStatusCode.RequestEntityTooLarge, "key files are limited to 65536 bytes");
        var snapshot = Objects.Random(MaxSnapshotBytes + 1);
        await ExpectAsync(await repo.Full.UploadAsync(repo.PathOf("snapshots", Objects.NameOf(snapshot)), snapshot),
            HttpStatusCode.RequestEntityTooLarge, $"snapshot files are limited to {MaxSnapshotBytes} bytes");
        await ExpectAsync(await repo.Full.UploadAsync(repo.PathOf("config"), Objects.Random(65_537)),
            HttpStatusCode.RequestEntityTooLarge, "config files are limited to 65536 bytes");
        var pack = Objects.Random(MaxObjectBytes + 1);
        await ExpectAsync(await repo.Full.UploadAsync(repo.PathOf("data", Objects.NameOf(pack)), pack),
            HttpStatusCode.RequestEntityTooLarge, $"objects are limited to {MaxObjectBytes} bytes");

        // Too small to be an encrypted snapshot: refused whether declared or streamed.
        var tiny = Objects.Random(63);
        await ExpectAsync(await repo.Full.UploadAsync(repo.PathOf("snapshots", Objects.NameOf(tiny)), tiny),
            HttpStatusCode.BadRequest, "snapshot files have at least 64 bytes; this one has 63");
        await ExpectAsync(await repo.Full.SendAsync(Chunked(repo.PathOf("snapshots", Objects.NameOf(tiny)), tiny), Ct),
            HttpStatusCode.BadRequest, "an object of this kind has at least 64 bytes; this one has 63; nothing was stored");

        (await StoredBytesAsync(repo)).Should().Be(0);
        (await repo.Owner.BackupAsync(repo.TaskId)).Snapshots.Should().BeEmpty();
    }

    [Fact]
    public async Task A_repository_holds_at_most_the_configured_number_of_locks()
    {
        var repo = await NewRepositoryAsync();
        var names = new List<string>();
        for (var i = 0; i < MaxLocks; i++)
        {
            names.Add(await repo.Full.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(100)));
        }

        var extra = Objects.Random(100);
        var refused = await repo.Full.UploadAsync(repo.PathOf("locks", Objects.NameOf(extra)), extra);
        await ExpectAsync(refused, HttpStatusCode.Conflict,
            $"Too many locks: this repository holds {MaxLocks} lock files, the most Space keeps; remove stale ones (restic unlock)");
        refused.ReasonPhrase.Should().StartWith("Too many locks");
        (await StoredBytesAsync(repo)).Should().Be(MaxLocks * 100);

        (await repo.Full.DeleteAsync(repo.PathOf("locks", names[0]), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.Full.UploadAsync(repo.PathOf("locks", Objects.NameOf(extra)), extra)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Over_quota_a_small_lock_is_accepted_and_counted_while_data_and_large_or_extra_locks_are_refused()
    {
        var repo = await NewRepositoryAsync();
        var readOnly = await BackupUrlAsync(repo);
        var op = await SpaceClient.SignInAsync(Space, OperatorEmail, OperatorPassword);
        (await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{repo.Owner.Email}/unpaid-balance", new { amount = 2m }, Ct)).EnsureSuccessStatusCode();

        var data = Objects.Random(100);
        (await repo.Full.UploadAsync(repo.PathOf("data", Objects.NameOf(data)), data)).StatusCode.Should().Be(HttpStatusCode.PaymentRequired);

        // restic locks even to restore, and the owner must lock to prune back under the cap: a lock passes, and counts.
        await readOnly.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(300));
        (await StoredBytesAsync(repo)).Should().Be(300);

        var large = Objects.Random(65_537);
        await ExpectAsync(await readOnly.UploadAsync(repo.PathOf("locks", Objects.NameOf(large)), large),
            HttpStatusCode.RequestEntityTooLarge, "lock files are limited to 65536 bytes");
        for (var i = 1; i < MaxLocks; i++)
        {
            await repo.Full.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(10));
        }

        var extra = Objects.Random(10);
        (await readOnly.UploadAsync(repo.PathOf("locks", Objects.NameOf(extra)), extra)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await StoredBytesAsync(repo)).Should().Be(300 + (MaxLocks - 1) * 10);
        (await Space.ReconcileAsync()).Should().Be(0, "the counters were exact");
    }

    [Fact]
    public async Task A_backup_url_removes_only_the_locks_it_created()
    {
        var repo = await NewRepositoryAsync();
        var readOnly = await BackupUrlAsync(repo);
        var other = await BackupUrlAsync(repo);
        var ownersLock = await repo.Full.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(150)); // e.g. a prune's exclusive lock
        var itsLock = await readOnly.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(150));

        const string NotItsOwn = "this credential is read-only: it may only remove the lock files it created, and this one it did not";
        await ExpectAsync(await readOnly.DeleteAsync(repo.PathOf("locks", ownersLock), Ct), HttpStatusCode.Forbidden, NotItsOwn);
        await ExpectAsync(await other.DeleteAsync(repo.PathOf("locks", itsLock), Ct), HttpStatusCode.Forbidden, NotItsOwn);
        await ExpectAsync(await readOnly.DeleteAsync(repo.PathOf("data", ownersLock), Ct), HttpStatusCode.Forbidden,
            "this credential is read-only: it may only remove the lock files it created");
        (await repo.Full.HeadAsync(repo.PathOf("locks", ownersLock))).StatusCode.Should().Be(HttpStatusCode.OK);

        (await readOnly.DeleteAsync(repo.PathOf("locks", itsLock), Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.Full.HeadAsync(repo.PathOf("locks", itsLock))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await StoredBytesAsync(repo)).Should().Be(150);
    }

    [Fact]
    public async Task An_append_only_credential_deletes_locks_but_never_config_keys_data_index_or_snapshots()
    {
        var repo = await NewRepositoryAsync();
        var appendOnly = await AppendOnlyAsync(repo);
        (await repo.Full.UploadAsync(repo.PathOf("config"), Objects.Random(200))).EnsureSuccessStatusCode();
        var names = new Dictionary<string, string>();
        foreach (var type in new[] { "keys", "data", "index", "snapshots" })
        {
            names[type] = await repo.Full.UploadObjectAsync(repo.Instance, "main", type, Objects.Random(300));
        }

        const string Refused = "append-only credential: only lock files can be deleted";
        await ExpectAsync(await appendOnly.DeleteAsync(repo.PathOf("config"), Ct), HttpStatusCode.Forbidden, Refused);
        foreach (var (type, name) in names)
        {
            await ExpectAsync(await appendOnly.DeleteAsync(repo.PathOf(type, name), Ct), HttpStatusCode.Forbidden, Refused);
        }

        var stored = await StoredBytesAsync(repo);
        stored.Should().Be(200 + 4 * 300);
        var ownersLock = await repo.Full.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(100));
        (await appendOnly.DeleteAsync(repo.PathOf("locks", ownersLock), Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "restic unlock removes stale locks");
        (await StoredBytesAsync(repo)).Should().Be(stored);
    }

    [Fact]
    public async Task Dot_segments_and_encoded_slashes_in_the_raw_target_are_400_and_never_resolved()
    {
        var repo = await NewRepositoryAsync();
        var credential = await repo.Owner.MintAsync(repo.Instance, task: "main");
        var key = await repo.Full.UploadObjectAsync(repo.Instance, "main", "keys", Objects.Random(300));
        var lockFile = await repo.Full.UploadObjectAsync(repo.Instance, "main", "locks", Objects.Random(100));
        var root = $"/repo/{repo.Instance}/main";
        string[] targets =
        [
            $"{root}/locks/../keys/{key}",
            $"{root}/locks/%2e%2e/keys/{key}",
            $"{root}/locks/%2E%2E/keys/{key}",
            $"{root}/locks/.%2e/keys/{key}",
            $"{root}/./keys/{key}",
            $"{root}/%2e/keys/{key}",
            $"{root}/keys%2f{key}",
            $"{root}/locks/..%2fkeys%2f{key}",
            $"{root}/locks/{lockFile}/..",
            $"/repo/{repo.Instance}/other/../main/keys/{key}",
            $"/api/../repo/{repo.Instance}/main/keys/{key}",
            $"{root}/keys/{key}/../../config",
        ];

        foreach (var target in targets)
        {
            foreach (var method in new[] { "DELETE", "GET", "POST" })
            {
                var (status, body) = await RawRequestAsync(method, target, credential.Username, credential.Secret);
                status.Should().Be(400, $"{method} {target}");
                body.Should().Be("dot segments and encoded slashes are not allowed in repository paths\n", $"{method} {target}");
            }
        }

        (await repo.Full.HeadAsync(repo.PathOf("keys", key))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.Full.HeadAsync(repo.PathOf("locks", lockFile))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await StoredBytesAsync(repo)).Should().Be(400);

        // The clean target still works over the same raw path.
        (await RawRequestAsync("DELETE", $"{root}/locks/{lockFile}", credential.Username, credential.Secret)).Status.Should().Be(200);
    }

    [Fact]
    public async Task An_upload_whose_content_is_not_its_name_is_400_and_stores_nothing()
    {
        var repo = await NewRepositoryAsync();
        var appendOnly = await AppendOnlyAsync(repo);
        var before = Space.RepositoryFiles();
        foreach (var type in new[] { "data", "index", "snapshots", "keys", "locks" })
        {
            var content = Objects.Random(1000);
            var wrongName = Objects.NameOf(Objects.Random(1000));
            var response = await appendOnly.UploadAsync(repo.PathOf(type, wrongName), content);
            await ExpectAsync(response, HttpStatusCode.BadRequest,
                $"content does not match its name: its SHA-256 is {Objects.NameOf(content)}; nothing was stored");
            (await appendOnly.SendAsync(Chunked(repo.PathOf(type, wrongName), content), Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest, type);
            (await repo.Full.HeadAsync(repo.PathOf(type, wrongName))).StatusCode.Should().Be(HttpStatusCode.NotFound, type);
        }

        Space.RepositoryFiles().Should().Equal(before);
        (await StoredBytesAsync(repo)).Should().Be(0);
        (await repo.Owner.BackupAsync(repo.TaskId)).Snapshots.Should().BeEmpty();
        (await Space.ReconcileAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Config_is_exempt_from_the_name_check()
    {
        var repo = await NewRepositoryAsync();
        var config = Objects.Random(180);
        (await repo.Full.UploadAsync(repo.PathOf("config"), config)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.Full.GetByteArrayAsync(repo.PathOf("config"), Ct)).Should().Equal(config);
        (await StoredBytesAsync(repo)).Should().Be(180);
    }

    [Fact]
    public async Task Implausible_snapshot_stats_are_422_and_plausible_ones_are_kept()
    {
        var repo = await NewRepositoryAsync();
        await repo.Full.UploadObjectAsync(repo.Instance, "main", "data", Objects.Random(10_000));
        var snapshot = await repo.Full.UploadObjectAsync(repo.Instance, "main", "snapshots", Objects.Random(400));
        var stats = $"{repo.PathOf("snapshots", snapshot)}/stats";
        var stored = await StoredBytesAsync(repo);
        var bound = Math.Max(stored, 1 << 20) * 1000L;

        await ExpectAsync(await repo.Full.PutAsJsonAsync(stats, new { fileCount = -1, totalBytes = 10 }, Ct),
            HttpStatusCode.UnprocessableEntity, "snapshot stats refused: file count and size cannot be negative");
        await ExpectAsync(await repo.Full.PutAsJsonAsync(stats, new { fileCount = 1, totalBytes = bound + 1 }, Ct),
            HttpStatusCode.UnprocessableEntity,
            $"snapshot stats refused: implausible: the task stores {stored} bytes, so its snapshots hold at most {bound} bytes and files");
        var missing = new string('a', 64);
        await ExpectAsync(await repo.Full.PutAsJsonAsync($"{repo.PathOf("snapshots", missing)}/stats", new { fileCount = 1, totalBytes = 1 }, Ct),
            HttpStatusCode.UnprocessableEntity, $"snapshot stats refused: no snapshot {missing} in this repository");
        (await repo.Owner.BackupAsync(repo.TaskId)).Snapshots.Single().TotalBytes.Should().BeNull();

        (await repo.Full.PutAsJsonAsync(stats, new { fileCount = 12, totalBytes = 50_000 }, Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var kept = (await repo.Owner.BackupAsync(repo.TaskId)).Snapshots.Single();
        (kept.FileCount, kept.TotalBytes).Should().Be((12L, 50_000L));
    }

    /// <summary>One HTTP/1.1 request written to the socket as is, so no client normalises its target.</summary>
    private async Task<(int Status, string Body)> RawRequestAsync(string method, string target, string username, string secret)
    {
        var address = Space.ListenAddress;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, Ct);
        await using var stream = tcp.GetStream();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}"));
        var body = method == "POST" ? "x" : "";
        var request = $"{method} {target} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Basic {auth}\r\n"
                      + $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(Ct);
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = response[..split];
        var content = response[(split + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            content = Dechunk(content);
        }

        return (status, content);
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var line = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..line], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(chunked, line + 2, size);
            at = line + 2 + size + 2;
        }
    }
}

public sealed class RepositoryLimitsSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: true, RepositoryLimitsTests.Settings);

public sealed class RepositoryLimitsPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: true, RepositoryLimitsTests.Settings);

public sealed class RepositoryLimitsTestsOnSqlite(RepositoryLimitsSqliteSpace fixture)
    : RepositoryLimitsTests(fixture), IClassFixture<RepositoryLimitsSqliteSpace>;

public sealed class RepositoryLimitsTestsOnPostgres(RepositoryLimitsPostgresSpace fixture)
    : RepositoryLimitsTests(fixture), IClassFixture<RepositoryLimitsPostgresSpace>;
