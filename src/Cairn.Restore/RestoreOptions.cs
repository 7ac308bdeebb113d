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

    /// <summary>How many packs are read and written out at once.</summary>
    public int Concurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Run a full, compacting garbage collection once the plan is made, so the trees' garbage does not add to the
    /// peak memory of the content phase. For a process that does nothing but this restore (the CLI); a host that
    /// serves other work (Space) leaves the collector to its own schedule.
    /// </summary>
    public bool CollectAfterPlanning { get; init; }
}

/// <summary>What a finished restore reports.</summary>
/// <param name="Skipped">Entries deliberately not created: sockets, and devices and FIFOs the <see cref="HostSafety"/> leaves out.</param>
public sealed record RestoreSummary(long Files, long Directories, long Links, long Bytes, long Warnings, long Skipped);

/// <summary>A snapshot names an entry that could escape the target (empty, ".", "..", "/" or NUL in a name, or a name twice).</summary>
public sealed class UnsafeSnapshotException(string message) : Exception(message);
