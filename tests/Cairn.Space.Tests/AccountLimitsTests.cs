using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests;

/// <summary>Free space per instance, not per wish: instances per account, sign-ups per address per day, and the rate limits.</summary>
public abstract class AccountLimitsTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private SpaceFactory NewSpace(Dictionary<string, string?> settings)
    {
        var space = new SpaceFactory(fixture.Database, kestrel: false, settings);
        space.StartServer();
        return space;
    }

    [Fact]
    public async Task An_account_holds_five_instances_unless_the_operator_raises_its_limit()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var names = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            names.Add(await user.RegisterInstanceAsync());
        }

        var refused = await user.Api.PostAsJsonAsync("/api/v1/instances", new { name = SpaceClient.NewInstanceName() }, Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await SignInTests.DetailAsync(refused)).Should().Be(
            "this account may hold at most 5 instances and holds 5; remove one or ask the operator to raise the limit");
        (await user.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.InstanceLimit.Should().Be(5);

        // The operator raises this account's limit (and no one else's).
        (await user.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/instance-limit", new { limit = 7 }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var op = await SpaceClient.SignInAsync(Space, SignInTests.OperatorEmail, SignInTests.OperatorPassword);
        var raised = await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/instance-limit", new { limit = 7 }, Ct);
        raised.StatusCode.Should().Be(HttpStatusCode.OK);
        (await raised.Content.ReadFromJsonAsync<AccountResponse>(Ct))!.InstanceLimit.Should().Be(7);
        names.Add(await user.RegisterInstanceAsync());
        names.Add(await user.RegisterInstanceAsync());
        var past = await user.Api.PostAsJsonAsync("/api/v1/instances", new { name = SpaceClient.NewInstanceName() }, Ct);
        (await SignInTests.DetailAsync(past)).Should().Be(
            "this account may hold at most 7 instances and holds 7; remove one or ask the operator to raise the limit");

        // A removed instance frees its place.
        (await user.Api.DeleteAsync($"/api/v1/instances/{names[0]}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await user.RegisterInstanceAsync();

        // Back to the Space's default; nothing is taken away, but no more can be added.
        (await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/instance-limit", new { limit = (int?)null }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await user.Api.GetFromJsonAsync<InstanceResponse[]>("/api/v1/instances", Ct))!.Should().HaveCount(7);
        (await user.Api.PostAsJsonAsync("/api/v1/instances", new { name = SpaceClient.NewInstanceName() }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Conflict);
        (await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/instance-limit", new { limit = -1 }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        (await op.Api.PutAsJsonAsync("/api/v1/admin/accounts/nobody@example.org/instance-limit", new { limit = 9 }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Registrations_at_once_never_pass_the_limit()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var op = await SpaceClient.SignInAsync(Space, SignInTests.OperatorEmail, SignInTests.OperatorPassword);
        (await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/instance-limit", new { limit = 3 }, Ct)).EnsureSuccessStatusCode();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            user.Api.PostAsJsonAsync("/api/v1/instances", new { name = SpaceClient.NewInstanceName() }, Ct)));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(3);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).Should().Be(5);
        (await user.Api.GetFromJsonAsync<InstanceResponse[]>("/api/v1/instances", Ct))!.Should().HaveCount(3);
    }

    [Fact]
    public async Task Sign_ups_per_address_per_day_are_counted_in_the_database()
    {
        await using var space = NewSpace(new() { ["Space:Limits:SignUpsPerClientPerDay"] = "2" });
        var client = space.CreateClient();
        (await client.PostAsJsonAsync("/api/v1/accounts", new { email = NewEmail(), password = "too short" }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.BadRequest, "a refused sign-up does not use up the day's allowance");
        for (var i = 0; i < 2; i++)
        {
            (await client.PostAsJsonAsync("/api/v1/accounts", new { email = NewEmail(), password = SpaceClient.Password }, Ct)).StatusCode
                .Should().Be(HttpStatusCode.Created);
        }

        var refused = await client.PostAsJsonAsync("/api/v1/accounts", new { email = NewEmail(), password = SpaceClient.Password }, Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromHours(16), "the count starts again at midnight UTC (the test clock says 08:00)");
        (await SignInTests.DetailAsync(refused)).Should().Be("at most 2 accounts can be created from one address per day; try again tomorrow (UTC)");

        // Another Space process on the same database (a replica) sees the same count.
        await using var replica = space.WithWebHostBuilder(_ => { });
        (await replica.CreateClient().PostAsJsonAsync("/api/v1/accounts", new { email = NewEmail(), password = SpaceClient.Password }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        space.Clock.Advance(TimeSpan.FromHours(16));
        (await client.PostAsJsonAsync("/api/v1/accounts", new { email = NewEmail(), password = SpaceClient.Password }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Sign_in_is_throttled_per_address_with_retry_after_and_opens_again_after_the_window()
    {
        await using var space = NewSpace(new()
        {
            ["Space:SignIn:PermitsPerClient"] = "3",
            // The window opens with the first attempt; long enough that three attempts fit in it on a loaded machine.
            ["Space:SignIn:Window"] = "00:00:06",
        });
        var client = space.CreateClient();
        var user = await SpaceClient.SignUpAsync(space);
        for (var i = 0; i < 2; i++)
        {
            (await SignInTests.TokenAsync(client, NewEmail(), "wrong password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var throttled = await SignInTests.TokenAsync(client, user.Email, SpaceClient.Password);
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "three attempts from one address in the window (the sign-in above was one)");
        throttled.Headers.RetryAfter!.Delta!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(6));
        (await SignInTests.DetailAsync(throttled)).Should().MatchRegex("^too many sign-in attempts; try again in [1-6] seconds?$");

        // Sign-up is counted apart.
        (await client.PostAsJsonAsync("/api/v1/accounts", new { email = NewEmail(), password = SpaceClient.Password }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Created);

        await Task.Delay(TimeSpan.FromSeconds(6.5), Ct);
        (await SignInTests.TokenAsync(client, user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_in_and_sign_up_are_throttled_per_email_from_any_address()
    {
        await using var space = NewSpace(new()
        {
            ["Space:SignIn:PermitsPerAccount"] = "2",
            ["Space:SignIn:Window"] = "00:01:00",
        });
        var target = NewEmail();
        for (var i = 0; i < 2; i++)
        {
            (await SignInTests.TokenAsync(space.CreateClient(), target, "guess " + i)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var throttled = await SignInTests.TokenAsync(space.CreateClient(), target.ToUpperInvariant(), "guess 3");
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter.Should().NotBeNull();
        (await SignInTests.TokenAsync(space.CreateClient(), NewEmail(), "another email")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var signUpEmail = NewEmail();
        (await space.CreateClient().PostAsJsonAsync("/api/v1/accounts", new { email = signUpEmail, password = "short" }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        (await space.CreateClient().PostAsJsonAsync("/api/v1/accounts", new { email = signUpEmail, password = "short" }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        var signUp = await space.CreateClient().PostAsJsonAsync("/api/v1/accounts", new { email = signUpEmail, password = SpaceClient.Password }, Ct);
        signUp.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await SignInTests.DetailAsync(signUp)).Should().StartWith("too many sign-up attempts; try again in ");
    }

    private static string NewEmail() => $"limit-{Guid.NewGuid():N}@example.org";
}

public sealed class LimitsSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, SignInTests.Settings);

public sealed class LimitsPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false, SignInTests.Settings);

public sealed class AccountLimitsTestsOnSqlite(LimitsSqliteSpace fixture) : AccountLimitsTests(fixture), IClassFixture<LimitsSqliteSpace>;

public sealed class AccountLimitsTestsOnPostgres(LimitsPostgresSpace fixture) : AccountLimitsTests(fixture), IClassFixture<LimitsPostgresSpace>;
