using Cairn.Repository;
using Cairn.Repository.Format;

namespace Cairn.Maintenance.Forget;

/// <summary>
/// Why a snapshot is kept: the rules it matched ("daily snapshot", "within 1m", "has tags [a]") and what each
/// counting bucket had left after it, as restic reports them.
/// </summary>
public sealed record KeepReason(Id Id, Snapshot Snapshot, IReadOnlyList<string> Matches, IReadOnlyDictionary<string, int> Counters);
