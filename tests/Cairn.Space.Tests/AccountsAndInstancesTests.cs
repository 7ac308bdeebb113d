using System.Net;
using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests;

/// <summary>Sign-up, tokens, the operator, instances and tasks through the JSON API.</summary>
public abstract class AccountsAndInstancesTests(SpaceFixture fixture)
{
    public const string OperatorEmail = "operator@space.example";
    public const string OperatorPassword = "operator password";

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["CAIRN_SPACE_ADMIN_EMAIL"] = OperatorEmail,
        ["CAIRN_SPACE_ADMIN_PASSWORD"] = OperatorPassword,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    [Fact]
    public async Task Sign_up_sign_in_and_sign_out()
    {
        var anonymous = Space.CreateClient();
        var email = $"Mixed.Case-{Guid.NewGuid():N}@Example.org";
        var created = await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email, password = "long enough" }, Ct);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<AccountResponse>(Ct))!.Email.Should().Be(email.ToLowerInvariant());

        (await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email = email.ToUpperInvariant(), password = "long enough" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email = "no-at-sign", password = "long enough" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email = $"x{Guid.NewGuid():N}@example.org", password = "short" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email, password = "wrong password" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var user = await SpaceClient.SignInAsync(Space, email, "long enough");
        var account = await user.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct);
        account!.IsOperator.Should().BeFalse();
        account.Currency.Should().Be("EUR");

        (await user.Api.DeleteAsync("/api/v1/auth/token", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await user.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_configured_operator_address_promotes_an_existing_account_only_with_its_password()
    {
        var squatter = $"squat-{Guid.NewGuid():N}@example.org";
        var owner = $"owner-{Guid.NewGuid():N}@example.org";
        await SpaceClient.SignUpAsync(Space, squatter);
        await SpaceClient.SignUpAsync(Space, owner);

        await EnsureOperatorAsync(squatter, "the operator's own password");
        await EnsureOperatorAsync(owner, SpaceClient.Password);

        var squatterClient = await SpaceClient.SignInAsync(Space, squatter, SpaceClient.Password);
        (await squatterClient.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.IsOperator.Should().BeFalse(
            "whoever signed up first with the operator's address does not become an operator");
        var ownerClient = await SpaceClient.SignInAsync(Space, owner, SpaceClient.Password);
        (await ownerClient.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.IsOperator.Should().BeTrue();
    }

    /// <summary>The start-up seeding as a Space configured with this operator address and password runs it.</summary>
    private async Task EnsureOperatorAsync(string email, string password)
    {
        await using var scope = Space.Services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<SpaceSettings>() with { AdminEmail = email, AdminPassword = password };
        var accounts = ActivatorUtilities.CreateInstance<AccountService>(scope.ServiceProvider, settings);
        await accounts.EnsureOperatorAsync(Ct);
    }

    [Fact]
    public async Task Tokens_expire()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        Space.Clock.Advance(TimeSpan.FromDays(31));
        try
        {
            (await user.Api.GetAsync("/api/v1/account", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        finally
        {
            Space.Clock.Advance(TimeSpan.FromDays(-31));
        }
    }

    [Fact]
    public async Task The_operator_account_comes_from_configuration_and_may_set_an_unpaid_balance()
    {
        var op = await SpaceClient.SignInAsync(Space, OperatorEmail, OperatorPassword);
        (await op.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.IsOperator.Should().BeTrue();

        var user = await SpaceClient.SignUpAsync(Space);
        var response = await op.Api.PutAsJsonAsync($"/api/v1/admin/accounts/{user.Email}/unpaid-balance", new { amount = 12.5m }, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await user.Api.GetFromJsonAsync<AccountResponse>("/api/v1/account", Ct))!.UnpaidBalance.Should().Be(12.5m);
        (await op.Api.PutAsJsonAsync("/api/v1/admin/accounts/nobody@example.org/unpaid-balance", new { amount = 1m }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sign_up_can_be_closed_by_configuration()
    {
        await using var closed = Space.WithWebHostBuilder(b => b.UseSetting("Space:SignUpOpen", "false"));
        var response = await closed.CreateClient().PostAsJsonAsync("/api/v1/accounts",
            new { email = $"late-{Guid.NewGuid():N}@example.org", password = "long enough" }, Ct);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Instances_have_unique_valid_names_and_can_be_removed_once_empty()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var name = await user.RegisterInstanceAsync();
        (await user.Api.PostAsJsonAsync("/api/v1/instances", new { name }, Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        foreach (var bad in new[] { "", "Alice.Olares", "-alice", "alice..olares", "alice/olares", "a b", "../x" })
        {
            (await user.Api.PostAsJsonAsync("/api/v1/instances", new { name = bad }, Ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest, bad);
        }

        (await user.Api.PostAsJsonAsync("/api/v1/instances", new { name = SpaceClient.NewInstanceName(), region = "moon" }, Ct))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await user.Api.GetFromJsonAsync<InstanceResponse[]>("/api/v1/instances", Ct))!.Select(i => i.Name).Should().Equal(name);

        var task = await (await user.Api.PostAsJsonAsync("/api/v1/backups", new { instance = name, name = "photos" }, Ct))
            .Content.ReadFromJsonAsync<BackupResponse>(Ct);
        task!.Name.Should().Be("photos");
        (await user.Api.PostAsJsonAsync("/api/v1/backups", new { instance = name, name = "photos" }, Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await user.Api.DeleteAsync($"/api/v1/instances/{name}", Ct)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await user.Api.DeleteAsync($"/api/v1/backups/{task.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await user.Api.DeleteAsync($"/api/v1/instances/{name}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // The name is free again, for anyone.
        var other = await SpaceClient.SignUpAsync(Space);
        (await other.RegisterInstanceAsync(name)).Should().Be(name);
    }

    [Fact]
    public async Task Deleting_a_task_removes_its_repository_and_revokes_its_backup_urls()
    {
        var user = await SpaceClient.SignUpAsync(Space);
        var instance = await user.RegisterInstanceAsync();
        var credential = await user.MintAsync(instance, task: "gone");
        var repo = user.Repository(credential);
        (await repo.CreateAsync(instance, "gone")).EnsureSuccessStatusCode();
        var data = await repo.UploadObjectAsync(instance, "gone", "data", Objects.Random(4096));
        var task = (await user.BackupsAsync()).Single();
        var backupUrl = await (await user.Api.PostAsync($"/api/v1/backups/{task.Id}/backup-url", null, Ct)).Content.ReadFromJsonAsync<BackupUrlResponse>(Ct);
        Space.RepositoryFiles(task.Id).Should().NotBeEmpty();

        (await user.Api.DeleteAsync($"/api/v1/backups/{task.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        Space.RepositoryFiles(task.Id).Should().BeEmpty();
        (await user.Api.GetAsync($"/api/v1/backups/{task.Id}", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await user.BackupsAsync()).Should().BeEmpty();
        var (username, secret, _) = Objects.ParseRestUrl(backupUrl!.Url);
        (await SpaceClient.Repository(Space, username, secret).GetAsync(Objects.Path(instance, "gone", "data", data), Ct)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        (await repo.GetAsync(Objects.Path(instance, "gone", "data", data), Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Logs_never_contain_a_password_a_token_or_a_secret()
    {
        var password = "password-" + Guid.NewGuid().ToString("N");
        var email = $"logs-{Guid.NewGuid():N}@example.org";
        var anonymous = Space.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/accounts", new { email, password }, Ct)).EnsureSuccessStatusCode();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email, password = password + "x" }, Ct)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        var user = await SpaceClient.SignInAsync(Space, email, password);
        var token = user.Api.DefaultRequestHeaders.Authorization!.Parameter!;
        var instance = await user.RegisterInstanceAsync();
        var credential = await user.MintAsync(instance);
        var repo = user.Repository(credential);
        (await repo.CreateAsync(instance, "default")).EnsureSuccessStatusCode();
        await repo.UploadObjectAsync(instance, "default", "keys", Objects.Random(100));
        (await SpaceClient.Repository(Space, credential.Username, credential.Secret + "typo").GetAsync($"/repo/{instance}/default/keys/", Ct))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var task = (await user.BackupsAsync()).Single();
        var backupUrl = await (await user.Api.PostAsync($"/api/v1/backups/{task.Id}/backup-url", null, Ct)).Content.ReadFromJsonAsync<BackupUrlResponse>(Ct);
        var (_, readOnlySecret, _) = Objects.ParseRestUrl(backupUrl!.Url);

        Space.Logs.Entries.Should().NotBeEmpty();
        Space.Logs.Entries.Should().Contain(e => e.Contains(credential.Username, StringComparison.Ordinal), "usernames are logged, secrets not");
        foreach (var secret in new[] { password, token, credential.Secret, readOnlySecret })
        {
            Space.Logs.Entries.Should().NotContain(e => e.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Service_endpoints_answer_health_openapi_scalar_and_metrics()
    {
        var client = Space.CreateClient();
        (await client.GetStringAsync("/healthz", Ct)).Should().Be("ok");
        var openApi = await client.GetStringAsync("/openapi/v1.json", Ct);
        openApi.Should().Contain("/api/v1/backups").And.Contain("/api/v1/usage").And.Contain("/api/v1/instances/{name}/credentials");
        (await client.GetAsync("/scalar", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);

        var user = await SpaceClient.SignUpAsync(Space);
        var instance = await user.RegisterInstanceAsync();
        var repo = user.Repository(await user.MintAsync(instance));
        (await repo.CreateAsync(instance, "default")).EnsureSuccessStatusCode();
        var name = await repo.UploadObjectAsync(instance, "default", "data", Objects.Random(777));
        await repo.GetByteArrayAsync(Objects.Path(instance, "default", "data", name), Ct);

        var metrics = await client.GetStringAsync("/metrics", Ct);
        metrics.Should().Contain("cairn_space_repository_requests_total").And.Contain("cairn_space_repository_received_bytes_total")
            .And.Contain("cairn_space_repository_sent_bytes_total").And.Contain("cairn_space_stored_bytes")
            .And.Contain("http_server_request_duration_seconds");
    }
}

public sealed class AccountsSqliteSpace() : SpaceFixture(DatabaseKind.Sqlite, kestrel: false, AccountsAndInstancesTests.Settings);

public sealed class AccountsPostgresSpace() : SpaceFixture(DatabaseKind.Postgres, kestrel: false, AccountsAndInstancesTests.Settings);

public sealed class AccountsAndInstancesTestsOnSqlite(AccountsSqliteSpace fixture)
    : AccountsAndInstancesTests(fixture), IClassFixture<AccountsSqliteSpace>;

public sealed class AccountsAndInstancesTestsOnPostgres(AccountsPostgresSpace fixture)
    : AccountsAndInstancesTests(fixture), IClassFixture<AccountsPostgresSpace>;
