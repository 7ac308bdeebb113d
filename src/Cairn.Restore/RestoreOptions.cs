namespace Cairn.Restore;

/// <summary>Where and what to restore.</summary>
public sealed record RestoreOptions
{
    /// <summary>
    /// The folder the snapshot's tree is recreated under; created if missing. <c>"."</c> is the working directory,
    /// used by reference and never by its name: a restore process whose working directory was set before it gave up
    /// its privileges may not look up the folders above it.
    /// </summary>
    public required string Target { get; init; }

    /// <summary>What the snapshot may bring onto this host: devices, FIFOs, owners, setuid bits.</summary>
    public required HostSafety Safety { get; init; }

    /// <summary>Patterns (restic's syntax) of snapshot paths to restore; empty for everything.</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    /// <summary>Patterns of snapshot paths to leave out.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Like <see cref="Includes"/>, matched without regard to case (restic's --iinclude).</summary>
    public IReadOnlyList<string> IncludesIgnoringCase { get; init; } = [];

    /// <summary>Like <see cref="Excludes"/>, matched without regard to case (restic's --iexclude).</summary>
    public IReadOnlyList<string> ExcludesIgnoringCase { get; init; } = [];

    /// <summary>What happens to an entry that already exists in the target.</summary>
    public OverwriteMode Overwrite { get; init; } = OverwriteMode.Always;

    /// <summary>
    /// Remove what the target holds that the snapshot does not, in the folders the restore covers (and, with
    /// include or exclude patterns, only what those patterns select).
    /// </summary>
    public bool DeleteExtra { get; init; }

    /// <summary>Decide and report what would be done, but create, change and remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Leave holes for all-zero chunks of newly written files instead of writing the zeros.</summary>
    public bool Sparse { get; init; }

    /// <summary>Once everything is written, read every written file back and compare each chunk with its blob ID.</summary>
    public bool Verify { get; init; }

    /// <summary>A test's seam: runs after the content is written and before <see cref="Verify"/> reads it back.</summary>
    internal Action? BeforeVerify { get; init; }

    /// <summary>How many packs are read and written out at once.</summary>
    public int Concurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Run a full, compacting garbage collection once the plan is made, so the trees' garbage does not add to the
    /// peak memory of the content phase. For a process that does nothing but this restore (the CLI); a host that
    /// serves other work (Space) leaves the collector to its own schedule.
    /// </summary>
    public bool CollectAfterPlanning { get; init; }
}

/// <summary>What happens to an entry that already exists in the target (restic 0.17's --overwrite).</summary>
public enum OverwriteMode
{
    /// <summary>Replace it unless its content already matches the snapshot (every chunk hashed); metadata is always set.</summary>
    Always,

    /// <summary>Like <see cref="Always"/>, but a file with the snapshot's size and modification time is taken as unchanged.</summary>
    IfChanged,

    /// <summary>Like <see cref="Always"/>, but only when the snapshot's entry has a newer modification time.</summary>
    IfNewer,

    /// <summary>Keep every existing entry as it is.</summary>
    Never,
}

/// <summary>What a finished restore reports.</summary>
/// <param name="Files">Files created or rewritten (hard links not counted).</param>
/// <param name="Bytes">Bytes of the files created or rewritten.</param>
/// <param name="Skipped">Entries deliberately not created: sockets, and devices and FIFOs the <see cref="HostSafety"/> leaves out.</param>
/// <param name="Restored">Entries of every kind created, rewritten or replaced (folders too).</param>
/// <param name="Kept">Existing entries left as they were: their content matched, or the overwrite mode kept them.</param>
/// <param name="KeptBytes">Bytes of the kept files.</param>
/// <param name="Deleted">Entries removed because the snapshot does not have them (a folder counts once).</param>
/// <param name="VerifyFailures">Written files whose content, read back, did not match the snapshot.</param>
public sealed record RestoreSummary(
    long Files, long Directories, long Links, long Bytes, long Warnings, long Skipped,
    long Restored = 0, long Kept = 0, long KeptBytes = 0, long Deleted = 0, long VerifyFailures = 0);

/// <summary>A snapshot names an entry that could escape the target (empty, ".", "..", "/" or NUL in a name, or a name twice).</summary>
public sealed class UnsafeSnapshotException(string message) : Exception(message);
