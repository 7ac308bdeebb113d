using System.Net;
using System.Net.Http.Headers;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Browse;

/// <summary>
/// The "Browse files" page's repository route: the signed-in owner's cookie reads a task's files (packs by Range),
/// and nothing else gets through: no other account, no instance credential, no write, no delete, no lock.
/// </summary>
public sealed class BrowseRepositoryRouteTests(BrowseRouteSpace fixture) : IClassFixture<BrowseRouteSpace>
{
    private SpaceFactory Space => fixture.Factory;

    private sealed record Stored(SpaceClient Owner, ConsoleSession Browser, HttpClient Repo, string Instance, Guid TaskId, string Pack, byte[] PackBytes, string Key);

    private async Task<Stored> StoreAsync()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance, task: "photos"));
        (await repo.CreateAsync(instance, "photos")).EnsureSuccessStatusCode();
        (await repo.UploadAsync(Objects.Path(instance, "photos", "config"), Objects.Random(200))).EnsureSuccessStatusCode();
        var key = await repo.UploadObjectAsync(instance, "photos", "keys", Objects.Random(400));
        var packBytes = Objects.Random(100_000);
        var pack = await repo.UploadObjectAsync(instance, "photos", "data", packBytes);
        var taskId = (await owner.BackupsAsync()).Single().Id;
        var browser = ConsoleSession.For(Space);
        (await browser.SignInAsync(owner.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Found);
        return new Stored(owner, browser, repo, instance, taskId, pack, packBytes, key);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? range = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return request;
    }

    [Fact]
    public async Task The_owner_reads_the_config_lists_the_keys_and_reads_a_pack_by_range()
    {
        var s = await StoreAsync();
        var root = $"/browse-repo/{s.TaskId}";

        var config = await s.Browser.GetAsync($"{root}/config");
        config.StatusCode.Should().Be(HttpStatusCode.OK);
        (await config.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Should().HaveCount(200);
        config.Headers.CacheControl!.NoStore.Should().BeTrue();

        var keys = await s.Browser.GetAsync($"{root}/keys/");
        keys.StatusCode.Should().Be(HttpStatusCode.OK);
        (await keys.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain(s.Key);

        var part = await s.Browser.SendAsync(Request(HttpMethod.Get, $"{root}/data/{s.Pack}", "bytes=1000-1999"));
        part.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        part.Content.Headers.ContentRange!.ToString().Should().Be("bytes 1000-1999/100000");
        (await part.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Should().Equal(s.PackBytes.AsSpan(1000, 1000).ToArray());

        var head = await s.Browser.SendAsync(Request(HttpMethod.Head, $"{root}/data/{s.Pack}"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(100_000);
    }

    [Fact]
    public async Task Nothing_writes_or_deletes_and_the_objects_stay_as_they_were()
    {
        var s = await StoreAsync();
        var root = $"/browse-repo/{s.TaskId}";
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            foreach (var path in new[] { $"{root}/data/{s.Pack}", $"{root}/config", $"{root}/keys/", $"{root}/keys/{s.Key}" })
            {
                var request = Request(method, path);
                request.Content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
                (await s.Browser.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, $"{method} {path}");
            }
        }

        var pack = await s.Repo.GetAsync(Objects.Path(s.Instance, "photos", "data", s.Pack), TestContext.Current.CancellationToken);
        (await pack.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Should().Equal(s.PackBytes);
        (await s.Repo.GetAsync(Objects.Path(s.Instance, "photos", "keys", s.Key), TestContext.Current.CancellationToken)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_account_an_instance_credential_and_no_cookie_read_nothing()
    {
        var s = await StoreAsync();
        var path = $"/browse-repo/{s.TaskId}/data/{s.Pack}";

        var stranger = await SpaceClient.SignUpAsync(Space);
        var strangerBrowser = ConsoleSession.For(Space);
        (await strangerBrowser.SignInAsync(stranger.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Found);
        var refused = await strangerBrowser.GetAsync(path);
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound, "another account's task is as absent as a missing one");
        (await strangerBrowser.GetAsync($"/browse-repo/{s.TaskId}/keys/")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await strangerBrowser.GetAsync($"/browse-repo/{Guid.NewGuid()}/config")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var anonymous = await ConsoleSession.For(Space).GetAsync(path);
        anonymous.StatusCode.Should().Be(HttpStatusCode.Found, "without the console's cookie the route sends to sign-in");
        anonymous.Headers.Location!.ToString().Should().Contain("/signin");

        // The instance credential that wrote the objects is for restic's route, not the browser's.
        var restic = Space.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        restic.DefaultRequestHeaders.Authorization = s.Repo.DefaultRequestHeaders.Authorization;
        var withCredential = await restic.GetAsync(path, TestContext.Current.CancellationToken);
        withCredential.StatusCode.Should().Be(HttpStatusCode.Found, "only the console's cookie opens this route");
        withCredential.Headers.Location!.ToString().Should().Contain("/signin");
    }

    [Fact]
    public async Task Locks_data_listings_and_bad_names_are_refused()
    {
        var s = await StoreAsync();
        var root = $"/browse-repo/{s.TaskId}";
        var lockName = await s.Repo.UploadObjectAsync(s.Instance, "photos", "locks", Objects.Random(100));
        (await s.Browser.GetAsync($"{root}/locks/{lockName}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await s.Browser.GetAsync($"{root}/locks/")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await s.Browser.GetAsync($"{root}/data/")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await s.Browser.GetAsync($"{root}/data/{s.Pack[..10]}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await s.Browser.GetAsync($"{root}/data/..%2F..%2Fconfig")).StatusCode.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        (await s.Browser.SendAsync(Request(HttpMethod.Get, $"{root}/data/{s.Pack}", "bytes=200000-"))).StatusCode
            .Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
    }
}

public sealed class BrowseRouteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false);
