using System.Security.Cryptography;
using System.Text;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Testing.Servers;

namespace Cairn.Cli.Tests;

/// <summary>
/// Issue 18, item 3: the local cache of a remote repository, through a real REST server (rclone serve restic) behind a
/// proxy that counts what the server hands out.
/// </summary>
public sealed class LocalCacheTests : IAsyncLifetime
{
    private const string Plaintext = "the quick brown fox keeps its secrets in the backup";
    private const string FolderName = "plainly-named-folder";

    private readonly Scratch _scratch = new("cairn-cache-");
    private RcloneServer _server = null!;
    private CountingRestProxy _proxy = null!;
    private CairnCli _cairn = null!;
    private string _source = null!;

    private string CacheRoot => _scratch.Combine("cache");

    public async ValueTask InitializeAsync()
    {
        _server = await RcloneServer.StartAsync(TestContext.Current.CancellationToken);
        _proxy = CountingRestProxy.Start(_server.BaseUri);
        _cairn = new CairnCli(_proxy.Through(_server.NewRepositoryLocation()), extraEnvironment: new Dictionary<string, string> { ["CAIRN_CACHE_DIR"] = CacheRoot });
        var source = _scratch.Raw.Join(Encoding.UTF8.GetBytes(FolderName));
        var tree = new TreeBuilder(source);
        for (var i = 0; i < 20; i++)
        {
            tree.File(source.Join(Encoding.UTF8.GetBytes($"note-{i}.txt")), Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Plaintext + i, 50))), new EntryMetadata());
        }

        tree.Finish();
        _source = source.ToString();
        (await _cairn.RunAsync("--no-cache", "init")).ShouldSucceed();
        (await _cairn.RunAsync("--no-cache", "backup", _source)).ShouldSucceed();
        (await _cairn.RunAsync("--no-cache", "backup", _source)).ShouldSucceed();
        _proxy.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_second_snapshots_and_ls_download_no_snapshot_index_or_tree_file_again()
    {
        var firstSnapshots = (await _cairn.RunAsync("snapshots")).ShouldSucceed();
        var firstListing = (await _cairn.RunAsync("ls", "latest")).ShouldSucceed();
        _proxy.Downloads("snapshots").Should().BeGreaterThan(0);
        _proxy.Downloads("index").Should().BeGreaterThan(0);
        _proxy.Reset();

        var secondSnapshots = (await _cairn.RunAsync("snapshots")).ShouldSucceed();
        var secondListing = (await _cairn.RunAsync("ls", "latest")).ShouldSucceed();

        _proxy.Downloads("snapshots").Should().Be(0);
        _proxy.Downloads("index").Should().Be(0);
        _proxy.Downloads("data").Should().Be(0, "the packs holding trees are cached too");
        secondSnapshots.Stdout.Should().Be(firstSnapshots.Stdout);
        secondListing.Stdout.Should().Be(firstListing.Stdout).And.Contain($"{FolderName}/note-7.txt");
        File.Exists(Path.Combine(CacheRoot, "CACHEDIR.TAG")).Should().BeTrue();
        File.ReadAllText(Path.Combine(CacheRoot, "CACHEDIR.TAG")).Should().StartWith("Signature: 8a477f597d28d172789f06886806bc55");
    }

    [Fact]
    public async Task The_cache_holds_only_the_repositorys_encrypted_files_each_named_by_its_hash()
    {
        (await _cairn.RunAsync("ls", "latest")).ShouldSucceed();

        var files = CachedFiles();
        files.Should().Contain(f => f.Contains("/snapshots/", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("/index/", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("/data/", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Convert.ToHexStringLower(SHA256.HashData(bytes)).Should().Be(Path.GetFileName(file));
            var repositoryCopy = Path.Combine(_server.FolderOf(_cairn.Repository), Path.GetRelativePath(RepositoryCacheFolder(), file));
            File.ReadAllBytes(repositoryCopy).Should().Equal(bytes, "the cache keeps the repository's bytes as they are stored");
            foreach (var known in new[] { Plaintext, FolderName, _source, "note-7.txt" })
            {
                bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(known)).Should().Be(-1, $"{file} must not hold \"{known}\" in the clear");
            }
        }
    }

    [Fact]
    public async Task A_damaged_cache_file_is_detected_by_its_hash_and_fetched_again()
    {
        var expected = (await _cairn.RunAsync("ls", "latest")).ShouldSucceed().Stdout;
        foreach (var file in CachedFiles())
        {
            var bytes = File.ReadAllBytes(file);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(file, bytes);
        }

        _proxy.Reset();

        var listing = (await _cairn.RunAsync("ls", "latest")).ShouldSucceed();

        listing.Stdout.Should().Be(expected);
        _proxy.Downloads("snapshots").Should().BeGreaterThan(0);
        _proxy.Downloads("index").Should().BeGreaterThan(0);
        _proxy.Downloads("data").Should().BeGreaterThan(0);
        foreach (var file in CachedFiles())
        {
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))).Should().Be(Path.GetFileName(file), "the damaged entries were replaced");
        }
    }

    [Fact]
    public async Task No_cache_downloads_every_time_and_writes_no_cache()
    {
        var first = (await _cairn.RunAsync("--no-cache", "ls", "latest")).ShouldSucceed();
        var downloadedOnce = _proxy.Downloads("index");
        var second = (await _cairn.RunAsync("--no-cache", "ls", "latest")).ShouldSucceed();

        downloadedOnce.Should().BeGreaterThan(0);
        _proxy.Downloads("index").Should().Be(2 * downloadedOnce);
        second.Stdout.Should().Be(first.Stdout);
        Directory.Exists(CacheRoot).Should().BeFalse();
    }

    [Fact]
    public async Task Files_forgotten_in_the_repository_leave_the_cache_at_the_next_listing()
    {
        (await _cairn.RunAsync("snapshots")).ShouldSucceed();
        var cachedSnapshots = Directory.GetFiles(Path.Combine(RepositoryCacheFolder(), "snapshots"));
        cachedSnapshots.Should().HaveCount(2);

        (await _cairn.RunAsync("--no-cache", "forget", "--keep-last", "1")).ShouldSucceed();
        (await _cairn.RunAsync("snapshots")).ShouldSucceed();

        Directory.GetFiles(Path.Combine(RepositoryCacheFolder(), "snapshots")).Should().ContainSingle();
    }

    [Fact]
    public async Task Cleanup_cache_removes_cache_folders_unused_for_30_days_and_keeps_the_rest()
    {
        var old = Path.Combine(CacheRoot, new string('a', 64));
        var recent = Path.Combine(CacheRoot, new string('b', 64));
        Directory.CreateDirectory(old);
        Directory.CreateDirectory(recent);
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-31));

        var result = (await _cairn.RunAsync("--cleanup-cache", "snapshots")).ShouldSucceed();

        result.Stderr.Should().Contain($"removed 1 old cache dirs from {CacheRoot}");
        Directory.Exists(old).Should().BeFalse();
        Directory.Exists(recent).Should().BeTrue();
        Directory.Exists(RepositoryCacheFolder()).Should().BeTrue();
        (await CairnCli.RunAsync(_cairn.Environment, ["cache"])).ShouldSucceed().Stdout.Should().Contain($"2 cache dirs in {CacheRoot}");
    }

    [Fact]
    public async Task The_size_bound_keeps_the_cache_below_it_and_the_command_still_succeeds()
    {
        var unbounded = (await _cairn.RunAsync("--no-cache", "ls", "latest")).ShouldSucceed().Stdout;
        const int Bound = 3000;

        var bounded = (await _cairn.RunAsync("--cache-max-size", Bound.ToString(System.Globalization.CultureInfo.InvariantCulture), "ls", "latest")).ShouldSucceed();

        bounded.Stdout.Should().Be(unbounded);
        CachedFiles().Should().NotBeEmpty();
        CachedFiles().Sum(f => new FileInfo(f).Length).Should().BeLessThanOrEqualTo(Bound);
        (await _cairn.RunAsync("--cache-max-size", "lots", "snapshots")).ShouldFailWith(1, "invalid size \"lots\" for --cache-max-size");
    }

    /// <summary>The repository's cache folder: named by its ID (the cleanup test's planted folders repeat one letter).</summary>
    private string RepositoryCacheFolder() =>
        Directory.GetDirectories(CacheRoot).Should().ContainSingle(d => Path.GetFileName(d).Length == 64 && Path.GetFileName(d).Distinct().Count() > 1).Subject;

    private List<string> CachedFiles() =>
        [.. Directory.GetFiles(RepositoryCacheFolder(), "*", SearchOption.AllDirectories)];
}
