using System.Globalization;
using System.Net.Sockets;
using Cairn.Platform;
using Cairn.Space.Tests.Infrastructure;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// A second host for the ssh driver: a network namespace reached over a veth pair (10.231.x.1 here, .2 there), a
/// throwaway user whose restores land in <see cref="TargetFolder"/>, and Debian's sshd started inside the namespace
/// with its own host key, config, pid file and a DEBUG3 log. Needs root; <see cref="DisposeAsync"/> removes all of it.
/// </summary>
public sealed class SshTestHost : IAsyncDisposable
{
    public const string Tcpdump = "/usr/bin/tcpdump";
    private const string Sshd = "/usr/sbin/sshd";
    private readonly List<Func<Task>> _undo = [];
    private RunningProgram? _sshd;

    private static readonly SemaphoreSlim s_choosing = new(1, 1);
    private static readonly HashSet<int> s_subnetsTaken = [];
    private readonly int _subnet;

    private SshTestHost(string suffix, int subnet)
    {
        _subnet = subnet;
        Namespace = $"cairn-ssh-{suffix}";
        HostVeth = $"cs{suffix}h";
        User = $"cairnssh{suffix}";
        HostAddress = $"10.231.{subnet}.1";
        Address = $"10.231.{subnet}.2";
        Scratch = Path.Combine(Path.GetTempPath(), "cairn-sshhost-tests", suffix);
    }

    public string Namespace { get; }
    public string HostVeth { get; }
    public string User { get; }
    public string HostAddress { get; }

    /// <summary>The server's address, inside the namespace.</summary>
    public string Address { get; }

    public string Scratch { get; }
    public string Home => Path.Combine(Scratch, "home");
    public string TargetFolder => Path.Combine(Scratch, "restores");
    public string AuthorizedKeys => Path.Combine(Home, ".ssh", "authorized_keys");
    public string SshdLog => Path.Combine(Scratch, "sshd.log");

    /// <summary>The server's public host key, <c>ssh-ed25519 AAAA...</c>.</summary>
    public string HostKey { get; private set; } = "";

    public (uint Uid, uint Gid) Account { get; private set; }

    /// <summary>Why this machine cannot host the test (not root), or null when it can.</summary>
    public static string? WhyNot() => PosixFileSystem.EffectiveUserId == 0
        ? null
        : "the ssh driver test makes a network namespace, a veth pair and a user: it must run as root (it does in CI)";

    public static async Task<SshTestHost> StartAsync()
    {
        if (!File.Exists(Sshd) || !File.Exists(Tcpdump) || !File.Exists("/usr/bin/ssh"))
        {
            throw new InvalidOperationException("the ssh driver test needs Debian's openssh-server, openssh-client and tcpdump (test.sh installs them)");
        }

        await SweepStaleAsync();
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var host = new SshTestHost(suffix, await TakeSubnetAsync());
        try
        {
            await host.SetUpAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lets Space's key in: the line its admin endpoint showed.</summary>
    public async Task AuthorizeAsync(string publicKey)
    {
        await File.WriteAllTextAsync(AuthorizedKeys, publicKey.Trim() + "\n");
        await RunAsync("chown", $"{User}:{User}", AuthorizedKeys);
        PosixFileSystem.SetPermissions(RawPath.FromString(AuthorizedKeys), 0x180); // 0600
    }

    public async ValueTask DisposeAsync()
    {
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }

        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            try
            {
                await _undo[i]();
            }
            catch (InvalidOperationException)
            {
                // Best effort: the next step may still succeed.
            }
        }

        lock (s_subnetsTaken)
        {
            s_subnetsTaken.Remove(_subnet); // after the namespace and its veth are gone
        }
    }

