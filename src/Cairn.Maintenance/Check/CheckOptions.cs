namespace Cairn.Maintenance.Check;

/// <summary>What <see cref="Checker"/> verifies beyond the structure: all packs' data, or a subset.</summary>
public sealed record CheckOptions
{
    public bool ReadData { get; init; }

    /// <summary>restic's <c>--read-data-subset</c>: <c>n/t</c>, <c>x%</c> or a size like <c>500M</c>; implies reading data.</summary>
    public string? ReadDataSubset { get; init; }
}

/// <summary>One problem found: what is damaged and why.</summary>
public sealed record CheckProblem(string What, string Reason)
{
    public override string ToString() => $"{What}: {Reason}";
}

/// <summary>A file or folder of a snapshot that needs data from a damaged or missing pack or blob.</summary>
public sealed record AffectedPath(string SnapshotId, string Path, string Cause);

public sealed record CheckReport(
    IReadOnlyList<CheckProblem> Errors,
    IReadOnlyList<CheckProblem> Warnings,
    IReadOnlyList<string> DamagedPacks,
    IReadOnlyList<AffectedPath> Affected,
    int PacksChecked,
    int PacksRead,
    int Snapshots)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>Where a check is; the CLI prints these as restic does.</summary>
public interface ICheckProgress
{
    void Stage(string message);
}
