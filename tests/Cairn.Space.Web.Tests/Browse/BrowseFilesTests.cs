using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cairn.Repository.Crypto;
using Cairn.Repository.Internal.Crypto;
using Cairn.Space.Backups;
using Cairn.Space.CloudRestore;
using Cairn.Space.Instances;
using Cairn.Space.Tests.Infrastructure;
using Cairn.Space.Usage;
using Cairn.Space.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Browse;

/// <summary>
/// "Browse files" in headless Chromium against backups made by restic 0.14 and by cairn: the password typed in the
/// page opens the repository in the browser, folders are walked, a 200 MB file and a folder (as a tar) come back byte
/// for byte; a wrong password says so and downloads nothing; no request, log line or database row holds a secret.
/// </summary>
public sealed class BrowseFilesTests(ConsoleFixture fixture)
{
    private const int BigFileBytes = 200_000_000;
    private const string WrongPassword = "not the backup password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpaceFactory Space => fixture.Space;

    [Fact]
    public async Task A_restic_backup_is_browsed_to_a_nested_folder_and_a_200_MB_file_and_a_folder_download_byte_for_byte()
    {
        var (api, credential, instance) = await NewTaskAsync();
        var restic = new Restic(credential.RepositoryUrl.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        (await restic.RunAsync("init")).EnsureSuccess();
        var source = MakeTree(bigFileBytes: BigFileBytes);
        (await restic.RunAsync("backup", "--tag", "nightly", "--tag", "photos", source)).EnsureSuccess();
        var taskId = await TaskIdAsync(api, instance);

        await using var tab = await SignedInAsync(api);
        await OpenAsync(tab, taskId, Restic.Password);
        await WalkToAsync(tab, source);
        (await tab.TextAsync("#browse-snapshot-facts")).Should().EndWith("· Tags: nightly, photos", "the opened snapshot's tags tell it apart");
        (await tab.Page.Locator("#browse-snapshot option").First.InnerTextAsync()).Should().MatchRegex(@"\d{2}:\d{2}:\d{2}").And.NotContain("UTC");
        (await RowNamesAsync(tab)).Should().Equal("docs", "big.bin");
        await EnterAsync(tab, "docs");
        await EnterAsync(tab, "notes");
        (await RowNamesAsync(tab)).Should().Equal("deep", "empty.txt");
        await tab.CheckAsync("browse-01-nested-folder");

        // Back up the path bar to the backed-up folder, then the 200 MB file.
        await tab.Page.Locator("#browse-path button", new() { HasText = Path.GetFileName(source) }).ClickAsync();
        await tab.Page.Locator("tr[data-name='big.bin']").WaitForAsync();

        // Cancel stops a download part way; the next one starts afresh.
        await tab.Page.Locator("tr[data-name='big.bin'] button").ClickAsync();
        await tab.Page.Locator("#browse-progress-text", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(" of ") }).WaitForAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await tab.Page.Locator("#browse-transfer[data-state='cancelled']").WaitForAsync();
        (await tab.TextAsync("#browse-progress-text")).Should().Contain("Cancelled");

        var big = await DownloadAsync(tab, "tr[data-name='big.bin'] button", timeoutMinutes: 6);
        big.SuggestedFilename.Should().Be("big.bin");
        (await Sha256Async(await SaveAsync(big))).Should().Be(await Sha256Async(Path.Combine(source, "big.bin")));
        (await tab.TextAsync("#browse-progress-text")).Should().Contain("Downloaded big.bin");
        (await tab.Page.Locator("#browse-transfer").GetAttributeAsync("data-via")).Should().Be("service-worker", "streamed to disk, not gathered in memory");

        await EnterAsync(tab, "docs");
        await CompareTarAsync(await DownloadAsync(tab, "#browse-download-folder"), Path.Combine(source, "docs"), "docs");
    }

