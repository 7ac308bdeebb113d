using System.Net;
using System.Net.Http.Json;
using System.Text;
using Cairn.Platform;
using Cairn.Space.CloudRestore;
using Cairn.Space.CloudRestore.Ssh;
using Cairn.Space.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Space.Tests.Cloud;

/// <summary>
/// The ssh driver restoring onto a real second host: a network namespace with Debian's sshd (<see cref="SshTestHost"/>),
/// reached over a veth pair, so the restore really crosses a network. Order, payment, a wrong password refused on
/// that host, the right one, a tree of names that are not UTF-8, symlinks and hard links restored and verified there
/// as its user (and not under Space's data folder), Return wiping it with a pro-rata refund; and the password in no
/// process's command line or environment during the restore, not in sshd's log, not in a capture of the traffic,
/// not in Space's database, data folder or logs.
/// </summary>
public abstract class SshDriverTests(DatabaseKind database)
{
    private const string Provider = "ownserver";
    private const string Region = "netns";
    private const string Hardware = "box";
    private const uint OwnerOnly = 0x1C0; // 0700

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_restore_runs_on_the_ssh_host_as_its_user_verified_with_the_password_only_inside_the_session_and_return_wipes_it()
    {
        Assert.SkipWhen(SshTestHost.WhyNot() is not null, SshTestHost.WhyNot() ?? "");
        await using var host = await SshTestHost.StartAsync();
        await using var space = new CloudSpace(database);
        await File.WriteAllTextAsync(space.CatalogPath, host.CatalogJson(Provider, Region, Hardware), Ct);
        await space.StartAsync();
        var password = $"ssh restore password {Guid.NewGuid():N}"; // unique: no other test's process can hold it
        var wrongPassword = $"not the password {Guid.NewGuid():N}";

        // The operator reads Space's public key for this provider and authorises it on the server; a tenant may not.
        var owner = await CloudClient.SignUpAsync(space);
        (await owner.Api.GetAsync($"/api/v1/admin/providers/{Provider}/ssh-key", Ct)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var admin = await CloudClient.OperatorAsync(space);
        var key = (await admin.Api.GetFromJsonAsync<SshKeyResponse>($"/api/v1/admin/providers/{Provider}/ssh-key", Ct))!;
        key.PublicKey.Should().StartWith("ssh-ed25519 ");
        key.Destination.Should().Be($"{host.User}@{host.Address}:22");
        (await admin.Api.GetFromJsonAsync<SshKeyResponse>($"/api/v1/admin/providers/{Provider}/ssh-key", Ct))!.PublicKey.Should().Be(key.PublicKey, "made once");
        (await admin.Api.GetAsync("/api/v1/admin/providers/nope/ssh-key", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.Api.GetStringAsync("/api/v1/catalog", Ct)).Should().NotContain(host.Address, "the server is the operator's business");
        await host.AuthorizeAsync(key.PublicKey);

        var source = RawDisk.MakeOddTree(space.DataPath);
        var (_, taskId) = await owner.BackUpWithCairnAsync(space, source, "odd", password);
        var task = (await owner.Api.GetFromJsonAsync<Backups.BackupDetailsResponse>($"/api/v1/backups/{taskId}", Ct))!;

        var capture = Path.Combine(host.Scratch, "session.pcap");
        await using var tcpdump = Programs.StartLogged(Path.Combine(host.Scratch, "tcpdump.log"), TimeSpan.FromMinutes(10),
            SshTestHost.Tcpdump, "-i", host.HostVeth, "-U", "-s", "0", "-n", "-w", capture, "tcp", "port", "22");
        await WaitUntilAsync(() => File.Exists(capture), "tcpdump opens its capture");
        using var scan = new ProcessScan(password);

        // A wrong password is refused before anything is ordered or paid.
        var wrong = await owner.Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = taskId, provider = Provider, region = Region, hardware = Hardware, instanceName = "on-my-server", password = wrongPassword,
        }, Ct);
        wrong.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await wrong.Content.ReadAsStringAsync(Ct)).Should().Contain("password is wrong");

        // The right password places the order (unpaid: no balance yet). Space forgets it, as a restart would, so the
        // paid install stops and asks for it again, with nothing restored.
        var order = (await (await owner.Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = taskId, provider = Provider, region = Region, hardware = Hardware, instanceName = "on-my-server", password,
        }, Ct)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        order.State.Should().Be("Unpaid");
        space.Running.Services.GetRequiredService<BackupPasswordHolder>().Forget(order.Id);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{owner.Email}/top-up", new { amount = 500m }, Ct)).EnsureSuccessStatusCode();
        var paidAt = space.Clock.GetUtcNow();
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/pay", new { }, Ct)).EnsureSuccessStatusCode();

        var refused = await owner.WaitForAsync(order.Id, "Restore_error", 120);
        refused.Reason.Should().Contain("Enter the backup password again");
        var folder = Path.Combine(host.TargetFolder, order.Id.ToString("N"));
        var disk = Path.Combine(folder, "disk");
        var remoteDisk = $"ssh://{host.User}@{host.Address}:22{disk}";
        (refused.Disk is null || refused.Disk == remoteDisk).Should().BeTrue($"the disk is on the server ({refused.Disk})");
        (!Directory.Exists(disk) || !Directory.EnumerateFileSystemEntries(disk).Any()).Should().BeTrue("nothing is restored without the password");

