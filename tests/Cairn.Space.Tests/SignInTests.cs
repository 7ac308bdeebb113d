using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests;

/// <summary>Guessing made hard: the rate limits, the lockout in the database, equal work for unknown emails, the password rule.</summary>
public abstract class SignInTests(SpaceFixture fixture)
{
    public const string OperatorEmail = "operator@space.example";
    public const string OperatorPassword = "operator password";

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["CAIRN_SPACE_ADMIN_EMAIL"] = OperatorEmail,
        ["CAIRN_SPACE_ADMIN_PASSWORD"] = OperatorPassword,
        ["Space:SignIn:LockoutThreshold"] = "3",
        ["Space:SignIn:LockoutBase"] = "00:01:00",
        ["Space:SignIn:LockoutMax"] = "00:10:00",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    public static Task<HttpResponseMessage> TokenAsync(HttpClient client, string email, string password, string? code = null)
        => client.PostAsJsonAsync("/api/v1/auth/token", new { email, password, code }, Ct);

    public static async Task<string> DetailAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("detail").GetString()!;

    [Fact]
    public async Task Repeated_failures_lock_the_account_with_exponential_back_off_until_the_operator_unlocks_it()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var anonymous = Space.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await TokenAsync(anonymous, user.Email, "wrong password " + i)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        // Locked: even the right password is refused, with when to try again.
        var locked = await TokenAsync(anonymous, user.Email, SpaceClient.Password);
        locked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        locked.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(1));
        var until = Space.Clock.GetUtcNow().AddMinutes(1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        (await DetailAsync(locked)).Should().Be(
            $"this account is locked after 3 failed sign-ins until {until} UTC; try again then, or ask the operator to unlock it");

        // After the lock, one more failure locks for twice as long, then four times.
        Space.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await TokenAsync(anonymous, user.Email, "wrong again")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(anonymous, user.Email, SpaceClient.Password)).Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(2));
        Space.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        (await TokenAsync(anonymous, user.Email, "and again")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(anonymous, user.Email, SpaceClient.Password)).Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(4));

        var account = await user.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct);
        account!.FailedSignIns.Should().Be(5);
        account.LockedUntil.Should().Be(Space.Clock.GetUtcNow().AddMinutes(4));

        // Only the operator may unlock; then the right password signs in and the failures are forgotten.
        (await user.Api.PostAsync($"/api/v1/admin/accounts/{user.Email}/unlock", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var op = await SpaceClient.SignInAsync(Space, OperatorEmail, OperatorPassword);
        var unlocked = await op.Api.PostAsync($"/api/v1/admin/accounts/{user.Email}/unlock", null, Ct);
        unlocked.StatusCode.Should().Be(HttpStatusCode.OK);
        (await unlocked.Content.ReadFromJsonAsync<AccountResponse>(Ct))!.LockedUntil.Should().BeNull();
        (await TokenAsync(anonymous, user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await user.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.FailedSignIns.Should().Be(0);
        (await op.Api.PostAsync("/api/v1/admin/accounts/nobody@example.org/unlock", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_success_resets_the_failures_so_only_failures_in_a_row_lock()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var anonymous = Space.CreateClient();
        for (var round = 0; round < 3; round++)
        {
            (await TokenAsync(anonymous, user.Email, "wrong password 1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await TokenAsync(anonymous, user.Email, "wrong password 2")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await TokenAsync(anonymous, user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Unknown_and_known_emails_take_the_same_time_to_refuse()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var anonymous = Space.CreateClient();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.org";
        await TokenAsync(anonymous, unknown, "warm up the hasher");

        // Interleaved, so a busy moment of the machine falls on both alike; medians, so outliers do not count.
        var known = new List<double>();
        var missing = new List<double>();
        for (var i = 0; i < 25; i++)
        {
            known.Add(await TimeAsync(() => TokenAsync(anonymous, user.Email, "not the password")));
            missing.Add(await TimeAsync(() => TokenAsync(anonymous, unknown, "not the password")));
        }

        var ratio = Median(known) / Median(missing);
        ratio.Should().BeInRange(0.5, 2.0,
            $"a refusal takes as long for an unknown email as for a known one (medians {Median(known):F1} ms and {Median(missing):F1} ms)");
        Median(missing).Should().BeGreaterThan(5, "an unknown email is checked against a real (dummy) hash, which takes time");

        static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
        {
            var watch = Stopwatch.StartNew();
            var response = await call();
            watch.Stop();
            response.StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
            return watch.Elapsed.TotalMilliseconds;
        }

        static double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return (sorted[sorted.Length / 2] + sorted[(sorted.Length - 1) / 2]) / 2;
        }
    }

    [Fact]
    public async Task Changing_the_password_keeps_the_token_asking_and_revokes_every_other()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var other = await SpaceClient.SignInAsync(Space, user.Email, SpaceClient.Password);
        var wrong = await user.Api.PutAsJsonAsync("/api/v1/account/password", new { currentPassword = "not it at all", newPassword = "a new long passphrase" }, Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await DetailAsync(wrong)).Should().Be("the current password is wrong");
        (await user.Api.PutAsJsonAsync("/api/v1/account/password", new { currentPassword = SpaceClient.Password, newPassword = "password123" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);

        (await user.Api.PutAsJsonAsync("/api/v1/account/password", new { currentPassword = SpaceClient.Password, newPassword = "a new long passphrase" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await user.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await other.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(Space.CreateClient(), user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await TokenAsync(Space.CreateClient(), user.Email, "a new long passphrase")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("short pw", "a password has at least 10 characters")]
    [InlineData("1234567890", "this password is one of the most common ones; choose another")]
    [InlineData("PassWord123", "this password is one of the most common ones; choose another")]
    [InlineData("qwertyuiop", "this password is one of the most common ones; choose another")]
    [InlineData("{email}", "a password must not be the email address")]
    [InlineData("{EMAIL}", "a password must not be the email address")]
    public async Task Weak_passwords_are_refused_with_one_clear_message(string password, string message)
    {
        var email = $"weak-{Guid.NewGuid():N}@example.org";
        var response = await Space.CreateClient().PostAsJsonAsync("/api/v1/accounts",
            new { email, password = password.Replace("{email}", email, StringComparison.Ordinal).Replace("{EMAIL}", email.ToUpperInvariant(), StringComparison.Ordinal) }, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DetailAsync(response)).Should().Be(message);
        (await TokenAsync(Space.CreateClient(), email, password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no account was made");
    }

    [Theory]
    [InlineData("", "an email address is required")]
    [InlineData("no-at-sign.example.org", "an email address has one @ with a name of at most 64 characters before it and a domain after it")]
    [InlineData("two@at@example.org", "an email address has one @ with a name of at most 64 characters before it and a domain after it")]
    [InlineData("@example.org", "an email address has one @ with a name of at most 64 characters before it and a domain after it")]
    [InlineData("space in@example.org", "an email address has no spaces or control characters")]
    [InlineData("bell\u0007@example.org", "an email address has no spaces or control characters")]
    [InlineData("zero\u200bwidth@example.org", "an email address has no spaces or control characters")]
    [InlineData("dots@example..org", "the domain of an email address has no empty parts")]
    public async Task Malformed_emails_are_refused_with_one_clear_message(string email, string message)
    {
        var response = await Space.CreateClient().PostAsJsonAsync("/api/v1/accounts", new { email, password = "a fine long passphrase" }, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DetailAsync(response)).Should().Be(message);
    }

    [Fact]
    public async Task Overlong_emails_are_refused()
    {
        var response = await Space.CreateClient().PostAsJsonAsync("/api/v1/accounts",
            new { email = new string('a', 250) + "@example.org", password = "a fine long passphrase" }, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await DetailAsync(response)).Should().Be("an email address has at most 254 characters");
    }

    [Fact]
    public void The_common_password_list_is_embedded_and_matched_without_case()
    {
        Cairn.Space.Accounts.PasswordRules.CommonCount.Should().BeGreaterThan(300);
        Cairn.Space.Accounts.PasswordRules.IsCommon("ILOVEYOU123").Should().BeTrue();
        Cairn.Space.Accounts.PasswordRules.IsCommon("correct horse battery").Should().BeFalse();
    }
}

public sealed class SignInSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, SignInTests.Settings);

public sealed class SignInPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false, SignInTests.Settings);

public sealed class SignInTestsOnSqlite(SignInSqliteSpace fixture) : SignInTests(fixture), IClassFixture<SignInSqliteSpace>;

public sealed class SignInTestsOnPostgres(SignInPostgresSpace fixture) : SignInTests(fixture), IClassFixture<SignInPostgresSpace>;
