using Cairn.Repository;

namespace Cairn.Maintenance.Rewrite;

/// <summary>
/// What rewriting one snapshot did: the paths it left out, whether the snapshot changed, and the new snapshot's ID
/// (null when nothing changed, or in a dry run, where nothing is written).
/// </summary>
public sealed record RewriteOutcome(IReadOnlyList<string> Excluded, bool Modified, Id? NewId);
