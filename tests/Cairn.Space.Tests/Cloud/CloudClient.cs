using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cairn.Space.Accounts;
using Cairn.Space.Backups;
using Cairn.Space.Billing;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;

namespace Cairn.Space.Tests.Cloud;

/// <summary>An account of a <see cref="CloudSpace"/> speaking the JSON API, and the backup it restores from.</summary>
public sealed class CloudClient
{
    public const string AccountPassword = "correct horse battery";

    private CloudClient(HttpClient api, string email)
    {
        Api = api;
        Email = email;
    }

    public HttpClient Api { get; }
    public string Email { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<CloudClient> SignUpAsync(CloudSpace space)
    {
        var email = $"user-{Guid.NewGuid():N}@example.org";
        (await space.CreateClient().PostAsJsonAsync("/api/v1/accounts", new { email, password = AccountPassword }, Ct)).EnsureSuccessStatusCode();
        return await SignInAsync(space, email, AccountPassword);
    }

    public static Task<CloudClient> OperatorAsync(CloudSpace space) => SignInAsync(space, CloudSpace.OperatorEmail, CloudSpace.OperatorPassword);

    public static Task<CloudClient> SignInAsync(CloudSpace space, string email, string password) => SignInAsync(space.CreateClient(), email, password);

    /// <summary>Signs in through <paramref name="client"/> (e.g. one replica's) and keeps using it.</summary>
    public static async Task<CloudClient> SignInAsync(HttpClient client, string email, string password)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password }, Ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>(Ct))!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new CloudClient(client, email);
    }

    /// <summary>Registers an instance and backs <paramref name="source"/> up to a new task with the real restic.</summary>
    public async Task<(string Instance, Guid TaskId)> BackUpAsync(CloudSpace space, string source, string task = "documents")
    {
        var instance = $"i{Guid.NewGuid().ToString("N")[..10]}.olares";
        (await Api.PostAsJsonAsync("/api/v1/instances", new { name = instance }, Ct)).EnsureSuccessStatusCode();
        var minted = await (await Api.PostAsJsonAsync($"/api/v1/instances/{instance}/credentials", new { appendOnly = false, task }, Ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct);
        var restic = new Restic($"rest:http://{minted!.Username}:{minted.Secret}@{space.ListenAddress.Authority}/repo/{instance}/{task}/");
        (await restic.RunAsync("init")).EnsureSuccess();
        (await restic.RunAsync("backup", source)).EnsureSuccess();
        var backups = await Api.GetFromJsonAsync<BackupResponse[]>("/api/v1/backups", Ct);
        return (instance, backups!.Single(b => b.Instance == instance).Id);
    }

    /// <summary>Registers an instance and backs <paramref name="source"/> up with the cairn CLI (which keeps names that are not UTF-8).</summary>
    public async Task<(string Instance, Guid TaskId)> BackUpWithCairnAsync(CloudSpace space, string source, string task = "documents",
        string password = Restic.Password)
    {
        var instance = $"i{Guid.NewGuid().ToString("N")[..10]}.olares";
        (await Api.PostAsJsonAsync("/api/v1/instances", new { name = instance }, Ct)).EnsureSuccessStatusCode();
        var minted = await (await Api.PostAsJsonAsync($"/api/v1/instances/{instance}/credentials", new { appendOnly = false, task }, Ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<MintedCredentialResponse>(Ct);
        var cairn = new CairnCli($"rest:http://{minted!.Username}:{minted.Secret}@{space.ListenAddress.Authority}/repo/{instance}/{task}/", password);
        (await cairn.RunAsync("init")).EnsureSuccess();
        (await cairn.RunAsync("backup", source)).EnsureSuccess();
        var backups = await Api.GetFromJsonAsync<BackupResponse[]>("/api/v1/backups", Ct);
        return (instance, backups!.Single(b => b.Instance == instance).Id);
    }

    /// <summary>Tops the account up (as the operator), orders a restore of the task's latest snapshot with the right password and waits for Running.</summary>
    public async Task<OrderResponse> RestoreToCloudAsync(CloudSpace space, Guid taskId, string name)
    {
        var admin = await OperatorAsync(space);
        (await admin.Api.PostAsJsonAsync($"/api/v1/admin/accounts/{Email}/top-up", new { amount = 500m }, Ct)).EnsureSuccessStatusCode();
        var placed = await Api.PostAsJsonAsync("/api/v1/restores", new
        {
            backupId = taskId, provider = TestCatalog.Provider, region = TestCatalog.Region, hardware = TestCatalog.Hardware,
            instanceName = name, password = Restic.Password,
        }, Ct);
        placed.EnsureSuccessStatusCode();
        var order = (await placed.Content.ReadFromJsonAsync<OrderResponse>(Ct))!;
        return await WaitForAsync(order.Id, "Running", 120);
    }

    public async Task<OrderResponse> OrderAsync(Guid id)
        => (await Api.GetFromJsonAsync<OrderResponse>($"/api/v1/restores/{id}", Ct))!;

    public async Task<LedgerResponse> LedgerAsync()
        => (await Api.GetFromJsonAsync<LedgerResponse>("/api/v1/billing/ledger", Ct))!;

    public async Task<CloudInstanceResponse> CloudInstanceAsync(string name)
        => (await Api.GetFromJsonAsync<CloudInstanceResponse>($"/api/v1/cloud-instances/{name}", Ct))!;

    /// <summary>Polls the order until it is in <paramref name="state"/>; fails on any settled state but that one.</summary>
    public async Task<OrderResponse> WaitForAsync(Guid id, string state, int seconds = 60)
    {
        var settled = new[] { "Unpaid", "Running", "Restore_error", "Errored", "Destroyed", "Canceled" };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var order = await OrderAsync(id);
            if (order.State == state)
            {
                return order;
            }

            if ((settled.Contains(order.State) && order.State != state && state != "Installing") || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"order {id} is {order.State} ({order.Reason}), expected {state}");
            }

            await Task.Delay(100, Ct);
        }
    }
}

