using Cairn.Bench.Corpus;
using Cairn.Bench.Tools;

namespace Cairn.Bench;

/// <summary>
/// One benchmark run: prepare the corpus, measure the index, then per run and tool the four steps (tool order rotates
/// between runs so none is always first), then medians, ratios, targets, the table and the JSON files.
/// </summary>
internal static class Harness
{
    public const string Password = "cairn-bench-password";

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        if (!File.Exists(ToolRunner.GnuTime))
        {
            throw new BenchmarkException($"{ToolRunner.GnuTime} is missing (Debian package `time`); bench/run.sh installs it");
        }

        var corpus = await CorpusSource.PrepareAsync(options, log, cancellationToken).ConfigureAwait(false);

        log.WriteLine($"measuring MasterIndex with {options.IndexBlobs:N0} blobs...");
        var index = IndexMemory.Measure(options.IndexBlobs, options.Seed);
        log.WriteLine($"  {index.BytesPerBlob:0.0} bytes per blob");

        var runsFolder = Path.GetFullPath(Path.Combine(options.WorkFolder, "runs"));
        if (Directory.Exists(runsFolder))
        {
            Directory.Delete(runsFolder, recursive: true);
        }

        Directory.CreateDirectory(runsFolder);
        var environment = new Dictionary<string, string>
        {
            ["CAIRN_PASSWORD"] = Password,
            ["RESTIC_PASSWORD"] = Password,
            ["BORG_PASSPHRASE"] = Password,
            // Caches and borg's key/security folders live with the run and go with it.
            ["RESTIC_CACHE_DIR"] = Path.Combine(runsFolder, "cache", "restic"),
            ["CAIRN_CACHE_DIR"] = Path.Combine(runsFolder, "cache", "cairn"),
            ["XDG_CACHE_HOME"] = Path.Combine(runsFolder, "cache"),
            ["BORG_BASE_DIR"] = Path.Combine(runsFolder, "borg-base"),
            ["BORG_RELOCATED_REPO_ACCESS_IS_OK"] = "yes",
        };
        var runner = new ToolRunner(environment, runsFolder);
        IBackupTool[] tools = [new CairnTool(Path.GetFullPath(options.CairnProgram), options.Compression), new ResticTool(options.Compression), new BorgTool(options.Compression)];
        var machine = await MachineInfo.CollectAsync(runner, tools, cancellationToken).ConfigureAwait(false);

        var cache = new PageCache(options.DropCaches);
        var results = new List<StepResult>();
        var checks = new List<RestoreCheck>();
        for (var run = 1; run <= options.Runs; run++)
        {
            for (var t = 0; t < tools.Length; t++)
            {
                var tool = tools[(t + run - 1) % tools.Length];
                log.WriteLine($"run {run}/{options.Runs}: {tool.Name}...");
                var outcome = await Steps.RunAsync(tool, run, corpus.Path, Path.Combine(runsFolder, $"run{run}-{tool.Name}"), runner, cache, options.Seed, cancellationToken).ConfigureAwait(false);
                results.AddRange(outcome.Steps);
                checks.Add(outcome.Check);
                log.WriteLine("  " + string.Join(", ", outcome.Steps.Select(s => $"{s.Step} {s.Measurement.WallSeconds:0.00} s")) + $"; restore {(outcome.Check.Passed ? "ok" : "FAILED: " + outcome.Check.Detail)}");
            }
        }

        var medians = BenchReport.MediansOf(results, corpus.Bytes);
        var ratios = BenchReport.RatiosOf(medians);
        var report = new BenchReport(1, started, DateTimeOffset.UtcNow, machine, options.Compression.ToString().ToLowerInvariant(), options.Runs, corpus,
            new PageCacheReport(cache.State, cache.Dropped, cache.Failed, cache.LastError), index, results, medians, ratios, checks, BenchReport.TargetsOf(corpus.Profile, ratios));

        // Every run's repositories and restores were kept until now (see Steps); they go once nothing is timed.
        log.WriteLine("removing the runs' repositories and restores...");
        foreach (var folder in Directory.EnumerateDirectories(runsFolder, "run*-*").SelectMany(r => new[] { Path.Combine(r, "repository"), Path.Combine(r, "restore") }))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Directory.CreateDirectory(options.ResultsFolder);
        var json = report.ToJson();
        var stamped = Path.Combine(options.ResultsFolder, $"{started:yyyyMMdd-HHmmss}-{corpus.Profile}.json");
        await File.WriteAllTextAsync(stamped, json, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(options.ResultsFolder, $"latest-{corpus.Profile}.json"), json, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(options.ResultsFolder, "latest.json"), json, cancellationToken).ConfigureAwait(false);
        log.WriteLine();
        log.WriteLine(report.ToTable());
        log.WriteLine($"wrote {stamped}, latest-{corpus.Profile}.json and latest.json");
        return report;
    }
}
