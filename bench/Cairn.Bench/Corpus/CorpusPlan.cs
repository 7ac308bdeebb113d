namespace Cairn.Bench.Corpus;

/// <summary>
/// Decides the corpus's files from a size and a seed: how many of each kind, their paths, sizes and seeds.
/// Byte shares: small source files 12%, larger text 8%, logs 15%, gzip'd and zstd'd archives 10%, random media 25%,
/// disk-image-like files with zero runs and repeated blocks 10%, copies of other files (exact or shifted) 20%.
/// </summary>
internal static class CorpusPlan
{
    private const long KiB = 1024, MiB = 1024 * KiB;

    private sealed record Category(string Folder, double Share, long MinSize, long MaxSize, int PerFolder, string[] Extensions);

    private static readonly Category[] Categories =
    [
        new("src", 0.12, 256, 24 * KiB, 24, [".cs", ".py", ".go", ".ts", ".md"]),
        new("docs", 0.08, 24 * KiB, 512 * KiB, 40, [".txt", ".md", ".html"]),
        new("logs", 0.15, 256 * KiB, 24 * MiB, 30, [".log"]),
        new("archives", 0.10, 64 * KiB, 8 * MiB, 50, [".gz", ".zst"]),
        new("media", 0.25, 32 * KiB, 48 * MiB, 50, [".jpg", ".mp4", ".bin"]),
        new("images", 0.10, 1 * MiB, 32 * MiB, 20, [".img"]),
    ];

    private const double CopyShare = 0.20;

    public static IReadOnlyList<FileSpec> Create(long totalBytes, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, 64 * KiB);
        var rng = new Xoshiro256StarStar(seed);
        var files = new List<FileSpec>();
        foreach (var category in Categories)
        {
            AddCategory(files, category, (long)(totalBytes * category.Share), rng);
        }

        AddCopies(files, totalBytes - files.Sum(f => f.Size), rng);
        for (var i = 0; i < 3; i++)
        {
            files.Add(new FileSpec($"misc/empty{i}", ContentKind.Random, 0, rng.Next(), Mtime(rng)));
        }

        return files;
    }

    private static void AddCategory(List<FileSpec> files, Category category, long budget, Xoshiro256StarStar rng)
    {
        // Small corpora still get several files per kind: no file above a third of the kind's budget.
        var maxSize = Math.Clamp(budget / 3, category.MinSize, category.MaxSize);
        for (var i = 0; budget > 0; i++)
        {
            var size = Math.Min(rng.LogUniform(category.MinSize, maxSize), budget);
            budget -= size;
            var extension = category.Extensions[i % category.Extensions.Length];
            var kind = category.Folder switch
            {
                "src" or "docs" => ContentKind.Source,
                "logs" => ContentKind.Log,
                "archives" => extension == ".gz" ? ContentKind.GzipArchive : ContentKind.ZstdArchive,
                "media" => ContentKind.Random,
                _ => ContentKind.Blocks,
            };
            var folder = category.Folder == "src"
                ? $"src/project{i / (category.PerFolder * 25):D3}/package{i / category.PerFolder % 25:D2}"
                : $"{category.Folder}/set{i / category.PerFolder:D3}";
            files.Add(new FileSpec($"{folder}/{category.Folder}{i:D6}{extension}", kind, size, rng.Next(), Mtime(rng)));
        }
    }

    /// <summary>
    /// Copies fill the rest: half exact copies, half with 1-64 KiB of new bytes in front (content-defined chunking
    /// must still find the shared chunks). Every other source is drawn among files of 1 MiB or more, so both many
    /// small duplicates (vendored code) and large ones (a second copy of a video) occur.
    /// </summary>
    private static void AddCopies(List<FileSpec> files, long budget, Xoshiro256StarStar rng)
    {
        var all = files.Where(f => f.Size > 0).ToArray();
        var large = all.Where(f => f.Size >= MiB).ToArray();
        for (var i = 0; budget > 0 && all.Length > 0; i++)
        {
            var pool = i % 2 == 1 && large.Length > 0 ? large : all;
            var source = pool[rng.Below(pool.Length)];
            var shifted = rng.Below(2) == 0;
            var prefix = shifted ? (int)rng.Between(1, 64 * KiB) : 0;
            var size = Math.Min(source.Size + prefix, budget);
            budget -= size;
            var name = Path.GetFileName(source.Path);
            files.Add(new FileSpec($"copies/set{i / 40:D3}/{i:D6}-{name}", shifted ? ContentKind.Shifted : ContentKind.Copy, size, rng.Next(), Mtime(rng), source, prefix));
        }
    }

    /// <summary>Modification times spread over about a year, whole seconds (every profile's).</summary>
    internal static long Mtime(Xoshiro256StarStar rng) => 1_700_000_000 + rng.Below(31_536_000);
}
