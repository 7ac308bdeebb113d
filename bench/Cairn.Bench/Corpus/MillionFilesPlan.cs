namespace Cairn.Bench.Corpus;

/// <summary>
/// 1,000,000 files of 0–8 KiB (uniform; mean 4 KiB) in a tree shaped like many users' project folders: per user
/// projects, per project source folders of 20–200 files, two to five levels below the project. Two thirds text, one
/// sixth small binaries, one sixth copies of other files (vendored code, generated files checked in twice).
/// </summary>
internal static class MillionFilesPlan
{
    private const long KiB = 1024;

    /// <summary>1,000,000 files of 4 KiB on average.</summary>
    public const long DefaultBytes = 1_000_000L * 4 * KiB;

    public static IReadOnlyList<FileSpec> Create(long totalBytes, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, 64 * KiB);
        var rng = new Xoshiro256StarStar(seed);
        var count = Math.Max(16, totalBytes / (4 * KiB));
        var files = new List<FileSpec>((int)Math.Min(count, int.MaxValue));
        var folder = "";
        var left = 0;
        for (var i = 0; i < count; i++)
        {
            if (left == 0)
            {
                folder = Folder(rng, i);
                left = 20 + (int)rng.Below(181);
            }

            left--;
            var size = rng.Between(0, 8 * KiB);
            var pick = rng.Below(6);
            if (pick == 0 && files.Count > 100)
            {
                var source = files[rng.Below(files.Count)];
                files.Add(new FileSpec($"{folder}/copy{i:D7}{Path.GetExtension(source.Path)}", ContentKind.Copy, source.Size, rng.Next(), CorpusPlan.Mtime(rng), source.Kind is ContentKind.Copy ? source.Source : source));
            }
            else
            {
                var binary = pick == 1;
                files.Add(new FileSpec($"{folder}/f{i:D7}{(binary ? ".bin" : ".txt")}", binary ? ContentKind.Random : ContentKind.Source, size, rng.Next(), CorpusPlan.Mtime(rng)));
            }
        }

        return files;
    }

    private static string Folder(Xoshiro256StarStar rng, int index)
    {
        var user = index / 100_000;
        var project = (index / 10_000) % 10 * 10 + (int)rng.Below(10);
        var depth = 2 + (int)rng.Below(4);
        var parts = new List<string> { $"home/user{user:D2}", $"projects/p{project:D3}" };
        for (var level = 0; level < depth; level++)
        {
            parts.Add($"d{rng.Below(12):D2}");
        }

        return string.Join('/', parts);
    }
}
