using System.Text;
using Cairn.Cli.Tests.Infrastructure;
using Cairn.Testing.Trees;
using Cairn.Storage;
using Cairn.Storage.Testing;
using Cairn.Testing.Servers;

namespace Cairn.Cli.Tests;

/// <summary>
/// Issue 13, item 3: every command that reads opens the repository in one order (docs/format.md, "Ordering"), seen
/// from the server's side through a recording proxy: the lock file is written before any snapshot is touched, and
/// every snapshot request comes before the first index request. Run with --no-cache so every read reaches the server.
/// </summary>
public sealed class ReaderOrderTests : IAsyncLifetime
{
    private readonly Scratch _scratch = new("cairn-order-");
    private RcloneServer _server = null!;
    private CountingRestProxy _proxy = null!;
    private CairnCli _cairn = null!;
    private string _source = null!;
    private string _first = null!;
    private string _second = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RcloneServer.StartAsync(TestContext.Current.CancellationToken);
        _proxy = CountingRestProxy.Start(_server.BaseUri);
        _cairn = new CairnCli(_proxy.Through(_server.NewRepositoryLocation()));
        var source = _scratch.Raw.Join("source"u8);
        var tree = new TreeBuilder(source);
        tree.File(source.Join("note.txt"u8), Encoding.UTF8.GetBytes("the first version of a note"), new EntryMetadata());
        tree.Finish();
        _source = source.ToString();
        (await _cairn.RunAsync("--no-cache", "init")).ShouldSucceed();
        _first = (await _cairn.RunAsync("--no-cache", "--json", "backup", _source)).ShouldSucceed().Message("summary").GetProperty("snapshot_id").GetString()!;
        await File.AppendAllTextAsync(Path.Combine(_source, "note.txt"), ", and a second", TestContext.Current.CancellationToken);
        _second = (await _cairn.RunAsync("--no-cache", "--json", "backup", _source)).ShouldSucceed().Message("summary").GetProperty("snapshot_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _server.DisposeAsync();
        _scratch.Dispose();
    }

    public static TheoryData<string> Readers => ["restore", "find", "stats", "stats-raw", "ls", "ls-by-id", "dump", "diff", "check", "snapshots", "cat-snapshot", "list-blobs"];

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task A_reader_writes_its_lock_then_reads_snapshots_then_the_index(string reader)
    {
        var arguments = Arguments(reader);
        _proxy.Reset();

        (await _cairn.RunAsync(["--no-cache", .. arguments])).ShouldSucceed();

        var calls = Recorded();
        calls.Should().Contain(c => c.Kind == ObjectKind.Lock && c.Operation == StoreOperation.Save, "every reader takes the shared lock");
        ReadOrder.Violation(calls).Should().BeNull(string.Join("\n", _proxy.Requests.Select(r => $"{r.Method} {r.Path}")));
    }

    [Fact]
    public async Task With_no_lock_a_restore_writes_no_lock_and_still_reads_snapshots_before_the_index()
    {
        _proxy.Reset();

        (await _cairn.RunAsync("--no-cache", "--no-lock", "restore", "latest", "--target", _scratch.Combine("unlocked"))).ShouldSucceed();

        var calls = Recorded();
        calls.Should().NotContain(c => c.Kind == ObjectKind.Lock && c.Operation == StoreOperation.Save);
        calls.Should().Contain(c => c.Kind == ObjectKind.Index);
        ReadOrder.Violation(calls, locked: false).Should().BeNull();
    }

    [Fact]
    public async Task Copy_reads_its_source_in_the_reader_order()
    {
        // Only the source is behind the proxy; the destination is reached directly.
        var destination = new CairnCli(_server.NewRepositoryLocation(), extraEnvironment: new Dictionary<string, string> { ["CAIRN_FROM_PASSWORD"] = _cairn.Password });
        (await destination.RunAsync("--no-cache", "init")).ShouldSucceed();
        _proxy.Reset();

        (await destination.RunAsync("--no-cache", "copy", "--from-repo", _cairn.Repository)).ShouldSucceed();

        var calls = Recorded();
        calls.Should().Contain(c => c.Kind == ObjectKind.Index);
        ReadOrder.Violation(calls).Should().BeNull(string.Join("\n", _proxy.Requests.Select(r => $"{r.Method} {r.Path}")));
    }

