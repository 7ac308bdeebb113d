using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Microbench;

/// <summary>
/// What this machine can do for each primitive, measured in the same run by native tools on one core: OpenSSL for
/// AES-256-CTR, SHA-256 and Poly1305, the zstd CLI (libzstd) at the levels cairn uses, memcpy and a plain dictionary
/// from the benchmarks themselves. A missing tool leaves its limit out.
/// </summary>
internal static partial class MachineLimits
{
    public const string Memcpy = "memcpy";
    public const string Dictionary = "dictionary";
    public const string OpensslSha256 = "openssl sha256";
    public const string OpensslAesCtr = "openssl aes-256-ctr";
    public const string OpensslPoly1305 = "openssl mac poly1305";
    public const string ZstdAutoText = "zstd -b3 text";
    public const string ZstdAutoRandom = "zstd -b3 random";
    public const string ZstdMaxText = "zstd -b15 text";
    public const string ZstdMaxRandom = "zstd -b15 random";

    /// <summary>Bytes per second for each limit key that could be measured.</summary>
    public static Dictionary<string, double> Measure(string scratch)
    {
        Directory.CreateDirectory(scratch);
        var limits = new Dictionary<string, double>();
        Add(limits, OpensslSha256, () => OpensslSpeed("sha256"));
        Add(limits, OpensslAesCtr, () => OpensslSpeed("aes-256-ctr"));
        Add(limits, OpensslPoly1305, () => OpensslMac(scratch));

        var text = Path.Combine(scratch, "text.bin");
        var random = Path.Combine(scratch, "random.bin");
        File.WriteAllBytes(text, SampleData.Text(8 * SampleData.MiB, 3));
        File.WriteAllBytes(random, SampleData.Random(8 * SampleData.MiB, 2));
        Add(limits, ZstdAutoText, () => ZstdBench(Cairn.Repository.Internal.Format.Zstd.AutoLevel, text));
        Add(limits, ZstdAutoRandom, () => ZstdBench(Cairn.Repository.Internal.Format.Zstd.AutoLevel, random));
        Add(limits, ZstdMaxText, () => ZstdBench(15, text));
        Add(limits, ZstdMaxRandom, () => ZstdBench(15, random));
        return limits;
    }

    private static void Add(Dictionary<string, double> limits, string key, Func<double?> measure)
    {
        try
        {
            if (measure() is { } value)
            {
                limits[key] = value;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The tool is not installed: no limit to print.
        }
    }

    /// <summary>`openssl speed -evp` on 16 KiB blocks for 2 s; its machine-readable line ends in bytes per second.</summary>
    private static double? OpensslSpeed(string algorithm)
    {
        var output = Run("openssl", ["speed", "-mr", "-seconds", "2", "-bytes", "16384", "-evp", algorithm]);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("+F:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(':')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// OpenSSL 3.0's `speed` has no Poly1305, so `openssl mac POLY1305` over a 512 MiB file in memory (/dev/shm),
    /// best of three, less the time the same command takes on an empty file.
    /// </summary>
    private static double? OpensslMac(string scratch)
    {
        var folder = Directory.Exists("/dev/shm") ? "/dev/shm" : scratch;
        var large = Path.Combine(folder, $"cairn-microbench-{Environment.ProcessId}.bin");
        var empty = large + ".empty";
        try
        {
            const long Size = 512L * SampleData.MiB;
            using (var stream = File.Create(large))
            {
                stream.SetLength(Size);
            }

            File.WriteAllBytes(empty, []);
            string[] Args(string file) => ["mac", "-macopt", "hexkey:" + new string('1', 64), "-in", file, "POLY1305"];
            var full = Enumerable.Range(0, 3).Min(_ => Timed("openssl", Args(large)));
            var startup = Enumerable.Range(0, 3).Min(_ => Timed("openssl", Args(empty)));
            return full > startup ? Size / (full - startup) : null;
        }
        finally
        {
            File.Delete(large);
            File.Delete(empty);
        }
    }

    /// <summary>`zstd -b` at one level on independent 1 MiB blocks (as cairn compresses blobs) for at least a second; it prints "N MB/s" (10^6 bytes) for compression first.</summary>
    private static double? ZstdBench(int level, string file)
    {
        var output = Run("zstd", [$"-b{level}", "-i1", "-B1M", file]);
        var matches = ZstdSpeed().Matches(output);
        return matches.Count == 0 ? null : double.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture) * 1e6;
    }

    [GeneratedRegex(@"\),\s*([0-9.]+) MB/s")]
    private static partial Regex ZstdSpeed();

    private static double Timed(string program, string[] arguments)
    {
        var stopwatch = Stopwatch.StartNew();
        Run(program, arguments);
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static string Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return stdout + stderr.Result;
    }
}
