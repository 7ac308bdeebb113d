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
        (await notReady.Content.ReadAsStringAsync(Ct)).Should().StartWith("not ready: store: ").And.NotContain("database");
        (await client.GetStringAsync("/healthz", Ct)).Should().Be("ok", "liveness does not depend on the store");
    }
}
