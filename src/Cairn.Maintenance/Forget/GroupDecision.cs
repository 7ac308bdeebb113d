using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>What a policy decided for one group of snapshots; every list is newest first.</summary>
public sealed record GroupDecision(
    SnapshotGroupKey Key,
    IReadOnlyList<(Id Id, Snapshot Snapshot)> Keep,
    IReadOnlyList<(Id Id, Snapshot Snapshot)> Remove,
    IReadOnlyList<KeepReason> Reasons);
