using System.Net;
using Cairn.Space.Backups.Protocol;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Storage;
using Cairn.Storage.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests;

/// <summary>
/// A store that fails for a while (an S3 timeout, a 5xx from RGW) behind the REST protocol: 503 with Retry-After, so
/// restic waits and tries again, and the retry succeeds once the store answers; permanent failures stay 500.
/// </summary>
public abstract class StorageTroubleTests(StorageTroubleSpace fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Factory;

    private FaultyRepositoryStorage Storage => Space.Services.GetRequiredService<FaultyRepositoryStorage>();

    private async Task<(SpaceClient Owner, string Instance, HttpClient Repo)> NewRepositoryAsync(string task = "main")
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var repo = owner.Repository(await owner.MintAsync(instance, task: task));
        (await repo.CreateAsync(instance, task)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (owner, instance, repo);
    }

    private static async Task ShouldBeUnavailableAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(StorageTroubleFilter.RetryAfterSeconds));
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync(Ct)).Should().Be(StorageTroubleFilter.Message + "\n");
    }

    [Fact]
    public async Task An_upload_the_store_times_out_on_is_503_and_its_retry_stores_and_counts_it_once()
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        var content = Objects.Random(2000);
        var path = Objects.Path(instance, "main", "data", Objects.NameOf(content));

        Storage.FailNext(StoreOperation.Save, kind: ObjectKind.Pack);
        try
        {
            await ShouldBeUnavailableAsync(await repo.UploadAsync(path, content));
        }
        finally
        {
            Storage.Heal();
        }

        var task = (await owner.BackupsAsync()).Should().ContainSingle().Subject;
        task.StorageBytes.Should().Be(0, "nothing was stored");
        Space.Logs.Entries.Should().ContainSingle(e => e.Contains(nameof(StorageTroubleFilter), StringComparison.Ordinal)
                                                      && e.Contains(path, StringComparison.Ordinal))
            .Which.Should().Contain("Warning").And.Contain(task.Id.ToString());

        (await repo.UploadAsync(path, content)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.GetByteArrayAsync(path, Ct)).Should().Equal(content);
        (await owner.BackupsAsync()).Single().StorageBytes.Should().Be(2000);
    }

    [Theory]
    [InlineData(StoreOperation.Stat)]
    [InlineData(StoreOperation.OpenRead)]
    public async Task A_download_the_store_fails_is_503_without_the_object_headers_and_its_retry_sends_it(StoreOperation failing)
    {
        var (_, instance, repo) = await NewRepositoryAsync();
        var content = Objects.Random(3000);
        var name = await repo.UploadObjectAsync(instance, "main", "data", content);
        var path = Objects.Path(instance, "main", "data", name);

        Storage.FailNext(failing);
        try
        {
            var response = await repo.GetAsync(path, Ct);
            await ShouldBeUnavailableAsync(response);
            response.Content.Headers.ContentLength.Should().Be(StorageTroubleFilter.Message.Length + 1, "not the object's length");
            response.Headers.AcceptRanges.Should().BeEmpty();
        }
        finally
        {
            Storage.Heal();
        }

        (await repo.GetByteArrayAsync(path, Ct)).Should().Equal(content);
    }

    [Theory]
    [InlineData(StoreOperation.Stat)]
    [InlineData(StoreOperation.OpenRead)]
    [InlineData(StoreOperation.List)]
    public async Task The_browse_route_answers_a_store_failure_with_503_as_the_repository_routes_do(StoreOperation failing)
    {
        var (owner, instance, repo) = await NewRepositoryAsync();
        var name = await repo.UploadObjectAsync(instance, "main", "keys", Objects.Random(400));
        var taskId = (await owner.BackupsAsync()).Single().Id;
        var browser = ConsoleSession.Over(Space.ListenAddress); // this Space is on Kestrel
        (await browser.SignInAsync(owner.Email, SpaceClient.Password)).StatusCode.Should().Be(HttpStatusCode.Found);
        var path = failing == StoreOperation.List ? $"/browse-repo/{taskId}/keys/" : $"/browse-repo/{taskId}/keys/{name}";

        Storage.FailNext(failing);
        try
        {
            await ShouldBeUnavailableAsync(await browser.GetAsync(path));
        }
        finally
        {
            Storage.Heal();
        }

        (await browser.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Listings_and_deletes_the_store_fails_are_503_and_their_retries_succeed()
    {
        var (_, instance, repo) = await NewRepositoryAsync();
        var name = await repo.UploadObjectAsync(instance, "main", "keys", Objects.Random(400));
        var listing = Objects.Path(instance, "main", "keys") + "/";
        var key = Objects.Path(instance, "main", "keys", name);

        Storage.FailNext(StoreOperation.List);
        Storage.FailNext(StoreOperation.Delete);
        try
        {
            await ShouldBeUnavailableAsync(await repo.GetAsync(listing, Ct));
            await ShouldBeUnavailableAsync(await repo.DeleteAsync(key, Ct));
        }
        finally
        {
            Storage.Heal();
        }

        (await repo.GetStringAsync(listing, Ct)).Should().Contain(name);
        (await repo.DeleteAsync(key, Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await repo.GetStringAsync(listing, Ct)).Should().Be("[]");
    }

    [Fact]
    public async Task A_permanent_storage_failure_is_still_500_without_retry_after()
    {
        var (_, instance, repo) = await NewRepositoryAsync();
        var content = Objects.Random(500);

        Storage.FailNext(StoreOperation.Save, kind: ObjectKind.Pack, transient: false);
        try
        {
            var response = await repo.UploadAsync(Objects.Path(instance, "main", "data", Objects.NameOf(content)), content);
            response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
            response.Headers.RetryAfter.Should().BeNull();
        }
        finally
        {
            Storage.Heal();
        }
    }

    [Fact]
    public async Task Restic_retries_the_uploads_the_store_failed_and_its_backup_succeeds()
    {
        var owner = await SpaceClient.SignUpAsync(Space);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, task: "photos");
        var restic = new Restic($"rest:http://{credential.Username}:{credential.Secret}@{Space.ListenAddress.Authority}/repo/{instance}/photos/");
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(Space.DataPath, 300_000);

        Storage.FailNext(StoreOperation.Save, times: 2, kind: ObjectKind.Pack);
        Restic.Result backup;
        try
        {
            backup = await restic.RunAsync("backup", source);
        }
        finally
        {
            Storage.Heal();
        }

        backup.EnsureSuccess();
        Storage.Failed(StoreOperation.Save).Should().BeGreaterThanOrEqualTo(2);
        backup.Error.Should().Contain("503");
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess().Output.Should().Contain("no errors were found");
    }
}

/// <summary>A Space on Kestrel (for restic) whose storage can be made to fail.</summary>
public abstract class StorageTroubleSpace(DatabaseKind database)
    : SpaceFixture(database, kestrel: true, testServices: FaultyRepositoryStorage.Install);

public sealed class StorageTroubleSqliteSpace() : StorageTroubleSpace(DatabaseKind.Sqlite);

public sealed class StorageTroublePostgresSpace() : StorageTroubleSpace(DatabaseKind.Postgres);

public sealed class StorageTroubleTestsOnSqlite(StorageTroubleSqliteSpace fixture)
    : StorageTroubleTests(fixture), IClassFixture<StorageTroubleSqliteSpace>;

public sealed class StorageTroubleTestsOnPostgres(StorageTroublePostgresSpace fixture)
    : StorageTroubleTests(fixture), IClassFixture<StorageTroublePostgresSpace>;
