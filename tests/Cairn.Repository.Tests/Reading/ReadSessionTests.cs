using System.Text;
using Cairn.Repository.Format;
using Cairn.Storage;
using Cairn.Storage.Testing;

namespace Cairn.Repository.Tests.Reading;

/// <summary>
/// The one reader sequence (docs/format.md, "Ordering"), seen from the store: the lock file is written before any
/// snapshot is touched, and every snapshot is read before the first index file is.
/// </summary>
public sealed class ReadSessionTests : IAsyncLifetime
{
    private const string Password = "read session";
    private static readonly RepositoryOptions Options = new() { Kdf = KdfParameters.Fast };

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cairn-readsession-{Guid.NewGuid():N}");
    private Id _newest;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await using var repository = await ResticRepository.InitAsync(new LocalObjectStore(_root), Password, Options, Ct);
        await repository.SaveUnpackedAsync(ObjectKind.Index, Encoding.UTF8.GetBytes("""{"packs":[]}"""), Ct);
        await repository.SaveUnpackedAsync(ObjectKind.Index, Encoding.UTF8.GetBytes("""{"packs":[]}"""), Ct);
        var tree = Id.Parse(new string('a', 64));
        await repository.SaveSnapshotAsync(new Snapshot { Time = NodeTime.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(1)), Tree = tree, Paths = ["/a"] }, Ct);
        _newest = await repository.SaveSnapshotAsync(new Snapshot { Time = NodeTime.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(2)), Tree = tree, Paths = ["/b"] }, Ct);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Every_snapshot_is_read_after_the_lock_and_before_the_index()
    {
        var store = new RecordingObjectStore(new LocalObjectStore(_root));
        await using (var session = await OpenAsync(store, SnapshotQuery.All, new ReadSessionOptions()))
        {
            session.IsLocked.Should().BeTrue();
            session.Snapshots.Should().HaveCount(2);
            session.Repository.Index.IndexFiles.Should().HaveCount(2);
        }

        ReadOrder.Violation(store.Calls).Should().BeNull();
        Directory.EnumerateFiles(Path.Combine(_root, "locks")).Should().BeEmpty("the shared lock goes with the session");
    }

    [Fact]
    public async Task The_latest_snapshot_is_found_after_the_lock_and_before_the_index()
    {
        var store = new RecordingObjectStore(new LocalObjectStore(_root));
        await using (var session = await OpenAsync(store, SnapshotQuery.One("latest"), new ReadSessionOptions()))
        {
            session.Snapshot.Id.Should().Be(_newest);
        }

        ReadOrder.Violation(store.Calls).Should().BeNull();
    }

    [Fact]
    public async Task Without_the_lock_no_lock_file_is_written_and_snapshots_still_come_first()
    {
        var store = new RecordingObjectStore(new LocalObjectStore(_root));
        await using (var session = await OpenAsync(store, SnapshotQuery.One(_newest.ToString()[..8]), new ReadSessionOptions { Lock = false }))
        {
            session.IsLocked.Should().BeFalse();
            session.Snapshot.Id.Should().Be(_newest);
        }

        store.Calls.Should().NotContain(c => c.Kind == ObjectKind.Lock && c.Operation == StoreOperation.Save);
        ReadOrder.Violation(store.Calls, locked: false).Should().BeNull();
    }

    [Fact]
    public async Task A_reader_of_snapshots_only_never_touches_the_index()
    {
        var store = new RecordingObjectStore(new LocalObjectStore(_root));
        await using (await OpenAsync(store, SnapshotQuery.All, new ReadSessionOptions { LoadIndex = false }))
        {
        }

        store.Calls.Should().NotContain(c => c.Kind == ObjectKind.Index);
        ReadOrder.Violation(store.Calls).Should().BeNull();
    }

    [Fact]
    public async Task An_unreadable_snapshot_is_reported_once_and_left_out()
    {
        var garbage = Enumerable.Repeat((byte)7, 100).ToArray();
        var name = Id.Hash(garbage).ToString();
        await using (var raw = new LocalObjectStore(_root))
        {
            await raw.SaveAsync(new ObjectName(ObjectKind.Snapshot, name), ObjectContent.FromSeekable(new MemoryStream(garbage)), Ct);
        }

        var reported = new List<Id>();
        await using (var session = await OpenAsync(new LocalObjectStore(_root), SnapshotQuery.All, new ReadSessionOptions { UnreadableSnapshot = (id, _) => reported.Add(id) }))
        {
            session.Snapshots.Should().HaveCount(2);
        }

        reported.Should().ContainSingle().Which.ToString().Should().Be(name);
    }

    [Fact]
    public async Task An_exclusive_lock_of_another_host_refuses_the_session_and_nothing_is_read()
    {
        await using var pruner = await ResticRepository.OpenAsync(new LocalObjectStore(_root), Password, Options with { Hostname = "pruner" }, Ct);
        await using var held = await RepositoryLock.AcquireAsync(pruner, exclusive: true, Ct);
        var store = new RecordingObjectStore(new LocalObjectStore(_root));

        var opening = () => OpenAsync(store, SnapshotQuery.All, new ReadSessionOptions());

        await opening.Should().ThrowAsync<RepositoryLockedException>();
        store.Calls.Should().NotContain(c => c.Kind == ObjectKind.Snapshot || c.Kind == ObjectKind.Index);
    }

    private static async Task<ReadSession> OpenAsync(IObjectStore store, SnapshotQuery query, ReadSessionOptions options)
    {
        var repository = await ResticRepository.OpenAsync(store, Password, Options, Ct);
        return await ReadSession.OpenAsync(repository, query, options, ownsRepository: true, Ct);
    }
}
