using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Bench.Corpus;

namespace Cairn.Bench;

/// <summary>Per tool and step, the median of each measure over the runs; MiB/s is corpus bytes over median wall time.</summary>
internal sealed record Median(string Tool, string Step, double WallSeconds, double CpuSeconds, long PeakRssBytes, long StoredBytes, double MiBPerSecond);

/// <summary>Speed ratios are the other tool's time over cairn's (above 1: cairn is faster); bytes and memory are cairn's over the other's.</summary>
internal sealed record Ratio(string Step, double? SpeedVsRestic, double? SpeedVsBorg, double? StoredVsRestic, double? StoredVsBorg, double? PeakRssVsRestic, double? PeakRssVsBorg);

internal sealed record Target(string Name, string Required, double? Actual, bool Met);

/// <summary>The corpus backed up; <c>Profile</c> is a <see cref="CorpusProfile"/> name, or "folder" for --corpus.</summary>
internal sealed record CorpusReport(string Path, string Profile, int Files, long Bytes, ulong? Seed, bool Generated, bool Reused, double GenerationSeconds);

internal sealed record PageCacheReport(string State, int Drops, int Failures, string? Error);

internal sealed record BenchReport(
    int Schema,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    MachineInfo Machine,
    string Compression,
    int Runs,
    CorpusReport Corpus,
    PageCacheReport PageCache,
    IndexMemoryResult IndexMemory,
    IReadOnlyList<StepResult> Measurements,
    IReadOnlyList<Median> Medians,
    IReadOnlyList<Ratio> Ratios,
    IReadOnlyList<RestoreCheck> RestoreChecks,
    IReadOnlyList<Target> Targets)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<Median> MediansOf(IReadOnlyList<StepResult> results, long corpusBytes) =>
        [.. results.GroupBy(r => (r.Tool, r.Step)).Select(g =>
        {
            var wall = MedianOf(g.Select(r => r.Measurement.WallSeconds));
            return new Median(g.Key.Tool, g.Key.Step, wall, MedianOf(g.Select(r => r.Measurement.CpuSeconds)),
                (long)MedianOf(g.Select(r => (double)r.Measurement.PeakRssBytes)), (long)MedianOf(g.Select(r => (double)r.StoredBytes)),
                corpusBytes / 1048576.0 / wall);
        })];

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static IReadOnlyList<Ratio> RatiosOf(IReadOnlyList<Median> medians) =>
        [.. Steps.All.Select(step =>
        {
            Median? Of(string tool) => medians.FirstOrDefault(m => m.Tool == tool && m.Step == step);
            var (cairn, restic, borg) = (Of("cairn"), Of("restic"), Of("borg"));
            double? Over(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;
            return new Ratio(step,
                Over(restic?.WallSeconds, cairn?.WallSeconds), Over(borg?.WallSeconds, cairn?.WallSeconds),
                Over(cairn?.StoredBytes, restic?.StoredBytes), Over(cairn?.StoredBytes, borg?.StoredBytes),
                Over(cairn?.PeakRssBytes, restic?.PeakRssBytes), Over(cairn?.PeakRssBytes, borg?.PeakRssBytes));
        })];

    /// <summary>The issue whose targets <see cref="TargetsOf"/> checks for a profile: 7 for the mixed corpus (and any folder), 18 for the others.</summary>
    public static int TargetIssue(string profile) => profile is "tiny-files" or "million-files" ? 18 : 7;

    /// <summary>The targets of the profile's issue (<see cref="TargetIssue"/>), each judged on the medians.</summary>
    public static IReadOnlyList<Target> TargetsOf(string profile, IReadOnlyList<Ratio> ratios)
    {
        Ratio R(string step) => ratios.First(r => r.Step == step);
        var worstRss = ratios.Select(r => r.PeakRssVsRestic).Max();
        return profile switch
        {
            "tiny-files" =>
            [
                AtLeast("initial backup throughput vs restic", R(Steps.Initial).SpeedVsRestic, 2.5),
                AtLeast("unchanged re-backup speed vs restic", R(Steps.Unchanged).SpeedVsRestic, 6.0),
                AtLeast("full restore speed vs restic", R(Steps.Restore).SpeedVsRestic, 2.5),
                AtMost("bytes stored after the last backup vs restic", R(Steps.Changed).StoredVsRestic, 1.01),
            ],
            "million-files" =>
            [
                AtLeast("initial backup throughput vs restic", R(Steps.Initial).SpeedVsRestic, 2.0),
                AtLeast("unchanged re-backup speed vs restic", R(Steps.Unchanged).SpeedVsRestic, 2.0),
                AtLeast("full restore speed vs restic", R(Steps.Restore).SpeedVsRestic, 2.0),
                AtMost("peak memory vs restic (worst step)", worstRss, 0.7),
            ],
            _ => IssueSeven(),
        };

        Target[] IssueSeven() =>
        [
            AtLeast("initial backup throughput vs restic", R(Steps.Initial).SpeedVsRestic, 2.0),
            AtLeast("initial backup throughput vs borg", R(Steps.Initial).SpeedVsBorg, 1.5),
            AtLeast("unchanged re-backup speed vs restic", R(Steps.Unchanged).SpeedVsRestic, 4.0),
            AtLeast("full restore speed vs restic", R(Steps.Restore).SpeedVsRestic, 2.0),
            AtMost("bytes stored after the last backup vs restic", R(Steps.Changed).StoredVsRestic, 1.03),
            AtMost("peak memory vs restic (worst step)", worstRss, 1.0),
        ];

        static Target AtLeast(string name, double? actual, double required) => new(name, $">= {required:0.00}x", actual, actual >= required);
        static Target AtMost(string name, double? actual, double required) => new(name, $"<= {required:0.00}x", actual, actual <= required);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The table printed at the end of a run and pasted into docs/performance.md.</summary>
    public string ToTable()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"- machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB, Linux {Machine.Kernel}, {Machine.DotNet}");
        s.AppendLine(inv, $"- programs: cairn {Machine.CairnSource}; {string.Join("; ", Machine.Tools.Where(t => t.Key != "cairn").Select(t => t.Value))}");
        s.AppendLine(inv, $"- corpus: {Corpus.Profile}, {Corpus.Files} files, {Corpus.Bytes / 1048576.0:0.0} MiB ({(Corpus.Generated ? $"generated, seed {Corpus.Seed}" : Corpus.Path)}); compression {Compression}; median of {Runs} run(s); page cache {PageCache.State}");
        s.AppendLine();
        s.AppendLine("| step | tool | wall s | CPU s | peak RSS MiB | stored MiB | MiB/s |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var m in Medians.OrderBy(m => Array.IndexOf(Steps.All, m.Step)).ThenBy(m => m.Tool == "cairn" ? 0 : m.Tool == "restic" ? 1 : 2))
        {
            s.AppendLine(inv, $"| {m.Step} | {m.Tool} | {m.WallSeconds:0.00} | {m.CpuSeconds:0.00} | {m.PeakRssBytes / 1048576.0:0.0} | {m.StoredBytes / 1048576.0:0.0} | {m.MiBPerSecond:0.0} |");
        }

        s.AppendLine();
        s.AppendLine("Ratios: speed = other tool's wall time / cairn's (above 1: cairn faster); stored and RSS = cairn's / other tool's (below 1: cairn smaller).");
        s.AppendLine();
        s.AppendLine("| step | speed vs restic | speed vs borg | stored vs restic | stored vs borg | RSS vs restic | RSS vs borg |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Ratios)
        {
            s.AppendLine(inv, $"| {r.Step} | {X(r.SpeedVsRestic)} | {X(r.SpeedVsBorg)} | {X(r.StoredVsRestic)} | {X(r.StoredVsBorg)} | {X(r.PeakRssVsRestic)} | {X(r.PeakRssVsBorg)} |");
        }

        s.AppendLine();
        s.AppendLine(inv, $"| target (issue {TargetIssue(Corpus.Profile)}) | required | measured | |");
        s.AppendLine("|---|---:|---:|---|");
        foreach (var t in Targets)
        {
            s.AppendLine(inv, $"| {t.Name} | {t.Required} | {X(t.Actual)} | {(t.Met ? "met" : "NOT met")} |");
        }

        s.AppendLine();
        s.AppendLine(inv, $"- index memory: {IndexMemory.BytesPerBlob:0.0} bytes per blob for {IndexMemory.Blobs:N0} blobs in MasterIndex ({IndexMemory.Found:N0} found again)");
        foreach (var c in RestoreChecks)
        {
            s.AppendLine(inv, $"- restore check {c.Tool} run {c.Run}: {(c.Passed ? "ok" : "FAILED")}: {c.Detail}");
        }

        return s.ToString();

        string X(double? v) => v is { } x ? x.ToString("0.00", inv) + "x" : "n/a";
    }
}
