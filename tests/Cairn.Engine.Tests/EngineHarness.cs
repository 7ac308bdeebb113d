using Cairn.Backup;
using Cairn.Repository;
using Cairn.Restore;
using Cairn.Storage;

namespace Cairn.Engine.Tests;

/// <summary>The backup and restore engines over one repository in memory, with cheap key derivation.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private EngineHarness(ResticRepository repository) => Repository = repository;

    public ResticRepository Repository { get; }

    public static Task<EngineHarness> CreateAsync(CancellationToken cancellationToken) => CreateAsync(new InMemoryObjectStore(), cancellationToken);

    /// <summary>A new repository in <paramref name="store"/> (for instance a fault-injecting one).</summary>
    public static async Task<EngineHarness> CreateAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        var options = new RepositoryOptions { Kdf = KdfParameters.Fast, PackSize = 4 * 1024 * 1024 };
        return new EngineHarness(await Cairn.Repository.ResticRepository.InitAsync(store, "secret", options, cancellationToken));
    }

    /// <param name="listings">A scan whose folder listings the walk takes, as the CLI's backup does.</param>
    public async Task<(BackupSummary Summary, Repository.Format.Snapshot Snapshot)> BackUpAsync(
        string path, CancellationToken cancellationToken, Repository.Format.Snapshot? parent = null, SourceScanner? listings = null)
    {
        var summary = await new Archiver(new RepositoryBackupTarget(Repository)).RunAsync(new BackupOptions { Paths = [Cairn.Platform.RawPath.FromString(path)], Listings = listings }, parent, cancellationToken);
        var snapshot = await Repository.LoadJsonAsync<Repository.Format.Snapshot>(
            new Storage.ObjectName(Storage.ObjectKind.Snapshot, summary.SnapshotId?.ToString() ?? throw new InvalidOperationException("the backup saved no snapshot")), cancellationToken);
        return (summary, snapshot);
    }

    public Task<RestoreSummary> RestoreAsync(Id tree, string target, CancellationToken cancellationToken, HostSafety? safety = null) =>
        new Restorer(new RepositoryRestoreSource(Repository)).RunAsync(tree, new RestoreOptions { Target = target, Safety = safety ?? HostSafety.OwnSnapshot }, cancellationToken);

    internal Task<VerifiedRestore> VerifyAsync(Id tree, string target, HostSafety safety, CancellationToken cancellationToken) =>
        new RestoreVerifier(new RepositoryRestoreSource(Repository)).VerifyAsync(tree, target, safety, cancellationToken);

    public ValueTask DisposeAsync() => Repository.DisposeAsync();
}
