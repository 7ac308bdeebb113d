using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Admin;
using Cairn.Space.Billing;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>
/// The operator's API across the Space (<c>/api/v1/admin/</c>): accounts found by email with their balances, a
/// top-up whose reason lands in the owner's ledger, the operator's lock of an account, instances and usage, cloud
/// instances and the activity list; none of it for anyone else.
/// </summary>
public abstract class AdminOverviewTests(SpaceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private Task<SpaceClient> OperatorAsync() => SpaceClient.SignInAsync(Space, SignInTests.OperatorEmail, SignInTests.OperatorPassword);

    [Fact]
    public async Task The_operator_finds_accounts_by_email_with_balances_and_tops_one_up_with_a_reason_the_owner_reads()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var alice = await SpaceClient.SignUpAsync(Space, $"alice-{tag}@example.org");
        var bob = await SpaceClient.SignUpAsync(Space, $"bob-{tag}@example.org");
        await alice.RegisterInstanceAsync();
        await alice.RegisterInstanceAsync();
        var op = await OperatorAsync();

        var topUp = await op.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{alice.Email}/top-up", new { amount = 12.50m, reason = "bank transfer of 10 March" }, Ct);
        topUp.StatusCode.Should().Be(HttpStatusCode.Created);
        (await topUp.Content.ReadFromJsonAsync<LedgerEntryResponse>(Ct))!.Description.Should().Be("Top-up: bank transfer of 10 March");
        (await op.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{bob.Email}/top-up", new { amount = 1m, reason = new string('x', 201) }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "a reason is at most 200 characters");
        (await op.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{bob.Email}/top-up", new { amount = 2m }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Created, "the reason is optional in the API");

        // The owner reads the reason in the ledger.
        var ledger = (await alice.Api.GetFromJsonAsync<LedgerResponse>("/api/v1/billing/ledger", Ct))!;
        ledger.Entries.Should().ContainSingle().Which.Description.Should().Be("Top-up: bank transfer of 10 March");

        var found = (await op.Api.GetFromJsonAsync<AdminAccountResponse[]>($"/api/v1/admin/accounts?email={tag}", Ct))!;
        found.Select(a => a.Account.Email).Should().Equal(alice.Email, bob.Email);
        found[0].Balance.Should().Be(12.50m);
        found[0].Instances.Should().Be(2);
        found[1].Balance.Should().Be(2m);
        found[1].Instances.Should().Be(0);
        (await op.Api.GetFromJsonAsync<AdminAccountResponse[]>($"/api/v1/admin/accounts?email=ALICE-{tag}", Ct))!
            .Should().ContainSingle("the search ignores case, as emails are kept lowercase");
        (await op.Api.GetFromJsonAsync<AdminAccountResponse[]>("/api/v1/admin/accounts?take=1", Ct))!.Should().HaveCount(1);

        foreach (var path in new[] { "/api/v1/admin/accounts", "/api/v1/admin/instances", "/api/v1/admin/cloud-instances", "/api/v1/admin/activity" })
        {
            (await alice.Api.GetAsync(path, Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{path} is the operator's");
        }
    }

    [Fact]
    public async Task An_operator_lock_refuses_sign_in_and_revokes_tokens_until_the_operator_unlocks()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var op = await OperatorAsync();
        var anonymous = Space.CreateClient();
        (await user.Api.PostAsync($"/api/v1/admin/accounts/{user.Email}/lock", null, Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var locked = await op.Api.PostAsync($"/api/v1/admin/accounts/{user.Email}/lock", null, Ct);
        locked.StatusCode.Should().Be(HttpStatusCode.OK);
        (await locked.Content.ReadFromJsonAsync<AccountResponse>(Ct))!.LockedUntil.Should().Be(Account.OperatorLockEnd);
        (await user.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "its tokens are revoked");

        // The right password learns of the lock; a wrong one learns nothing and counts no failure.
        var refused = await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await SignInTests.DetailAsync(refused)).Should().Be("this account is locked by the operator of this Space; ask them to unlock it");
        (await SignInTests.TokenAsync(anonymous, user.Email, "not the password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Space.Clock.Advance(TimeSpan.FromDays(400));
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Forbidden,
            "the lock has no end of its own");

        op = await OperatorAsync(); // the clock moved past the operator's token
        var activity = (await op.Api.GetFromJsonAsync<ActivityResponse>("/api/v1/admin/activity", Ct))!;
        activity.LockedAccounts.Should().ContainSingle(a => a.Email == user.Email).Which.LockedByOperator.Should().BeTrue();

        (await op.Api.PostAsync($"/api/v1/admin/accounts/{user.Email}/unlock", null, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await SignInTests.TokenAsync(anonymous, user.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await op.Api.PostAsync($"/api/v1/admin/accounts/{SignInTests.OperatorEmail}/lock", null, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest,
            "an operator cannot lock an operator account (nor itself out)");
        (await op.Api.PostAsync("/api/v1/admin/accounts/nobody@example.org/lock", null, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_operator_sees_every_instance_with_its_owner_and_stored_bytes()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var instance = await user.RegisterInstanceAsync();
        var credential = await user.MintAsync(instance, task: "docs");
        var repository = user.Repository(credential);
        (await repository.PostAsync("/repo/" + instance + "/docs/?create=true", null, Ct)).EnsureSuccessStatusCode();
        var op = await OperatorAsync();

        var instances = (await op.Api.GetFromJsonAsync<InstanceStorage[]>("/api/v1/admin/instances", Ct))!;
        var row = instances.Should().ContainSingle(i => i.Name == instance).Subject;
        row.OwnerEmail.Should().Be(user.Email);
        row.Tasks.Should().Be(1);
        row.StoredBytes.Should().BeGreaterThanOrEqualTo(0);
        (await op.Api.GetFromJsonAsync<AdminCloudInstanceResponse[]>("/api/v1/admin/cloud-instances", Ct)).Should().NotBeNull();
    }
}

public sealed class AdminOverviewTestsOnSqlite(SignInSqliteSpace fixture) : AdminOverviewTests(fixture), IClassFixture<SignInSqliteSpace>;

public sealed class AdminOverviewTestsOnPostgres(SignInPostgresSpace fixture) : AdminOverviewTests(fixture), IClassFixture<SignInPostgresSpace>;