/// <summary>Trees compared with what a restore must keep: names, types, content, permissions, owners and modification times.</summary>
public static class RestoredTree
{
    /// <summary>The local driver's restore user when the tests run as root (they do here and in CI).</summary>
    public static (uint Uid, uint Gid) RestoreUser => Platform.PosixFileSystem.UserAccount("nobody") ?? throw new InvalidOperationException("no user nobody");

    /// <summary>
    /// The tree as a restore of someone else's snapshot must leave it: owned by the restore user, permissions cut to
    /// the owner's bits (0700), links as they are.
    /// </summary>
    public static SortedDictionary<string, string> DescribeAsForeignRestore(string root)
    {
        var (uid, gid) = Platform.PosixFileSystem.EffectiveUserId == 0 ? RestoreUser : (Platform.PosixFileSystem.EffectiveUserId, 0u);
        return Describe(root, (uid, gid), 0x1C0);
    }

    public static SortedDictionary<string, string> Describe(string root, (uint Uid, uint Gid)? owner = null, uint permissionMask = 0xFFF)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            var info = new FileInfo(path);
            var status = Platform.PosixFileSystem.LStat(Platform.RawPath.FromString(path));
            var kind = info.LinkTarget is { } target ? $"link->{target}" : Directory.Exists(path) ? "dir" : $"file:{Objects.NameOf(File.ReadAllBytes(path))}";
            var permissions = status.Kind == Platform.FileKind.Symlink ? status.Permissions : status.Permissions & permissionMask;
            var (uid, gid) = owner ?? (status.Uid, status.Gid);
            entries[Path.GetRelativePath(root, path)] =
                $"{kind} {status.Kind} permissions={Convert.ToString(permissions, 8)} uid={uid} gid={gid} mtime={status.ModifyTime}";
        }

        return entries;
    }

    /// <summary>A source folder with nested folders, an empty file, odd permissions, a symlink and set times.</summary>
    public static string MakeSource(string parent)
    {
        var root = Trees.MakeSource(parent, 3_000_000);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("restores to the local driver keep POSIX metadata");
        }

        File.SetUnixFileMode(Path.Combine(root, "docs", "file3.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(Path.Combine(root, "docs", "file4.txt"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(root, "docs", "latest"), "file7.txt");
        File.SetLastWriteTimeUtc(Path.Combine(root, "big.bin"), new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "docs", "notes"), new DateTime(2023, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        return root;
    }
}

/// <summary>Byte-for-byte search for a secret in files and log entries.</summary>
public static class SecretSearch
{
    public static IEnumerable<string> FilesContaining(IEnumerable<string> files, string secret)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                if (new FileInfo(file).LinkTarget is not null)
                {
                    continue;
                }

                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // sockets, files that vanished while listing
            }

            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                yield return file;
            }
        }
    }

    public static IEnumerable<string> AllFiles(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories);
}
