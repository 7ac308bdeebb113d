using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests;

/// <summary>
/// Sessions end on the server, proxies are believed only when configured, and nothing a client sends in Host shapes
/// the repository URLs Space hands out.
/// </summary>
public abstract class SessionsAndHostsTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private SpaceFactory NewSpace(bool kestrel, Dictionary<string, string?> settings)
    {
        var space = new SpaceFactory(fixture.Database, kestrel, settings);
        space.StartServer();
        return space;
    }

    [Fact]
    public async Task Sign_out_kills_the_console_cookie_on_the_server_and_a_copy_of_it_no_longer_signs_in()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var browser = ConsoleSession.For(Space);
        var signedIn = await browser.SignInAsync(user.Email, SpaceClient.Password);
        signedIn.StatusCode.Should().Be(HttpStatusCode.Found);
        browser.Cookies.Should().ContainKey("cairn-console");
        (await browser.GetAsync("/usage")).StatusCode.Should().Be(HttpStatusCode.OK);
        var stolen = new Dictionary<string, string>(browser.Cookies);

        var signedOut = await browser.SignOutAsync();
        signedOut.StatusCode.Should().Be(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.ToString().Should().Be("/signin?signedOut=true");

        var replay = await ConsoleSession.For(Space).WithCookies(stolen).GetAsync("/usage");
        replay.StatusCode.Should().Be(HttpStatusCode.Found, "the copy carries the old security stamp");
        replay.Headers.Location!.ToString().Should().Contain("/signin");

        // A new sign-in works, and the API token the account already had was not touched by the console.
        (await ConsoleSession.For(Space).SignInAsync(user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Found);
        (await user.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_forged_host_header_does_not_change_the_urls_handed_out()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var instance = await user.RegisterInstanceAsync();
        var honest = await user.MintAsync(instance);
        honest.RepositoryUrl.Should().StartWith($"rest:http://{honest.Username}:").And.EndWith($"@localhost/repo/{instance}/default/");

        foreach (var header in new[] { ("Host", "evil.example"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https") })
        {
            var forged = await MintWithAsync(user, instance, header);
            forged.RepositoryUrl.Should().NotContain("evil").And.StartWith("rest:http://").And.EndWith($"@localhost/repo/{instance}/default/");
            forged.RepositoryUrlWithoutSecret.Should().Be($"rest:http://localhost/repo/{instance}/default/");
        }
    }

    [Fact]
    public async Task Urls_come_from_the_public_url_or_an_allowed_host_and_a_known_proxy_may_not_widen_them()
    {
        await using var allowed = NewSpace(kestrel: true, new()
        {
            ["Space:AllowedHosts"] = "space.example, backup.space.example:8443",
            ["Space:KnownProxies"] = "127.0.0.1",
        });
        var user = await SpaceClient.SignUpAsync(allowed);
        var instance = await user.RegisterInstanceAsync();
        var local = allowed.ListenAddress;

        (await MintWithAsync(user, instance, ("Host", "space.example"))).RepositoryUrlWithoutSecret
            .Should().Be($"rest:http://space.example/repo/{instance}/default/");
        (await MintWithAsync(user, instance, ("Host", "BACKUP.space.example:8443"))).RepositoryUrlWithoutSecret
            .Should().Be($"rest:http://backup.space.example:8443/repo/{instance}/default/");
        (await MintWithAsync(user, instance, ("Host", "evil.example"))).RepositoryUrlWithoutSecret
            .Should().Be($"rest:http://{local.Authority}/repo/{instance}/default/", "an unknown host gives the address the connection reached");

        // Behind the known proxy: its scheme is believed, its forwarded host only when allowed.
        (await MintWithAsync(user, instance, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "space.example"))).RepositoryUrlWithoutSecret
            .Should().Be($"rest:https://space.example/repo/{instance}/default/");
        (await MintWithAsync(user, instance, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"))).RepositoryUrlWithoutSecret
            .Should().NotContain("evil");

        await using var configured = NewSpace(kestrel: false, new() { ["Space:PublicUrl"] = "https://backups.example.net/" });
        var owner = await SpaceClient.SignUpAsync(configured);
        var theirs = await owner.RegisterInstanceAsync();
        (await MintWithAsync(owner, theirs, ("Host", "evil.example"))).RepositoryUrlWithoutSecret
            .Should().Be($"rest:https://backups.example.net/repo/{theirs}/default/");
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_known_proxies_and_https_brings_hsts_and_secure_cookies()
    {
        await using var proxied = NewSpace(kestrel: true, new()
        {
            ["Space:KnownProxies"] = "127.0.0.0/8",
            ["Space:RestrictServiceEndpoints"] = "true",
        });
        var user = await SpaceClient.SignUpAsync(proxied);

        // Plain HTTP: no HSTS, no Secure flag.
        var plain = ConsoleSession.Over(proxied.ListenAddress);
        plain.Headers["Host"] = "space.example";
        var page = await plain.GetAsync("/signin");
        page.Headers.Contains("Strict-Transport-Security").Should().BeFalse();
        (await plain.SignInAsync(user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Found);
        plain.SetCookies.Should().NotBeEmpty().And.AllSatisfy(c => c.Should().NotContainEquivalentOf("secure"));

        // HTTPS at the proxy: HSTS, and every cookie Secure and HttpOnly, SameSite set.
        var tls = ConsoleSession.Over(proxied.ListenAddress);
        tls.Headers["Host"] = "space.example";
        tls.Headers["X-Forwarded-Proto"] = "https";
        var secured = await tls.GetAsync("/signin");
        secured.Headers.GetValues("Strict-Transport-Security").Single().Should().Be("max-age=31536000");
        (await tls.SignInAsync(user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Found);
        tls.SetCookies.Should().Contain(c => c.StartsWith("cairn-console=", StringComparison.Ordinal));
        tls.SetCookies.Should().AllSatisfy(c =>
        {
            c.Should().ContainEquivalentOf("; secure").And.ContainEquivalentOf("; httponly");
            c.Should().MatchRegex("(?i); samesite=(lax|strict)");
        });

        // The service endpoints answer the service networks (loopback by default), not a client the proxy names.
        var direct = new HttpClient { BaseAddress = proxied.ListenAddress };
        (await direct.GetAsync("/metrics", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var path in new[] { "/metrics", "/scalar", "/openapi/v1.json" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            var refused = await direct.SendAsync(request, Ct);
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, path);
            (await refused.Content.ReadAsStringAsync(Ct)).Should().Contain("service networks");
        }

        // From an address that is not a known proxy the same headers are ignored: the client is loopback, the scheme http.
        await using var unproxied = NewSpace(kestrel: true, new()
        {
            ["Space:RestrictServiceEndpoints"] = "true",
            ["Space:KnownProxies"] = "192.0.2.1",
        });
        var spoofing = new HttpClient { BaseAddress = unproxied.ListenAddress };
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        spoofed.Headers.Add("X-Forwarded-For", "203.0.113.7");
        spoofed.Headers.Add("X-Forwarded-Proto", "https");
        var answer = await spoofing.SendAsync(spoofed, Ct);
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        answer.Headers.Contains("Strict-Transport-Security").Should().BeFalse();
    }

    [Fact]
    public async Task Service_endpoints_can_be_kept_to_configured_networks()
    {
        await using var closed = NewSpace(kestrel: true, new()
        {
            ["Space:RestrictServiceEndpoints"] = "true",
            ["Space:ServiceNetworks"] = "192.0.2.0/24",
        });
        var client = new HttpClient { BaseAddress = closed.ListenAddress };
        (await client.GetAsync("/metrics", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync("/scalar", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync("/openapi/v1.json", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync("/healthz", Ct)).StatusCode.Should().Be(HttpStatusCode.OK, "health stays open to load balancers");

        // Off (as in Development and Testing), they answer anyone.
        (await Space.CreateClient().GetAsync("/metrics", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void The_data_folder_is_0700_and_the_sqlite_database_0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.GetUnixFileMode(Space.DataPath).Should().Be(Folder, "the test made the folder 0755 before Space started");
        File.GetUnixFileMode(Path.Combine(Space.DataPath, "repos")).Should().Be(Folder);
        var databaseFiles = Directory.EnumerateFiles(Space.DataPath, "space.db*").ToList();
        if (Space.Database == DatabaseKind.Sqlite)
        {
            databaseFiles.Should().Contain(Path.Combine(Space.DataPath, "space.db"));
        }

        foreach (var file in databaseFiles)
        {
            File.GetUnixFileMode(file).Should().Be(Owner, file);
        }
    }

    private static async Task<MintedCredentialResponse> MintWithAsync(SpaceClient user, string instance, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/instances/{instance}/credentials")
        {
            Content = JsonContent.Create(new { appendOnly = false }),
        };
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        var response = await user.Api.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct))!;
    }
}

public sealed class SessionsSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false);

public sealed class SessionsPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false);

public sealed class SessionsAndHostsTestsOnSqlite(SessionsSqliteSpace fixture) : SessionsAndHostsTests(fixture), IClassFixture<SessionsSqliteSpace>;

public sealed class SessionsAndHostsTestsOnPostgres(SessionsPostgresSpace fixture) : SessionsAndHostsTests(fixture), IClassFixture<SessionsPostgresSpace>;