    [Fact]
    public async Task Mount_reads_in_the_reader_order()
    {
        Assert.SkipUnless(File.Exists("/dev/fuse"), "this machine has no /dev/fuse, so nothing can be mounted");
        var mountpoint = _scratch.Combine("mnt");
        Directory.CreateDirectory(mountpoint);
        _proxy.Reset();
        var ct = TestContext.Current.CancellationToken;
        var mount = ProgramRunner.Start(CairnCli.Program, CairnCli.Arguments(["-r", _cairn.Repository, "--no-cache", "mount", mountpoint]), _cairn.Environment,
            cancellationToken: ct);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!Directory.Exists(Path.Combine(mountpoint, "snapshots")) && !mount.Completion.IsCompleted)
            {
                waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "cairn mount mounts within a minute");
                await Task.Delay(100, ct);
            }

            mount.Completion.IsCompleted.Should().BeFalse("cairn mount serves until unmounted");
            var calls = Recorded();
            calls.Should().Contain(c => c.Kind == ObjectKind.Index);
            ReadOrder.Violation(calls).Should().BeNull(string.Join("\n", _proxy.Requests.Select(r => $"{r.Method} {r.Path}")));
        }
        finally
        {
            using (var umount = System.Diagnostics.Process.Start("umount", ["-l", mountpoint]))
            {
                await umount.WaitForExitAsync(ct);
            }

            await mount.Completion;
        }
    }

    private string[] Arguments(string reader) => reader switch
    {
        "restore" => ["restore", "latest", "--target", _scratch.Combine("restored-" + Guid.NewGuid().ToString("N"))],
        "find" => ["find", "note.txt"],
        "stats" => ["stats"],
        "stats-raw" => ["stats", "--mode", "raw-data"],
        "ls" => ["ls", "latest"],
        "ls-by-id" => ["ls", _first[..8]],
        "dump" => ["dump", "latest", _source + "/note.txt"],
        "diff" => ["diff", _first[..8], _second[..8]],
        "check" => ["check"],
        "snapshots" => ["snapshots"],
        "cat-snapshot" => ["cat", "snapshot", _second],
        "list-blobs" => ["list", "blobs"],
        _ => throw new ArgumentOutOfRangeException(nameof(reader), reader, null),
    };

    /// <summary>The proxy's requests as store calls: POST saves, GET of a folder lists, GET of a file reads, HEAD stats.</summary>
    private List<RecordedCall> Recorded() =>
        [.. _proxy.Requests.Select(r => ToCall(r.Method, r.Path)).OfType<RecordedCall>()];

    private static RecordedCall? ToCall(string method, string path)
    {
        var parts = path.TrimEnd('/').Split('/');
        var folderOnly = path.EndsWith('/');
        var folder = folderOnly ? parts[^1] : parts.Length >= 2 ? parts[^2] : "";
        ObjectKind? kind = folder switch
        {
            "locks" => ObjectKind.Lock,
            "snapshots" => ObjectKind.Snapshot,
            "index" => ObjectKind.Index,
            "data" => ObjectKind.Pack,
            "keys" => ObjectKind.Key,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var operation = method switch
        {
            "POST" => StoreOperation.Save,
            "DELETE" => StoreOperation.Delete,
            "HEAD" => StoreOperation.Stat,
            _ => folderOnly ? StoreOperation.List : StoreOperation.Read,
        };
        return new RecordedCall(operation, kind.Value, folderOnly ? "" : parts[^1]);
    }
}
