using System.Diagnostics;
using System.Globalization;

namespace Cairn.Bench.Corpus;

/// <summary>
/// The folder the tools back up: the generated corpus for a size and seed (built once, reused while its marker says
/// it is complete and clean), or a copy of the user's folder (step 3 changes files, so never the original).
/// </summary>
internal static class CorpusSource
{
    public static async Task<CorpusReport> PrepareAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.WorkFolder);
        if (options.CorpusFolder is { } source)
        {
            var copy = Path.GetFullPath(Path.Combine(options.WorkFolder, "corpus-copy"));
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }

            log.WriteLine($"copying {source} to {copy} (the changed-files step modifies the copy, never the original)...");
            var stopwatch = Stopwatch.StartNew();
            using var cp = Process.Start(new ProcessStartInfo("cp", ["-a", source, copy]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("cp did not start");
            await cp.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (cp.ExitCode != 0)
            {
                throw new Tools.BenchmarkException($"cp -a {source} {copy} failed with {cp.ExitCode}");
            }

            var files = TreeSummary.List(copy);
            return new CorpusReport(copy, "folder", files.Count, files.Sum(f => f.Size), null, Generated: false, Reused: false, stopwatch.Elapsed.TotalSeconds);
        }

        // The mixed profile keeps the name it had before there were profiles, so a corpus built then is reused.
        var profile = options.Profile == CorpusProfile.Mixed ? "" : options.Profile.Name() + "-";
        var name = string.Create(CultureInfo.InvariantCulture, $"corpus-{profile}{options.CorpusBytes}-seed{options.Seed}-v{CorpusGenerator.Version}");
        var folder = Path.GetFullPath(Path.Combine(options.WorkFolder, name));
        var complete = folder + ".complete";
        var dirty = folder + ".dirty";
        if (File.Exists(complete) && !File.Exists(dirty) && Directory.Exists(folder))
        {
            var lines = await File.ReadAllLinesAsync(complete, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"reusing the corpus in {folder}");
            return new CorpusReport(folder, options.Profile.Name(), int.Parse(lines[0], CultureInfo.InvariantCulture), long.Parse(lines[1], CultureInfo.InvariantCulture), options.Seed, Generated: true, Reused: true, 0);
        }

        File.Delete(complete);
        File.Delete(dirty);
        log.WriteLine($"generating a {options.CorpusBytes / 1048576.0:0} MiB {options.Profile.Name()} corpus (seed {options.Seed}) in {folder}...");
        var info = CorpusGenerator.Generate(folder, options.Profile, options.CorpusBytes, options.Seed, cancellationToken);
        await File.WriteAllLinesAsync(complete, [info.Files.ToString(CultureInfo.InvariantCulture), info.Bytes.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        log.WriteLine($"  {info.Files} files, {info.Bytes} bytes in {info.GenerationSeconds:0.0} s");
        return new CorpusReport(folder, options.Profile.Name(), info.Files, info.Bytes, options.Seed, Generated: true, Reused: false, info.GenerationSeconds);
    }
}