    private async Task SetUpAsync()
    {
        Directory.CreateDirectory(Scratch);
        PosixFileSystem.SetPermissions(RawPath.FromString(Scratch), 0x1ED); // 0755: the user passes through
        _undo.Add(() =>
        {
            if (Directory.Exists(Scratch))
            {
                Directory.Delete(Scratch, recursive: true);
            }

            return Task.CompletedTask;
        });

        await RunAsync("ip", "netns", "add", Namespace);
        _undo.Add(() => RunAsync("ip", "netns", "delete", Namespace));
        await RunAsync("ip", "link", "add", HostVeth, "type", "veth", "peer", "name", $"cs{Namespace[^6..]}n");
        _undo.Add(() => RunAsync("ip", "link", "delete", HostVeth));
        await RunAsync("ip", "link", "set", $"cs{Namespace[^6..]}n", "netns", Namespace);
        await RunAsync("ip", "addr", "add", $"{HostAddress}/30", "dev", HostVeth);
        await RunAsync("ip", "link", "set", HostVeth, "up");
        await RunAsync("ip", "netns", "exec", Namespace, "ip", "addr", "add", $"{Address}/30", "dev", $"cs{Namespace[^6..]}n");
        await RunAsync("ip", "netns", "exec", Namespace, "ip", "link", "set", $"cs{Namespace[^6..]}n", "up");
        await RunAsync("ip", "netns", "exec", Namespace, "ip", "link", "set", "lo", "up");

        // Password '*': no password signs in, yet the account is not locked ('!'), which sshd without PAM refuses.
        await RunAsync("useradd", "--no-create-home", "--home-dir", Home, "--shell", "/bin/sh", "--user-group", "--password", "*", User);
        _undo.Add(() => RunAsync("userdel", User));
        var account = PosixFileSystem.UserAccount(User) ?? throw new InvalidOperationException($"useradd made no {User}");
        Account = (account.Uid, account.Gid);
        Directory.CreateDirectory(Path.Combine(Home, ".ssh"));
        Directory.CreateDirectory(TargetFolder);
        await RunAsync("chown", "-R", $"{User}:{User}", Home, TargetFolder);
        PosixFileSystem.SetPermissions(RawPath.FromString(Home), 0x1C0);
        PosixFileSystem.SetPermissions(RawPath.FromString(Path.Combine(Home, ".ssh")), 0x1C0);
        PosixFileSystem.SetPermissions(RawPath.FromString(TargetFolder), 0x1ED);

        var hostKey = Path.Combine(Scratch, "ssh_host_ed25519_key");
        await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "cairn-ssh-test-host", "-f", hostKey);
        HostKey = (await File.ReadAllTextAsync(hostKey + ".pub")).Trim();
        var config = Path.Combine(Scratch, "sshd_config");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"ListenAddress {Address}",
            "Port 22",
            $"HostKey {hostKey}",
            $"PidFile {Path.Combine(Scratch, "sshd.pid")}",
            $"AuthorizedKeysFile {AuthorizedKeys}",
            $"AllowUsers {User}",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin no",
            "AllowTcpForwarding no",
            "AllowAgentForwarding no",
            "X11Forwarding no",
            "PermitTTY no",
            "LogLevel DEBUG3",
            ""));

        Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation folder
        _sshd = Programs.StartLogged(SshdLog, TimeSpan.FromMinutes(15), "ip", "netns", "exec", Namespace, Sshd, "-D", "-e", "-f", config);
        await WaitListeningAsync();
    }

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Address, 22);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && _sshd is { HasExited: false })
            {
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"sshd in {Namespace} does not listen on {Address}:22: {e.Message}\n{await File.ReadAllTextAsync(SshdLog)}");
            }
        }
    }

    private static async Task RunAsync(string program, params string[] arguments) => (await Programs.RunAsync(program, arguments)).EnsureSuccess();

    /// <summary>
    /// A 10.231.x.0/30 no other host of this test run and no address on this machine uses: two hosts on one subnet
    /// would route one test's ssh to the other's sshd (seen in CI as "REMOTE HOST IDENTIFICATION HAS CHANGED").
    /// </summary>
    private static async Task<int> TakeSubnetAsync()
    {
        await s_choosing.WaitAsync();
        try
        {
            var addresses = (await Programs.RunAsync("ip", "-4", "-o", "addr", "show")).Output;
            for (var attempt = 0; ; attempt++)
            {
                var subnet = System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 256);
                lock (s_subnetsTaken)
                {
                    if (!s_subnetsTaken.Contains(subnet) && !addresses.Contains($" 10.231.{subnet}.", StringComparison.Ordinal))
                    {
                        s_subnetsTaken.Add(subnet);
                        return subnet;
                    }
                }

                if (attempt > 1000)
                {
                    throw new InvalidOperationException("no free 10.231.x.0/30 subnet for the ssh test host");
                }
            }
        }
        finally
        {
            s_choosing.Release();
        }
    }

    /// <summary>
    /// Removes what a killed run left: namespaces of this kind with no process inside that are older than any live
    /// test could be (sshd runs at most 15 minutes), their veth pairs (which go with the namespace) and users.
    /// </summary>
    private static async Task SweepStaleAsync()
    {
        const string netnsFolder = "/run/netns";
        if (!Directory.Exists(netnsFolder))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(netnsFolder, "cairn-ssh-*"))
        {
            var name = Path.GetFileName(path);
            if (File.GetLastWriteTimeUtc(path) > DateTime.UtcNow.AddMinutes(-20)
                || (await Programs.RunAsync("ip", "netns", "pids", name)).Output.Trim().Length > 0)
            {
                continue;
            }

            var suffix = name["cairn-ssh-".Length..];
            await Programs.RunAsync("ip", "netns", "delete", name);
            await Programs.RunAsync("ip", "link", "delete", $"cs{suffix}h");
            await Programs.RunAsync("userdel", $"cairnssh{suffix}");
            var scratch = Path.Combine(Path.GetTempPath(), "cairn-sshhost-tests", suffix);
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>A catalog with one ssh provider for this host, priced as <see cref="TestCatalog"/> (so the same expectations hold).</summary>
    public string CatalogJson(string provider, string region, string hardware) => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "currency": "EUR",
          "providers": [
            {
              "id": "{{provider}}", "name": "The test's own server", "driver": "ssh",
              "ssh": { "host": "{{Address}}", "port": 22, "user": "{{User}}", "targetFolder": "{{TargetFolder}}", "hostKey": "{{HostKey}}" },
              "regions": [ { "id": "{{region}}", "name": "Namespace", "hardware": [
                { "id": "{{hardware}}", "name": "Box", "vcpu": 1, "memoryGb": 1, "diskGb": 1, "monthlyPrice": {{TestCatalog.MonthlyPrice}},
                  "includedStorageGb": {{TestCatalog.IncludedStorageGb}}, "includedTrafficGb": {{TestCatalog.IncludedTrafficGb}} } ] } ],
              "storageTiers": [ { "upToGb": null, "pricePerGbMonth": {{TestCatalog.StoragePerGbMonth}} } ],
              "bandwidthTiers": [ { "upToGb": null, "pricePerGb": {{TestCatalog.TrafficPerGb}} } ]
            }
          ]
        }
        """);
}
