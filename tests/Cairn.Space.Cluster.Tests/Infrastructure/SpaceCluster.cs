using Cairn.Space.Tests.Infrastructure;
using Cairn.Testing.Servers;

namespace Cairn.Space.Cluster.Tests.Infrastructure;

/// <summary>
/// Space as operators run it: a fresh PostgreSQL database (on <c>CAIRN_TEST_POSTGRES</c>'s server), a fresh bucket
/// on the test RGW, N replica processes on loopback ports, and haproxy in front (round-robin, health checks on
/// <c>/healthz/ready</c>). Every process is killed and the database and bucket removed at the end; the tail of every
/// process's output goes to the test's output, so a failure shows what the servers said.
/// </summary>
public sealed class SpaceCluster : IAsyncDisposable
{
    public const string OperatorEmail = "operator@cluster.test";
    public const string OperatorPassword = "operator cluster password";

    private readonly string _folder;
    private readonly string _databaseName;
    private readonly int _balancerPort;

    private SpaceCluster(string folder, string databaseName, int balancerPort, string connectionString, ClusterBucket bucket, IReadOnlyList<SpaceReplica> replicas)
    {
        _folder = folder;
        _balancerPort = balancerPort;
        _databaseName = databaseName;
        ConnectionString = connectionString;
        Bucket = bucket;
        Replicas = replicas;
    }

    public string ConnectionString { get; }

    /// <summary>The cluster's temporary folder (replica data folders, logs, proxy configurations).</summary>
    public string Folder => _folder;
    public ClusterBucket Bucket { get; }
    public IReadOnlyList<SpaceReplica> Replicas { get; }

    /// <summary>haproxy; null until <see cref="StartBalancerAsync"/> (the cluster's usual start does it).</summary>
    public LoadBalancer? Balancer { get; private set; }

    /// <summary>Where clients go: the load balancer.</summary>
    public Uri Address => Balancer?.Address ?? throw new InvalidOperationException("the cluster has no load balancer yet");

    /// <summary>The object-store prefix every task lives under: <c>{prefix}/{instance id}/{task id}/</c>.</summary>
    public const string Prefix = "space";

    /// <summary>Starts the whole cluster and waits until haproxy sees every replica ready.</summary>
    public static async Task<SpaceCluster> StartAsync(int replicas = 3, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = await CreateAsync(replicas, settings);
        try
        {
            foreach (var replica in cluster.Replicas)
            {
                await replica.StartAsync();
            }

            await Task.WhenAll(cluster.Replicas.Select(r => r.WaitReadyAsync()));
            await cluster.StartBalancerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database, bucket and replicas, none started (for tests of the start itself).</summary>
    public static async Task<SpaceCluster> CreateAsync(int replicas = 3, IReadOnlyDictionary<string, string>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cairn-cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connectionString = TestPostgres.NewDatabase(out var databaseName);
        var bucket = await ClusterBucket.CreateAsync();
        var balancerPort = FreePort.Next();
        var environment = Environment(connectionString, bucket, balancerPort, settings);
        var members = Enumerable.Range(1, replicas)
            .Select(i => new SpaceReplica($"space{i}", FreePort.Next(), Path.Combine(folder, $"space{i}"), folder, environment))
            .ToList();
        return new SpaceCluster(folder, databaseName, balancerPort, connectionString, bucket, members);
    }

    public async Task StartBalancerAsync()
    {
        Balancer = await LoadBalancer.StartHaproxyAsync(Replicas, _folder, _balancerPort);
        await WaitBalancedAsync(Replicas.Count);
    }

    /// <summary>Waits until <paramref name="count"/> different replicas have answered through haproxy (its checks passed).</summary>
    public async Task WaitBalancedAsync(int count)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (seen.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("/healthz/ready");
                if (response.IsSuccessStatusCode && response.Headers.TryGetValues(LoadBalancer.ReplicaHeader, out var names))
                {
                    seen.UnionWith(names);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(seen.Count < count ? 100 : 0);
        }

        seen.Count.Should().BeGreaterThanOrEqualTo(count, $"haproxy should route to {count} replicas:\n{Diagnostics()}");
    }

    /// <summary>The operator account the replicas seed from their configuration.</summary>
    public Task<SpaceClient> OperatorAsync() => SpaceClient.SignInAsync(Address, OperatorEmail, OperatorPassword);

    /// <summary>The last lines of every process's output, for failure messages.</summary>
    public string Diagnostics(int lines = 40)
    {
        var parts = Replicas.Select(r => (r.Id, r.Output)).ToList();
        if (Balancer is not null)
        {
            parts.Add(("load balancer", Balancer.Output));
        }

        return string.Join('\n', parts.Select(p => $"==== {p.Item1}\n{string.Join('\n', p.Item2.Split('\n').TakeLast(lines))}"));
    }

    public async ValueTask DisposeAsync()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(Diagnostics());
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }

        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }

        await Bucket.DisposeAsync();
        await TestPostgres.DropAsync(_databaseName);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Dictionary<string, string> Environment(string connectionString, ClusterBucket bucket, int balancerPort,
        IReadOnlyDictionary<string, string>? settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__Space"] = connectionString,
            // The URLs handed out name the load balancer, whose X-Forwarded-* headers the replicas believe.
            ["Space__PublicUrl"] = $"http://127.0.0.1:{balancerPort}",
            ["Space__KnownProxies"] = "127.0.0.1",
            ["Space__AdminEmail"] = OperatorEmail,
            ["Space__AdminPassword"] = OperatorPassword,
            ["Space__Storage__Kind"] = "s3",
            ["Space__Storage__S3__Endpoint"] = ClusterBucket.Endpoint.GetLeftPart(UriPartial.Authority),
            ["Space__Storage__S3__Bucket"] = bucket.Name,
            ["Space__Storage__S3__Prefix"] = Prefix,
            ["AWS_ACCESS_KEY_ID"] = Cairn.Storage.Testing.TestRgw.Credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = Cairn.Storage.Testing.TestRgw.Credentials.SecretAccessKey,
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in SpaceFactory.GenerousLimits)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }
}
