using Cairn.Bench.Corpus;
using Cairn.Bench.Tools;

namespace Cairn.Bench;

/// <summary>The four timed steps, in order, each tool in a fresh repository per run.</summary>
internal static class Steps
{
    public const string Initial = "initial";
    public const string Unchanged = "unchanged";
    public const string Changed = "changed";
    public const string Restore = "restore";

    public static readonly string[] All = [Initial, Unchanged, Changed, Restore];

    /// <summary>
    /// Initial backup, re-backup with nothing changed, backup after the deterministic 5% change, full restore into an
    /// empty folder; the page cache is dropped before each. The restore is checked against the changed corpus, then
    /// the corpus is put back; the repository and the restore are left for the harness to delete at the end.
    /// </summary>
    public static async Task<ToolRun> RunAsync(IBackupTool tool, int run, string corpus, string folder, ToolRunner runner, PageCache cache, ulong seed, CancellationToken cancellationToken)
    {
        var repository = Path.Combine(folder, "repository");
        var target = Path.Combine(folder, "restore");
        Directory.CreateDirectory(folder);
        await runner.RunAsync(tool.Init(repository), $"{tool.Name}-init", cancellationToken).ConfigureAwait(false);

        var results = new List<StepResult>();
        async Task Timed(string step, ToolCommand command)
        {
            cache.Drop();
            var measurement = await runner.MeasureAsync(command, $"{tool.Name}-{step}", cancellationToken).ConfigureAwait(false);
            results.Add(new StepResult(tool.Name, step, run, measurement, TreeSummary.FolderBytes(repository)));
        }

        await Timed(Initial, tool.Backup(repository, corpus, 1)).ConfigureAwait(false);
        await Timed(Unchanged, tool.Backup(repository, corpus, 2)).ConfigureAwait(false);

        var modifier = new CorpusModifier(corpus, Path.Combine(folder, "originals"), seed);
        modifier.Apply();
        try
        {
            await Timed(Changed, tool.Backup(repository, corpus, 3)).ConfigureAwait(false);
            Directory.CreateDirectory(target);
            await Timed(Restore, tool.Restore(repository, target, 3)).ConfigureAwait(false);
            var check = RestoreCheck.Compare(tool.Name, run, corpus, target, modifier.Changed);
            return new ToolRun(results, check);
        }
        finally
        {
            // The repository and the restore stay until the whole benchmark is over (Harness): deleting tens of
            // thousands of files here would make ext4 step over the freed inodes for the next minute or more, and the
            // next tool's restore would pay for it in system time (docs/performance.md).
            modifier.Revert();
        }
    }
}

internal sealed record StepResult(string Tool, string Step, int Run, Measurement Measurement, long StoredBytes);

internal sealed record ToolRun(IReadOnlyList<StepResult> Steps, RestoreCheck Check);

/// <summary>Whether a restore holds the corpus: same listing (paths and sizes) and same bytes in the sampled files.</summary>
internal sealed record RestoreCheck(string Tool, int Run, bool Passed, TreeSummary Expected, TreeSummary? Actual, string Detail)
{
    /// <summary>About 200 files by position plus every changed file are hashed on both sides.</summary>
    public static RestoreCheck Compare(string tool, int run, string corpus, string target, IReadOnlySet<string> changed)
    {
        var stride = Math.Max(1, TreeSummary.List(corpus).Count / 200);
        var expected = TreeSummary.Compute(corpus, stride, changed);

        // restic, cairn and borg all recreate the corpus's absolute path below the target.
        var restored = Path.Combine(target, Path.GetFullPath(corpus).TrimStart('/'));
        if (!Directory.Exists(restored))
        {
            return new RestoreCheck(tool, run, false, expected, null, $"{restored} was not restored");
        }

        var actual = TreeSummary.Compute(restored, stride, changed);
        var differences = new List<string>();
        if (actual.Files != expected.Files)
        {
            differences.Add($"{actual.Files} files instead of {expected.Files}");
        }

        if (actual.Bytes != expected.Bytes)
        {
            differences.Add($"{actual.Bytes} bytes instead of {expected.Bytes}");
        }

        if (actual.ListingHash != expected.ListingHash)
        {
            differences.Add("paths or sizes differ");
        }

        if (actual.SampleHash != expected.SampleHash)
        {
            differences.Add($"content of the {expected.SampledFiles} sampled files differs");
        }

        return differences.Count == 0
            ? new RestoreCheck(tool, run, true, expected, actual, $"{actual.Files} files, {actual.Bytes} bytes, {actual.SampledFiles} sampled files identical")
            : new RestoreCheck(tool, run, false, expected, actual, string.Join("; ", differences));
    }
}
