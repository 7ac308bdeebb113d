namespace Cairn.Maintenance.Inspection;

/// <summary>
/// One changed path, with restic's modifier: "+" added, "-" removed, "M" file content changed, "T" type changed,
/// "U" metadata only (reported only when asked for), "TU" both. Directories end in "/".
/// </summary>
public sealed record PathChange(string Path, string Modifier);

/// <summary>Counts for one side of a diff: paths added or removed by kind, and the blobs only that side has.</summary>
public sealed record DiffCounts(int Files, int Dirs, int Others, int DataBlobs, int TreeBlobs, long Bytes);

/// <summary>Everything <c>diff</c> reports: the changes in path order and the statistics footer.</summary>
public sealed record SnapshotDifference(IReadOnlyList<PathChange> Changes, int ChangedFiles, DiffCounts Added, DiffCounts Removed);