    [Fact]
    public async Task A_cairn_backup_opens_only_with_its_password_and_no_request_log_or_row_holds_the_password_or_a_key()
    {
        var (api, credential, instance) = await NewTaskAsync();
        var cairn = new CairnCli(credential.RepositoryUrl.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        (await cairn.RunAsync("init")).EnsureSuccess();
        var source = MakeTree(bigFileBytes: 3_000_000);
        // Uncompressed blobs here; restic's backup in the other test stores compressed ones (its default, auto).
        (await cairn.RunAsync("--compression", "off", "backup", source)).EnsureSuccess();
        var taskId = await TaskIdAsync(api, instance);

        await using var tab = await SignedInAsync(api);
        var requests = new List<IRequest>();
        tab.Context.Request += (_, request) => { lock (requests) { requests.Add(request); } };
        var downloads = 0;
        tab.Page.Download += (_, _) => Interlocked.Increment(ref downloads);

        // A wrong password: the MAC check says so, nothing is listed or downloaded.
        await tab.GotoAsync($"/backups/{taskId}/browse");
        await tab.Page.GetByLabel("Backup password").FillAsync(WrongPassword);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await tab.Page.Locator("#browse-message.error").WaitForAsync();
        (await tab.TextAsync("#browse-message")).Should().Contain("Wrong password");
        (await tab.Page.Locator("#browse-files").IsHiddenAsync()).Should().BeTrue();
        await tab.CheckAsync("browse-02-wrong-password");
        downloads.Should().Be(0);

        // The right one: a nested file and a folder of a compressed cairn repository.
        await tab.Page.GetByLabel("Backup password").FillAsync(Restic.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await WalkToAsync(tab, source);
        await EnterAsync(tab, "docs");
        await tab.Page.GetByLabel("Search this folder").FillAsync("file1");
        (await RowNamesAsync(tab)).Should().Equal("file1.txt", "file10.txt", "file11.txt");
        await tab.Page.GetByLabel("Search this folder").FillAsync("");
        (await tab.TextAsync("tr[data-name='link'] td.name")).Should().Be("link → file0.txt");
        var one = await DownloadAsync(tab, "tr[data-name='file7.txt'] button");
        (await File.ReadAllBytesAsync(await SaveAsync(one), Ct)).Should().Equal(await File.ReadAllBytesAsync(Path.Combine(source, "docs", "file7.txt"), Ct));
        await CompareTarAsync(await DownloadAsync(tab, "#browse-download-folder"), Path.Combine(source, "docs"), "docs");
        await tab.CheckAsync("browse-03-folder");

        var secrets = await SecretsAsync(api, credential, Restic.Password);
        lock (requests)
        {
            requests.Should().NotBeEmpty();
            foreach (var request in requests)
            {
                var seen = new StringBuilder(request.Url).Append('\n');
                foreach (var (name, value) in request.Headers)
                {
                    seen.Append(name).Append(": ").Append(value).Append('\n');
                }

                if (request.PostDataBuffer is { } body)
                {
                    seen.Append(Encoding.Latin1.GetString(body)).Append(Convert.ToHexStringLower(body));
                }

                foreach (var secret in secrets)
                {
                    seen.ToString().Should().NotContain(secret, $"request {request.Method} {request.Url}");
                }
            }
        }

        foreach (var entry in Space.Logs.Entries)
        {
            foreach (var secret in secrets)
            {
                entry.Should().NotContain(secret);
            }
        }

        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(Space.SqlitePath)!, Path.GetFileName(Space.SqlitePath) + "*"))
        {
            var bytes = Encoding.Latin1.GetString(await ReadSharedAsync(file));
            foreach (var secret in secrets)
            {
                bytes.Should().NotContain(secret, $"{Path.GetFileName(file)} is Space's database");
            }
        }
    }

    private async Task<(SpaceClient Api, MintedCredentialResponse Credential, string Instance)> NewTaskAsync()
    {
        var api = await SpaceClient.SignUpAsync(Space);
        var instance = await api.RegisterInstanceAsync();
        return (api, await api.MintAsync(instance, task: "files"), instance);
    }

    private static async Task<Guid> TaskIdAsync(SpaceClient api, string instance)
        => (await api.BackupsAsync()).Single(b => b.Instance == instance).Id;

    private string MakeTree(int bigFileBytes)
    {
        var root = Trees.NewTemp(Space.DataPath);
        using (var big = File.Create(Path.Combine(root, "big.bin")))
        {
            var chunk = new byte[1 << 20];
            for (var left = bigFileBytes; left > 0; left -= chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                big.Write(chunk, 0, Math.Min(left, chunk.Length));
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "docs", "notes", "deep"));
        for (var i = 0; i < 12; i++)
        {
            File.WriteAllText(Path.Combine(root, "docs", $"file{i}.txt"), $"document {i} {Guid.NewGuid()}\n" + new string('x', i * 1000));
        }

        File.WriteAllBytes(Path.Combine(root, "docs", "notes", "empty.txt"), []);
        File.WriteAllBytes(Path.Combine(root, "docs", "notes", "deep", "leaf.bin"), Objects.Random(700_000));
        File.CreateSymbolicLink(Path.Combine(root, "docs", "link"), "file0.txt");
        return root;
    }

