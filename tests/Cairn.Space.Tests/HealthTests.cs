using System.Net;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests;

/// <summary>Liveness and readiness as load balancers ask for them.</summary>
public sealed class HealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_when_database_and_store_answer_and_not_when_the_store_is_gone()
    {
        await using var space = new SpaceFactory(DatabaseKind.Sqlite, kestrel: false);
        var client = space.CreateClient();
        var ready = await client.GetAsync("/healthz/ready", Ct);
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync(Ct)).Should().Be("ready");

        // The repositories folder replaced by a file: the store cannot be used, the process still lives.
        Directory.Delete(space.RepositoriesPath, recursive: true);
        await File.WriteAllTextAsync(space.RepositoriesPath, "not a folder", Ct);
        var notReady = await client.GetAsync("/healthz/ready", Ct);
        notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await notReady.Content.ReadAsStringAsync(Ct)).Should().Be("not ready: store (the reason is in Space's log)");
        (await client.GetStringAsync("/healthz", Ct)).Should().Be("ok", "liveness does not depend on the store");
    }

    [Fact]
    public async Task Not_ready_naming_the_database_when_it_is_gone()
    {
        await using var space = new SpaceFactory(DatabaseKind.Postgres, kestrel: false);
        var client = space.CreateClient();
        (await client.GetStringAsync("/healthz/ready", Ct)).Should().Be("ready");

        await TestPostgres.DropAsync(new Npgsql.NpgsqlConnectionStringBuilder(space.PostgresConnection).Database!);
        var notReady = await client.GetAsync("/healthz/ready", Ct);
        notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await notReady.Content.ReadAsStringAsync(Ct)).Should().Be("not ready: database (the reason is in Space's log)");
        (await client.GetStringAsync("/healthz", Ct)).Should().Be("ok");
    }

    [Fact]
    public async Task On_S3_ready_while_the_bucket_answers_and_503_naming_the_store_when_it_does_not()
    {
        await using var space = new SpaceFactory(DatabaseKind.Sqlite, kestrel: false, s3Prefix: SpaceFactory.NewS3Prefix);
        var client = space.CreateClient();
        (await client.GetStringAsync("/healthz/ready", Ct)).Should().Be("ready");

        // Nothing listens on the discard port: the store is unreachable, the replica starts and says so.
        await using var cut = new SpaceFactory(DatabaseKind.Sqlite, kestrel: false, TestS3.Settings(TestS3.NewPrefix(), "http://127.0.0.1:9"));
        var cutClient = cut.CreateClient();
        var notReady = await cutClient.GetAsync("/healthz/ready", Ct);
        notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await notReady.Content.ReadAsStringAsync(Ct)).Should().Be("not ready: store (the reason is in Space's log)",
            "a client outside the service networks learns which dependency failed, not its address");
        (await cutClient.GetStringAsync("/healthz", Ct)).Should().Be("ok");
    }

    [Fact]
    public async Task A_client_on_the_service_networks_reads_the_reason()
    {
        // Kestrel on loopback: the request comes from 127.0.0.1, a service network by default.
        await using var cut = new SpaceFactory(DatabaseKind.Sqlite, kestrel: true, TestS3.Settings(TestS3.NewPrefix(), "http://127.0.0.1:9"));
        cut.StartServer();
        using var client = new HttpClient { BaseAddress = cut.ListenAddress };

        var notReady = await client.GetAsync("/healthz/ready", Ct);

        notReady.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var text = await notReady.Content.ReadAsStringAsync(Ct);
        text.Should().StartWith("not ready: store: ").And.NotContain("the reason is in Space's log");
    }

    [Theory]
    [InlineData("Space:Storage:Kind", "floppy", "Space:Storage:Kind is 'floppy'")]
    [InlineData("Space:Storage:S3:Bucket", "", "Space:Storage:S3:Bucket is required")]
    [InlineData("Space:Storage:S3:Bucket", "Not_A_Bucket", "is not a bucket name")]
    [InlineData("Space:Storage:S3:Endpoint", "http://127.0.0.1:7480/path", "Space:Storage:S3:Endpoint must be")]
    [InlineData("Space:Storage:S3:SecretKey", "", "needs Space:Storage:S3:AccessKey and :SecretKey")]
    public async Task Bad_storage_settings_stop_the_start_with_one_clear_message(string key, string value, string message)
    {
        var settings = TestS3.Settings(TestS3.NewPrefix());
        settings[key] = value;
        var refused = await RefusedStart.RunAsync(settings);
        refused.ExitCode.Should().NotBe(0, "Space does not start on a bad setting");
        refused.Output.Should().Contain(message);
    }
}
