namespace Cairn.Cli.Tests.Infrastructure;

/// <summary>
/// A generated tree of many files, mostly random bytes (incompressible, so stored bytes follow the corpus size): files
/// of 8 KiB to 2 MiB in folders of 40, with a small text file beside each. The same seed gives the same tree.
/// </summary>
public static class IncompressibleCorpus
{
    private const int FilesPerFolder = 40;
    private const int SmallestFile = 8 * 1024;
    private const int LargestFile = 2 * 1024 * 1024;

    /// <summary>Writes about <paramref name="totalBytes"/> bytes under <paramref name="root"/>; returns how many files.</summary>
    public static int Build(string root, long totalBytes, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[LargestFile];
        long written = 0;
        var files = 0;
        while (written < totalBytes)
        {
            var folder = Path.Combine(root, $"folder-{files / FilesPerFolder:D3}");
            Directory.CreateDirectory(folder);
            var size = (int)Math.Min(random.Next(SmallestFile, LargestFile + 1), Math.Max(1, totalBytes - written));
            random.NextBytes(buffer.AsSpan(0, size));
            File.WriteAllBytes(Path.Combine(folder, $"random-{files:D5}.bin"), buffer.AsSpan(0, size));
            File.WriteAllText(Path.Combine(folder, $"note-{files:D5}.txt"), $"file {files} of seed {seed} holds {size} random bytes\n");
            written += size;
            files += 2;
        }

        return files;
    }
}
