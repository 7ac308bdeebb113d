using System.Globalization;
using Cairn.Bench.Corpus;
using Cairn.Bench.Tools;

namespace Cairn.Bench;

/// <summary>The harness's settings, from the command line (bench/run.sh passes its arguments on).</summary>
internal sealed record BenchOptions
{
    public CorpusProfile Profile { get; init; } = CorpusProfile.Mixed;

    /// <summary>The generated corpus's size; null for the profile's own (<see cref="CorpusProfiles.DefaultSize"/>).</summary>
    public long? SizeBytes { get; init; }

    public long CorpusBytes => SizeBytes ?? Profile.DefaultSize();
    public int Runs { get; init; } = 3;
    public CompressionSetting Compression { get; init; } = CompressionSetting.Auto;
    public ulong Seed { get; init; } = 1;

    /// <summary>Any folder to back up instead of the generated corpus; copied into the work folder first.</summary>
    public string? CorpusFolder { get; init; }

    /// <summary>Where the corpus, repositories, restores and logs live.</summary>
    public string WorkFolder { get; init; } = Path.Combine(Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t ? t : "/var/tmp", "cairn-bench");

    public string ResultsFolder { get; init; } = Path.Combine("bench", "results");

    /// <summary>The cairn program: its apphost or cairn.dll.</summary>
    public string CairnProgram { get; init; } = Path.Combine("artifacts", "cairn", "cairn");

    public int IndexBlobs { get; init; } = 1_000_000;
    public bool DropCaches { get; init; } = true;

    public const string Usage = """
        usage: run [--profile mixed|tiny-files|million-files] [--size 2G] [--runs 3] [--compression auto|off] [--corpus DIR] [--seed 1]
                   [--work DIR] [--results DIR] [--cairn PATH] [--index-blobs 1000000] [--no-drop-caches]
               corpus --out DIR [--profile mixed|tiny-files|million-files] [--size 2G] [--seed 1]
               index-memory [--index-blobs 1000000]
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--profile" => options with { Profile = CorpusProfiles.Parse(Value()) },
                "--size" => options with { SizeBytes = ParseSize(Value()) },
                "--runs" => options with { Runs = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--compression" => options with { Compression = Value() switch { "auto" => CompressionSetting.Auto, "off" => CompressionSetting.Off, var v => throw new ArgumentException($"--compression {v}: auto or off") } },
                "--corpus" => options with { CorpusFolder = Path.GetFullPath(Value()) },
                "--seed" => options with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) },
                "--work" => options with { WorkFolder = Value() },
                "--results" => options with { ResultsFolder = Value() },
                "--cairn" => options with { CairnProgram = Value() },
                "--index-blobs" => options with { IndexBlobs = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--no-drop-caches" => options with { DropCaches = false },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }

        if (options.Runs < 1)
        {
            throw new ArgumentException("--runs must be at least 1");
        }

        return options;
    }

    /// <summary>"2G", "512M", "64K" (binary units) or plain bytes.</summary>
    public static long ParseSize(string text)
    {
        var unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1L };
        var number = unit == 1 ? text : text[..^1];
        return checked((long)(double.Parse(number, CultureInfo.InvariantCulture) * unit));
    }
}