    private async Task<ConsolePage> SignedInAsync(SpaceClient api)
    {
        var tab = await fixture.NewPageAsync();
        await tab.GotoAsync("/signin");
        await tab.Page.GetByLabel("Email").FillAsync(api.Email);
        await tab.Page.GetByLabel("Password").FillAsync(SpaceClient.Password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync("**/");
        return tab;
    }

    private static async Task OpenAsync(ConsolePage tab, Guid taskId, string password)
    {
        await tab.GotoAsync($"/backups/{taskId}");
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Browse files", Exact = true }).ClickAsync();
        await tab.Page.WaitForURLAsync($"**/backups/{taskId}/browse");
        await tab.CheckAsync("browse-00-password");
        await tab.Page.GetByLabel("Backup password").FillAsync(password);
        await tab.Page.GetByLabel("Backup password").PressAsync("Enter");
    }

    /// <summary>From the snapshot's root down the components of the backed-up absolute path.</summary>
    private static async Task WalkToAsync(ConsolePage tab, string absolute)
    {
        await tab.Page.Locator("#browse-files").WaitForAsync(new() { Timeout = 120_000 }); // scrypt with restic's parameters
        foreach (var part in absolute.Trim('/').Split('/'))
        {
            await EnterAsync(tab, part);
        }
    }

    private static async Task EnterAsync(ConsolePage tab, string folder)
    {
        await tab.Page.Locator($"tr[data-name='{folder}'][data-type='dir'] td.name button").ClickAsync();
        await tab.Page.Locator("#browse-path [aria-current='location']", new() { HasTextString = folder }).WaitForAsync();
    }

    private static async Task<IReadOnlyList<string>> RowNamesAsync(ConsolePage tab)
        => [.. (await tab.Page.Locator("#browse-rows tr[data-name]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.name)"))];

    private static Task<IDownload> DownloadAsync(ConsolePage tab, string button, int timeoutMinutes = 2)
        => tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.Locator(button).ClickAsync(),
            new() { Timeout = (float)TimeSpan.FromMinutes(timeoutMinutes).TotalMilliseconds });

    private async Task<string> SaveAsync(IDownload download)
    {
        var path = Path.Combine(Trees.NewTemp(Space.DataPath), "download");
        await download.SaveAsAsync(path);
        return path;
    }

    private static async Task<string> Sha256Async(string path)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, Ct));
    }

    /// <summary>The tar holds every file, folder and symlink under <paramref name="folder"/> as <paramref name="name"/>/…, bytes equal.</summary>
    private async Task CompareTarAsync(IDownload download, string folder, string name)
    {
        download.SuggestedFilename.Should().Be(name + ".tar");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var stream = File.OpenRead(await SaveAsync(download)))
        {
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(cancellationToken: Ct) is { } entry)
            {
                if (entry.EntryType == TarEntryType.SymbolicLink)
                {
                    links[entry.Name] = entry.LinkName;
                }
                else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    using var content = new MemoryStream();
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(content, Ct);
                    }

                    files[entry.Name] = content.ToArray();
                }
            }
        }

        var expected = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).LinkTarget is null)
            .ToDictionary(f => name + "/" + Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllBytes(f), StringComparer.Ordinal);
        files.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (path, bytes) in expected)
        {
            files[path].Should().Equal(bytes, path);
        }

        links.Should().Equal(new Dictionary<string, string> { [name + "/link"] = "file0.txt" });
    }

    /// <summary>The password and everything derived from it, as text forms a request or a row could carry.</summary>
    private async Task<List<string>> SecretsAsync(SpaceClient api, MintedCredentialResponse credential, string password)
    {
        var repo = api.Repository(credential);
        var (_, _, repoPath) = Objects.ParseRestUrl(credential.RepositoryUrl);
        var keys = JsonSerializer.Deserialize<JsonElement>(await repo.GetStringAsync(repoPath.TrimEnd('/') + "/keys/", Ct));
        var keyName = keys[0].ValueKind == JsonValueKind.String ? keys[0].GetString()! : keys[0].GetProperty("name").GetString()!;
        var keyFile = JsonSerializer.Deserialize<JsonElement>(await repo.GetStringAsync($"{repoPath.TrimEnd('/')}/keys/{keyName}", Ct));
        var derived = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(keyFile.GetProperty("salt").GetString()!),
            keyFile.GetProperty("N").GetInt32(), keyFile.GetProperty("r").GetInt32(), keyFile.GetProperty("p").GetInt32(), 64);
        var master = await new Restic(credential.RepositoryUrl.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)).RunAsync("cat", "masterkey");
        var masterJson = JsonSerializer.Deserialize<JsonElement>(master.EnsureSuccess().Output);
        var secrets = new List<string> { password, Uri.EscapeDataString(password), password.Replace(' ', '+'), Convert.ToBase64String(Encoding.UTF8.GetBytes(password)) };
        foreach (var part in new[] { derived, derived[..32], derived[32..48], derived[48..] })
        {
            secrets.Add(Convert.ToHexStringLower(part));
            secrets.Add(Convert.ToBase64String(part));
        }

        foreach (var part in new[] { masterJson.GetProperty("encrypt").GetString()!, masterJson.GetProperty("mac").GetProperty("k").GetString()!, masterJson.GetProperty("mac").GetProperty("r").GetString()! })
        {
            secrets.Add(part);
            secrets.Add(Convert.ToHexStringLower(Convert.FromBase64String(part)));
        }

        return secrets;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
