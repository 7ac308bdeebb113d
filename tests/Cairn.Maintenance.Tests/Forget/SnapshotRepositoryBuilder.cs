using Cairn.Repository;
using Cairn.Repository.Format;
using Cairn.Repository.Internal.Format;
using Cairn.Storage;

namespace Cairn.Maintenance.Tests.Forget;

/// <summary>Creates a repository with the engine (low-cost KDF) and writes crafted snapshot documents pointing at one empty tree.</summary>
internal static class SnapshotRepositoryBuilder
{
    public static async Task<List<(Id Id, Snapshot Snapshot)>> CreateAsync(string path, IEnumerable<Func<Id, Snapshot>> snapshots)
    {
        var store = new LocalObjectStore(path);
        await using var repository = await Cairn.Repository.ResticRepository.InitAsync(store, ExternalProcess.Password, new RepositoryOptions { Kdf = KdfParameters.Fast });
        var tree = TreeCodec.Encode([]);
        var treeId = Id.Hash(tree);
        await repository.Blobs.SaveAsync(BlobType.Tree, treeId, tree);
        await repository.Blobs.FlushAsync();
        var saved = new List<(Id, Snapshot)>();
        foreach (var make in snapshots)
        {
            var snapshot = make(treeId);
            saved.Add((await repository.SaveSnapshotAsync(snapshot), snapshot));
        }

        return saved;
    }
}
