using Cairn.Testing.Processes;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cairn.Testing.Servers;

namespace Cairn.Space.Cluster.Tests.Infrastructure;

/// <summary>
/// A reverse proxy in front of the replicas, from the sample configuration in <c>deploy/</c> that operators are shown:
/// the file's own <c>bind</c>/<c>listen</c> and <c>server</c> lines get this run's loopback ports, the rest is kept.
/// </summary>
public sealed partial class LoadBalancer : IAsyncDisposable
{
    /// <summary>The header both samples add, naming the replica that answered (haproxy: its server name).</summary>
    public const string ReplicaHeader = "X-Cairn-Replica";

    private readonly RunningProgram _process;

    private LoadBalancer(RunningProgram process, int port, string configuration)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        Configuration = configuration;
    }

    public Uri Address { get; }

    /// <summary>The configuration the proxy runs, as written for this run.</summary>
    public string Configuration { get; }

    public string Output => _process.Output;

    /// <summary>haproxy with <c>deploy/haproxy/cairn-space.cfg</c>: round-robin, health checks on /healthz/ready.</summary>
    public static async Task<LoadBalancer> StartHaproxyAsync(IReadOnlyList<SpaceReplica> replicas, string folder, int port)
    {
        var sample = File.ReadAllText(RepositoryRoot.File("deploy", "haproxy", "cairn-space.cfg"));
        var servers = string.Join('\n', replicas.Select(r => $"    server {r.Id} 127.0.0.1:{r.Port}"));
        var configuration = ReplaceLines(ServerLines(), HaproxyBind().Replace(sample, $"    bind 127.0.0.1:{port}", 1), servers);
        var path = Path.Combine(folder, "haproxy.cfg");
        File.WriteAllText(path, configuration);

        var start = ProgramStart.Of("/usr/sbin/haproxy", "-db", "-f", path);

        var balancer = new LoadBalancer(RunningProgram.Start(start with { LogPath = Path.Combine(folder, "haproxy.log"), Timeout = TimeSpan.FromMinutes(20) }), port, configuration);
        await balancer.WaitListeningAsync();
        return balancer;
    }

    /// <summary>nginx with <c>deploy/nginx/cairn-space.conf</c> as its one site, in a prefix folder of its own.</summary>
    public static async Task<LoadBalancer> StartNginxAsync(IReadOnlyList<SpaceReplica> replicas, string folder)
    {
        var port = FreePort.Next();
        var prefix = Path.Combine(folder, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var sample = File.ReadAllText(RepositoryRoot.File("deploy", "nginx", "cairn-space.conf"));
        var servers = string.Join('\n', replicas.Select(r => $"    server 127.0.0.1:{r.Port} max_fails=2 fail_timeout=5s;"));
        var site = NginxListen().Replace(sample, $"    listen 127.0.0.1:{port};", 1);
        site = ReplaceLines(NginxServerLines(), site, servers);
        File.WriteAllText(Path.Combine(prefix, "cairn-space.conf"), site);
        // The main file a distribution's nginx.conf would be: the site is included into http {} unchanged.
        var main = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(main, $$"""
            pid {{prefix}}/nginx.pid;
            error_log stderr notice;
            worker_processes 1;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                include {{prefix}}/cairn-space.conf;
            }
            """);

        var start = ProgramStart.Of("/usr/sbin/nginx", "-p", prefix, "-c", main, "-g", "daemon off;");

        var balancer = new LoadBalancer(RunningProgram.Start(start with { LogPath = Path.Combine(folder, "nginx.log"), Timeout = TimeSpan.FromMinutes(20) }), port, site);
        await balancer.WaitListeningAsync();
        return balancer;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"`{_process.Command}` exited at start:\n{Output}\n{Configuration}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Address.Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"`{_process.Command}` did not listen on {Address}:\n{Output}");
    }

    /// <summary>The sample's server lines out, this run's in where the first one was.</summary>
    private static string ReplaceLines(Regex lines, string text, string replacement)
    {
        var first = lines.Match(text);
        if (!first.Success)
        {
            throw new InvalidOperationException($"the sample configuration has no server lines ({lines}):\n{text}");
        }

        var rest = lines.Replace(text[first.Index..], "");
        return text[..first.Index] + replacement + "\n" + rest;
    }

    [GeneratedRegex(@"^\s*bind \S+$", RegexOptions.Multiline)]
    private static partial Regex HaproxyBind();

    [GeneratedRegex(@"^\s*server space\d+ \S+\n?", RegexOptions.Multiline)]
    private static partial Regex ServerLines();

    [GeneratedRegex(@"^\s*listen \S+;$", RegexOptions.Multiline)]
    private static partial Regex NginxListen();

    [GeneratedRegex(@"^\s*server 127\.0\.0\.1:\d+ [^\n]*;\n?", RegexOptions.Multiline)]
    private static partial Regex NginxServerLines();
}
