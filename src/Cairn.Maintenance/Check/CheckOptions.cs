namespace Cairn.Maintenance.Check;

/// <summary>What <see cref="Checker"/> verifies beyond the structure: all packs' data, or a subset.</summary>
public sealed record CheckOptions
{
    /// <summary>Whether to read and verify every pack (restic's <c>--read-data</c>), not only the index and trees.</summary>
    public bool ReadData { get; init; }

    /// <summary>restic's <c>--read-data-subset</c>: <c>n/t</c>, <c>x%</c> or a size like <c>500M</c>; implies reading data.</summary>
    public string? ReadDataSubset { get; init; }
}

/// <summary>One problem found: what is damaged and why.</summary>
public sealed record CheckProblem(string What, string Reason)
{
    /// <inheritdoc/>
    public override string ToString() => $"{What}: {Reason}";
}

/// <summary>A file or folder of a snapshot that needs data from a damaged or missing pack or blob.</summary>
public sealed record AffectedPath(string SnapshotId, string Path, string Cause);

/// <summary>What a check found: errors, warnings, the damaged packs and the snapshot paths they affect, and what was read.</summary>
/// <param name="Errors">Problems that make the repository fail the check.</param>
/// <param name="Warnings">Problems worth a look that do not fail the check.</param>
/// <param name="DamagedPacks">Packs found damaged.</param>
/// <param name="Affected">Snapshot paths whose data lies in a damaged pack.</param>
/// <param name="PacksChecked">Packs whose index entries were checked.</param>
/// <param name="PacksRead">Packs whose content was read and verified.</param>
/// <param name="Snapshots">Snapshots checked.</param>
public sealed record CheckReport(
    IReadOnlyList<CheckProblem> Errors,
    IReadOnlyList<CheckProblem> Warnings,
    IReadOnlyList<string> DamagedPacks,
    IReadOnlyList<AffectedPath> Affected,
    int PacksChecked,
    int PacksRead,
    int Snapshots)
{
    /// <summary>Whether any error was found (the check fails).</summary>
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>Where a check is; the CLI prints these as restic does.</summary>
public interface ICheckProgress
{
    /// <summary>A new stage of the check began.</summary>
    void Stage(string message);
}
