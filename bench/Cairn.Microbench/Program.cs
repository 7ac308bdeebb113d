using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Cairn.Microbench;
using Perfolizer.Horology;

// The hot primitives (BenchmarkDotNet, in-process, short jobs), then each beside this machine's limit for it.
// Usage: Cairn.Microbench [results folder]   (bench/micro.sh)
var results = args.Length > 0 ? args[0] : Path.Combine("bench", "results");
Console.WriteLine("measuring the machine's limits (openssl, zstd)...");
var limits = MachineLimits.Measure(Path.Combine(Path.GetTempPath(), "cairn-microbench"));

var quick = Job.ShortRun
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(2)
    .WithIterationCount(5)
    .WithIterationTime(TimeInterval.FromMilliseconds(250));
var config = DefaultConfig.Instance.AddJob(quick).WithOptions(ConfigOptions.DisableOptimizationsValidator);

// Pack assembly needs a fresh repository per invocation, hence one invocation per iteration.
var single = DefaultConfig.Instance.AddJob(quick.WithInvocationCount(1).WithUnrollFactor(1)).WithOptions(ConfigOptions.DisableOptimizationsValidator);
Summary[] summaries =
[
    BenchmarkRunner.Run<PrimitiveBenchmarks>(config),
    BenchmarkRunner.Run<IndexBenchmarks>(config),
    BenchmarkRunner.Run<PackAssemblyBenchmarks>(single),
];

var memcpy = Rate(summaries, nameof(PrimitiveBenchmarks.Memcpy));
var dictionary = Rate(summaries, nameof(IndexBenchmarks.DictionaryTryGetValue));
if (memcpy is { } m)
{
    limits[MachineLimits.Memcpy] = m;
}

if (dictionary is { } d)
{
    limits[MachineLimits.Dictionary] = d;
}

var rows = new List<MicroRow>();
foreach (var report in summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null))
{
    var method = report.BenchmarkCase.Descriptor.WorkloadMethod;
    var measures = method.GetCustomAttribute<MeasuresAttribute>()!;
    var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'')
        + (report.BenchmarkCase.HasParameters ? $" [{report.BenchmarkCase.Parameters.PrintInfo}]" : "");
    var perSecond = measures.Amount / (report.ResultStatistics!.Median / 1e9);
    double? limit = limits.TryGetValue(measures.Limit, out var l) ? l : null;
    rows.Add(new MicroRow(name, measures.Lookups ? "lookups/s" : "bytes/s", perSecond, measures.Limit, limit, limit is { } x ? perSecond / x : null));
}

var table = new StringBuilder();
table.AppendLine("| primitive | cairn | machine limit | limit measured by | share |");
table.AppendLine("|---|---:|---:|---|---:|");
foreach (var row in rows)
{
    table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Name} | {Format(row.PerSecond, row.Unit)} | {(row.Limit is { } lim ? Format(lim, row.Unit) : "n/a")} | {row.LimitSource} | {(row.Share is { } s ? $"{s:P0}" : "")} |");
}

Console.WriteLine();
Console.WriteLine(table);
Directory.CreateDirectory(results);
var json = JsonSerializer.Serialize(new { date = DateTimeOffset.UtcNow, cores = Environment.ProcessorCount, rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
await File.WriteAllTextAsync(Path.Combine(results, "micro-latest.json"), json);
await File.WriteAllTextAsync(Path.Combine(results, "micro-latest.md"), table.ToString());
Console.WriteLine($"wrote {Path.Combine(results, "micro-latest.json")} and micro-latest.md");
return 0;

static double? Rate(Summary[] summaries, string method)
{
    var report = summaries.SelectMany(s => s.Reports).FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && r.ResultStatistics is not null);
    var measures = report?.BenchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<MeasuresAttribute>();
    return report is null || measures is null ? null : measures.Amount / (report.ResultStatistics!.Median / 1e9);
}

static string Format(double perSecond, string unit) => unit == "bytes/s"
    ? string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1048576:0} MiB/s")
    : string.Create(CultureInfo.InvariantCulture, $"{1e9 / perSecond:0.0} ns/lookup");

internal sealed record MicroRow(string Name, string Unit, double PerSecond, string LimitSource, double? Limit, double? Share);
