using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>
/// One instance's credentials reach only that instance's tasks, one account's token only that account's things:
/// every route is tried, each is refused, and nothing changes.
/// </summary>
public abstract class IsolationTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private sealed record Tenant(SpaceClient Owner, string Instance, Instances.MintedCredentialResponse Credential, HttpClient Repo,
        string Task, string DataName, string SnapshotName);

    private async Task<Tenant> NewTenantAsync(SpaceClient? owner = null)
    {
        owner ??= await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, task: "main");
        var repo = owner.Repository(credential);
        (await repo.CreateAsync(instance, "main")).EnsureSuccessStatusCode();
        (await repo.UploadAsync(Objects.Path(instance, "main", "config"), Objects.Random(100))).EnsureSuccessStatusCode();
        var data = await repo.UploadObjectAsync(instance, "main", "data", Objects.Random(1000));
        var snapshot = await repo.UploadObjectAsync(instance, "main", "snapshots", Objects.Random(200));
        await repo.UploadObjectAsync(instance, "main", "keys", Objects.Random(300));
        await repo.UploadObjectAsync(instance, "main", "locks", Objects.Random(50));
        return new Tenant(owner, instance, credential, repo, "main", data, snapshot);
    }

    /// <summary>Every REST request a credential could make against a victim's task.</summary>
    private static IEnumerable<HttpRequestMessage> EveryRepositoryRequest(Tenant victim)
    {
        var root = $"/repo/{victim.Instance}/{victim.Task}/";
        var fresh = Objects.Random(64);
        yield return new HttpRequestMessage(HttpMethod.Post, root + "?create=true");
        yield return new HttpRequestMessage(HttpMethod.Post, $"/repo/{victim.Instance}/newtask/?create=true");
        yield return new HttpRequestMessage(HttpMethod.Delete, root);
        yield return new HttpRequestMessage(HttpMethod.Head, root + "config");
        yield return new HttpRequestMessage(HttpMethod.Get, root + "config");
        yield return new HttpRequestMessage(HttpMethod.Post, root + "config") { Content = new ByteArrayContent(fresh) };
        yield return new HttpRequestMessage(HttpMethod.Delete, root + "config");
        foreach (var type in new[] { "data", "keys", "locks", "snapshots", "index" })
        {
            yield return new HttpRequestMessage(HttpMethod.Get, root + type + "/");
            yield return new HttpRequestMessage(HttpMethod.Post, root + type + "/" + Objects.NameOf(fresh)) { Content = new ByteArrayContent(fresh) };
        }

        foreach (var (type, name) in new[] { ("data", victim.DataName), ("snapshots", victim.SnapshotName) })
        {
            yield return new HttpRequestMessage(HttpMethod.Head, root + type + "/" + name);
            yield return new HttpRequestMessage(HttpMethod.Get, root + type + "/" + name);
            yield return new HttpRequestMessage(HttpMethod.Post, root + type + "/" + name) { Content = new ByteArrayContent(fresh) };
            yield return new HttpRequestMessage(HttpMethod.Delete, root + type + "/" + name);
        }

        yield return new HttpRequestMessage(HttpMethod.Put, root + "snapshots/" + victim.SnapshotName + "/stats")
        {
            Content = JsonContent.Create(new { fileCount = 1, totalBytes = 1 }),
        };
    }

    private async Task<object> StateOfAsync(params Tenant[] tenants)
    {
        var tasks = new List<object>();
        foreach (var tenant in tenants)
        {
            var backups = await tenant.Owner.BackupsAsync();
            tasks.Add(backups.Select(b => (b.Id, b.Name, b.Instance, b.StorageBytes, b.LatestSnapshotAt)).ToList());
            foreach (var backup in backups)
            {
                var details = await tenant.Owner.BackupAsync(backup.Id);
                tasks.Add(details.Snapshots.Select(s => (s.Id, s.FileCount)).ToList());
            }
        }

        return (Space.RepositoryFiles(), tasks);
    }

    [Fact]
    public async Task Credentials_of_one_instance_cannot_touch_another_instance_of_the_same_or_another_account()
    {
        var alice = await NewTenantAsync();
        var aliceSecond = await NewTenantAsync(alice.Owner);
        var bob = await NewTenantAsync();
        var before = await StateOfAsync(alice, bob);

        foreach (var (attacker, victim) in new[] { (alice, aliceSecond), (alice, bob), (bob, alice), (aliceSecond, alice) })
        {
            foreach (var request in EveryRepositoryRequest(victim))
            {
                var description = $"{request.Method} {request.RequestUri}";
                var response = await attacker.Repo.SendAsync(request, Ct);
                response.StatusCode.Should().Be(HttpStatusCode.Forbidden, description);
            }
        }

        (await StateOfAsync(alice, bob)).Should().BeEquivalentTo(before);
        (await alice.Repo.GetAsync($"/repo/{alice.Instance}/main/data/{alice.DataName}", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task One_account_token_cannot_see_or_change_another_account_things()
    {
        var alice = await NewTenantAsync();
        var bob = await NewTenantAsync();
        var aliceTask = (await alice.Owner.BackupsAsync()).Single();
        var before = await StateOfAsync(alice, bob);
        var api = bob.Owner.Api;

        (await bob.Owner.BackupsAsync()).Select(b => b.Id).Should().NotContain(aliceTask.Id);
        var usage = await api.GetFromJsonAsync<Usage.UsageReport>("/api/v1/usage", Ct);
        usage!.Instances.Select(i => i.Instance).Should().Equal(bob.Instance);

        HttpRequestMessage[] requests =
        [
            new(HttpMethod.Get, $"/api/v1/backups/{aliceTask.Id}"),
            new(HttpMethod.Delete, $"/api/v1/backups/{aliceTask.Id}"),
            new(HttpMethod.Post, $"/api/v1/backups/{aliceTask.Id}/backup-url"),
            new(HttpMethod.Post, "/api/v1/backups") { Content = JsonContent.Create(new { instance = alice.Instance, name = "stolen" }) },
            new(HttpMethod.Get, $"/api/v1/instances/{alice.Instance}"),
            new(HttpMethod.Delete, $"/api/v1/instances/{alice.Instance}"),
            new(HttpMethod.Get, $"/api/v1/instances/{alice.Instance}/credentials"),
            new(HttpMethod.Post, $"/api/v1/instances/{alice.Instance}/credentials") { Content = JsonContent.Create(new { appendOnly = false }) },
            new(HttpMethod.Delete, $"/api/v1/instances/{alice.Instance}/credentials/{alice.Credential.Username}"),
        ];
        foreach (var request in requests)
        {
            var description = $"{request.Method} {request.RequestUri}";
            (await api.SendAsync(request, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound, description);
        }

        (await api.PostAsJsonAsync("/api/v1/instances", new { name = alice.Instance }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Conflict, "instance names are unique among active instances");
        (await StateOfAsync(alice, bob)).Should().BeEquivalentTo(before);
        (await alice.Repo.GetAsync($"/repo/{alice.Instance}/main/keys/", Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "alice's credential still works");
    }

    [Fact]
    public async Task The_api_refuses_requests_without_a_valid_token_and_admin_routes_to_non_operators()
    {
        var anonymous = Space.CreateClient();
        foreach (var path in new[] { "/api/v1/backups", "/api/v1/instances", "/api/v1/usage", "/api/v1/account" })
        {
            (await anonymous.GetAsync(path, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
        }

        var forged = Space.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");
        (await forged.GetAsync("/api/v1/backups", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var user = await SpaceClient.SignUpAsync(Space);
        (await user.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/unpaid-balance", new { amount = 0 }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);

        // A repository credential is not an API token, and a token is not a repository credential.
        var instance = await user.RegisterInstanceAsync();
        var credential = await user.MintAsync(instance);
        (await user.Repository(credential).GetAsync("/api/v1/backups", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await user.Api.GetAsync($"/repo/{instance}/default/keys/", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

public sealed class IsolationSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false);

public sealed class IsolationPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false);

public sealed class IsolationTestsOnSqlite(IsolationSqliteSpace fixture) : IsolationTests(fixture), IClassFixture<IsolationSqliteSpace>;

public sealed class IsolationTestsOnPostgres(IsolationPostgresSpace fixture) : IsolationTests(fixture), IClassFixture<IsolationPostgresSpace>;
