using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Accounts.SignIn;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using OtpNet;

namespace Cairn.Space.Tests;

/// <summary>Two-factor sign-in through the API: enrol, confirm, sign in with a code once, recovery codes, turn off.</summary>
public abstract class TwoFactorTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private string CodeFor(string secret, TimeSpan? offset = null)
        => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp((Space.Clock.GetUtcNow() + (offset ?? TimeSpan.Zero)).UtcDateTime);

    [Fact]
    public async Task Enrolment_sign_in_with_a_code_once_and_recovery_codes()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var other = await SpaceClient.SignInAsync(Space, user.Email, SpaceClient.Password); // a second token, from elsewhere

        var enrolment = await (await user.Api.PostAsync("/api/v1/account/two-factor", null, Ct)).Content.ReadFromJsonAsync<TotpEnrolment>(Ct);
        enrolment!.Secret.Should().MatchRegex("^[A-Z2-7]{32}$", "160 bits in base32");
        var uri = new Uri(enrolment.OtpAuthUri);
        uri.Scheme.Should().Be("otpauth");
        uri.Host.Should().Be("totp");
        enrolment.OtpAuthUri.Should().Contain("secret=" + enrolment.Secret).And.Contain("issuer=Cairn%20Space")
            .And.Contain(Uri.EscapeDataString(user.Email));

        // Not in force until a first code confirms it.
        (await SignInTests.TokenAsync(Space.CreateClient(), user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        var wrong = await user.Api.PostAsJsonAsync("/api/v1/account/two-factor/confirm", new { code = "000000" == CodeFor(enrolment.Secret) ? "111111" : "000000" }, Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await SignInTests.DetailAsync(wrong)).Should().Be("the code does not match; check the authenticator's clock and try the current code");

        var firstCode = CodeFor(enrolment.Secret);
        var confirmed = await user.Api.PostAsJsonAsync("/api/v1/account/two-factor/confirm", new { code = firstCode }, Ct);
        confirmed.StatusCode.Should().Be(HttpStatusCode.OK);
        var recovery = (await confirmed.Content.ReadFromJsonAsync<RecoveryCodesResponse>(Ct))!.RecoveryCodes;
        recovery.Should().HaveCount(10).And.OnlyHaveUniqueItems().And.AllSatisfy(c => c.Should().MatchRegex("^[a-z2-7]{4}(-[a-z2-7]{4}){3}$"));
        (await user.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.TwoFactorEnabled.Should().BeTrue("the token that turned it on stays");
        (await other.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "every other token is revoked");
        (await user.Api.PostAsJsonAsync("/api/v1/account/two-factor/confirm", new { code = firstCode }, Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        // The password alone is not enough any more.
        var anonymous = Space.CreateClient();
        var needsCode = await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password);
        needsCode.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var problem = JsonDocument.Parse(await needsCode.Content.ReadAsStringAsync(Ct)).RootElement;
        problem.GetProperty("twoFactorRequired").GetBoolean().Should().BeTrue();
        problem.GetProperty("detail").GetString().Should().Be(
            "a two-factor code is required: send the current code of the authenticator (or a recovery code) as code");

        // The code that confirmed enrolment is spent; the next time step's code signs in, once.
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, firstCode)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Space.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = CodeFor(enrolment.Secret);
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, code)).StatusCode.Should().Be(HttpStatusCode.OK);
        var replay = await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, code);
        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a code is accepted once within its window");
        (await SignInTests.DetailAsync(replay)).Should().Be("wrong or already used two-factor code");

        // A code one step old is still taken (clock drift), an older one not.
        Space.Clock.Advance(TimeSpan.FromSeconds(60));
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, CodeFor(enrolment.Secret, TimeSpan.FromSeconds(-60))))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, CodeFor(enrolment.Secret, TimeSpan.FromSeconds(-30))))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        // A recovery code signs in once; it never gets past a wrong password.
        (await SignInTests.TokenAsync(anonymous, user.Email, "wrong password!", recovery[0])).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, recovery[0].ToUpperInvariant())).StatusCode.Should().Be(HttpStatusCode.OK);
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, recovery[0])).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await user.Api.GetFromJsonAsync<TwoFactorStatusResponse>("/api/v1/account/two-factor", Ct))!.RecoveryCodesLeft.Should().Be(9);

        // Turning it off takes a code; then the password alone signs in again.
        (await user.Api.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { code = "123456" }, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await user.Api.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { code = recovery[1] }, Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await user.Api.GetFromJsonAsync<TwoFactorStatusResponse>("/api/v1/account/two-factor", Ct))!.Enabled.Should().BeFalse();

        // The secret and the recovery codes are nowhere in plain text: not in the logs, not in the database file.
        foreach (var secret in recovery.Append(enrolment.Secret))
        {
            Space.Logs.Entries.Should().NotContain(e => e.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        if (Space.Database == DatabaseKind.Sqlite)
        {
            foreach (var file in Directory.EnumerateFiles(Space.DataPath, "space.db*"))
            {
                Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, Ct)).Should().NotContain(enrolment.Secret);
            }
        }
    }

    [Fact]
    public async Task Wrong_codes_count_towards_the_lockout()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var enrolment = await (await user.Api.PostAsync("/api/v1/account/two-factor", null, Ct)).Content.ReadFromJsonAsync<TotpEnrolment>(Ct);
        (await user.Api.PostAsJsonAsync("/api/v1/account/two-factor/confirm", new { code = CodeFor(enrolment!.Secret) }, Ct)).EnsureSuccessStatusCode();
        Space.Clock.Advance(TimeSpan.FromSeconds(30));
        var anonymous = Space.CreateClient();
        var right = CodeFor(enrolment.Secret);
        var wrong = right == "000000" ? "000001" : "000000";
        for (var i = 0; i < 3; i++)
        {
            (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, wrong)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password, right)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Two_factor_needs_a_signed_in_account()
    {
        var anonymous = Space.CreateClient();
        (await anonymous.PostAsync("/api/v1/account/two-factor", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        (await anonymous.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { code = "123456" }, Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

public sealed class TwoFactorSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, SignInTests.Settings);

public sealed class TwoFactorPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false, SignInTests.Settings);

public sealed class TwoFactorTestsOnSqlite(TwoFactorSqliteSpace fixture) : TwoFactorTests(fixture), IClassFixture<TwoFactorSqliteSpace>;

public sealed class TwoFactorTestsOnPostgres(TwoFactorPostgresSpace fixture) : TwoFactorTests(fixture), IClassFixture<TwoFactorPostgresSpace>;
