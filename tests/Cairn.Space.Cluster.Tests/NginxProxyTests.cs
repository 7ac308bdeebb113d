using Cairn.Space.Cluster.Tests.Infrastructure;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Cluster.Tests;

/// <summary>The sample nginx site (deploy/nginx/cairn-space.conf) in front of two replicas: restic backs up and checks through it.</summary>
public sealed class NginxProxyTests
{
    [Fact]
    public async Task Restic_backs_up_and_checks_through_the_sample_nginx_configuration_spread_over_the_replicas()
    {
        await using var cluster = await SpaceCluster.StartAsync(replicas: 2);
        await using var nginx = await LoadBalancer.StartNginxAsync(cluster.Replicas, cluster.Folder);
        nginx.Configuration.Should().Contain("proxy_request_buffering off", "the test runs the sample as shipped");

        var owner = await SpaceClient.SignUpAsync(nginx.Address);
        var instance = await owner.RegisterInstanceAsync();
        var credential = await owner.MintAsync(instance, task: "through-nginx");
        // The URL names Space:PublicUrl (haproxy); the same repository is asked for at nginx instead.
        var url = new UriBuilder(credential.RepositoryUrl["rest:".Length..]) { Host = "127.0.0.1", Port = nginx.Address.Port }.Uri;
        var restic = new Restic("rest:" + url);
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = Trees.MakeSource(cluster.Folder, 3_000_000);
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        (await restic.RunAsync("check", "--read-data")).EnsureSuccess();

        // Requests went to both replicas: nginx names the upstream that answered.
        using var http = new HttpClient { BaseAddress = nginx.Address };
        var upstreams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10; i++)
        {
            using var response = await http.GetAsync("/healthz/ready", TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            upstreams.UnionWith(response.Headers.GetValues(LoadBalancer.ReplicaHeader));
        }

        upstreams.Should().BeEquivalentTo(cluster.Replicas.Select(r => $"127.0.0.1:{r.Port}"));
        (await owner.BackupsAsync()).Should().ContainSingle(t => t.Name == "through-nginx" && t.LatestSnapshotAt != null);
    }
}