        // The right password: restored and verified on the server, by its user, in the instance's folder.
        (await owner.Api.PostAsJsonAsync($"/api/v1/restores/{order.Id}/password", new { password }, Ct)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var running = await owner.WaitForAsync(order.Id, "Running", 180);
        scan.Stop();
        await tcpdump.StopAsync(TimeSpan.FromSeconds(5)); // SIGTERM: tcpdump closes its capture

        running.Disk.Should().Be(remoteDisk);
        var (uid, gid) = host.Account;
        var restored = Trees.Restored(disk, source);
        var expected = RawDisk.Describe(source, (uid, gid), OwnerOnly);
        expected.Keys.Should().Contain(k => k.Contains('\u00ff'), "the source really has names that are not UTF-8");
        expected.Values.Should().Contain(v => v.Contains("group=", StringComparison.Ordinal), "the source really has hard links");
        RawDisk.Describe(restored).Should().Equal(expected, "the tree is the source's, owned by the server's user");
        PosixFileSystem.ReadLink(RawPath.FromString(restored).Join("dangling-odd"u8)).Should().Equal(RawDisk.OddTarget);
        var folderStatus = PosixFileSystem.LStat(RawPath.FromString(folder));
        (folderStatus.Permissions, folderStatus.Uid).Should().Be((OwnerOnly, uid), "the instance folder is 0700 and the server user's");
        File.Exists(Path.Combine(folder, "bin", "cairn")).Should().BeTrue("the cairn binary was uploaded");
        space.Logs.Entries.Count(e => e.Contains("Uploaded cairn to", StringComparison.Ordinal)).Should().Be(1,
            "one upload of the binary: an install that finds it there compares it by its SHA-256");
        Directory.Exists(Path.Combine(space.DataPath, "cloud")).Should().BeFalse("nothing is restored on the Space host");
        space.Logs.Entries.Should().Contain(e => e.Contains($"(uid {uid}) restored and verified", StringComparison.Ordinal),
            "the worker on the server reports the user it ran as");

        // The password went only inside the session: in no process's command line or environment while it ran, not in
        // sshd's log, and not in the packets (which do show an ssh session that carried the repository).
        scan.Checked.Should().BeGreaterThan(0);
        scan.Found.Should().BeEmpty("no process has the password in its command line or environment");
        var sshdLog = await File.ReadAllTextAsync(host.SshdLog, Ct);
        sshdLog.Should().Contain("Accepted publickey for " + host.User).And.NotContain(password).And.NotContain(wrongPassword);
        var packets = await File.ReadAllBytesAsync(capture, Ct);
        packets.AsSpan().IndexOf("SSH-2.0-"u8).Should().BeGreaterThanOrEqualTo(0, "the capture holds the ssh session");
        packets.Length.Should().BeGreaterThan((int)task.StorageBytes, "the repository's bytes crossed the veth");
        packets.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)).Should().Be(-1, "the password crosses the network only encrypted");
        packets.AsSpan().IndexOf(Encoding.UTF8.GetBytes(wrongPassword)).Should().Be(-1);
        foreach (var secret in (string[])[password, wrongPassword])
        {
            SecretSearch.FilesContaining(await space.DatabaseFilesAsync(), secret).Should().BeEmpty("the database never holds a backup password");
            SecretSearch.FilesContaining(SecretSearch.AllFiles(space.DataPath), secret).Should().BeEmpty("no file of the data folder holds it");
            SecretSearch.FilesContaining(SecretSearch.AllFiles(host.Scratch), secret).Should().BeEmpty("no file on the server holds it");
            space.Logs.Entries.Should().NotContain(e => e.Contains(secret, StringComparison.Ordinal), "no log entry holds it");
        }

        // Returned ten days into its month: the folder is wiped on the server and the unused part comes back pro rata.
        space.Clock.Advance(TimeSpan.FromDays(10));
        var returnedAt = space.Clock.GetUtcNow();
        var returned = await owner.Api.PostAsync("/api/v1/cloud-instances/on-my-server/return", null, Ct);
        returned.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var refund = (await returned.Content.ReadFromJsonAsync<ReturnResponse>(Ct))!;
        var (instancePrice, storagePrice, _) = TestCatalog.Expected(task.StorageBytes);
        var periodEnd = paidAt.AddMonths(1);
        var expectedRefund = decimal.Round((instancePrice + storagePrice) * (decimal)((periodEnd - returnedAt).Ticks / (double)(periodEnd - paidAt).Ticks), 2,
            MidpointRounding.ToZero);
        refund.Refund.Should().BeApproximately(expectedRefund, 0.01m).And.BeGreaterThan(0);
        await owner.WaitForAsync(order.Id, "Destroyed");
        Directory.Exists(folder).Should().BeFalse("Return wipes the instance's folder on the server");
        Directory.Exists(host.TargetFolder).Should().BeTrue("the target folder itself is the operator's");
        (await owner.LedgerAsync()).Entries.Select(e => e.Kind).Should().Equal("TopUp", "Charge", "Refund");
        await WaitUntilAsync(() => !Directory.EnumerateDirectories(Path.GetTempPath(), "cairn-ssh-*").Any(),
            "the private key and known_hosts files, which live only as long as an ssh process, are gone");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited 20 s for: {what}");
            }

            await Task.Delay(50, Ct);
        }
    }
}

public sealed class SshDriverTestsOnSqlite() : SshDriverTests(DatabaseKind.Sqlite);

public sealed class SshDriverTestsOnPostgres() : SshDriverTests(DatabaseKind.Postgres);
