using System.Diagnostics;

namespace Cairn.Bench.Corpus;

/// <summary>Writes the planned corpus into a folder, files in parallel; the same size and seed give the same bytes.</summary>
internal static class CorpusGenerator
{
    /// <summary>Bump when the plan or the content streams change, so cached corpora are rebuilt.</summary>
    public const int Version = 1;

    /// <summary>Directories get this modification time once their files are written.</summary>
    private static readonly DateTime FolderTime = DateTime.UnixEpoch.AddSeconds(1_700_000_000);

    public static CorpusInfo Generate(string root, long totalBytes, ulong seed, CancellationToken cancellationToken = default)
        => Generate(root, CorpusProfile.Mixed, totalBytes, seed, cancellationToken);

    public static CorpusInfo Generate(string root, CorpusProfile profile, long totalBytes, ulong seed, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var files = profile.Plan(totalBytes, seed);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var folders = files.Select(f => Path.GetDirectoryName(f.Path)!).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        // Largest first so the two cores finish together.
        var order = files.OrderByDescending(f => f.Size).ToArray();
        Parallel.ForEach(order, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, spec =>
        {
            var path = Path.Combine(root, spec.Path);
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                ContentWriter.Write(spec, stream);
            }

            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(spec.MtimeUnixSeconds));
        });

        foreach (var folder in folders.Append("").SelectMany(Ancestors).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length))
        {
            Directory.SetLastWriteTimeUtc(Path.Combine(root, folder), FolderTime);
        }

        return new CorpusInfo(root, files.Count, files.Sum(f => f.Size), seed, stopwatch.Elapsed.TotalSeconds);
    }

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var f = folder; !string.IsNullOrEmpty(f); f = Path.GetDirectoryName(f))
        {
            yield return f;
        }

        yield return "";
    }
}

/// <summary>What the harness knows about the corpus it backs up.</summary>
internal sealed record CorpusInfo(string Path, int Files, long Bytes, ulong? Seed, double GenerationSeconds);
