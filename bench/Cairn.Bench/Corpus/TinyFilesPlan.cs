namespace Cairn.Bench.Corpus;

/// <summary>
/// A system's documentation and locale tree, as <c>/usr/share</c> holds it: per package a doc folder (README,
/// changelog, copyright, examples), translations per language, man pages (gzip'd), icons in several sizes, and the
/// same license text again and again. Most files are 100 B–12 KiB (median about 2.5 KiB), a tenth of the doc and
/// locale files up to 256 KiB; about 90% of the bytes are text; folders go four to seven levels deep.
/// </summary>
internal static class TinyFilesPlan
{
    private const long KiB = 1024;

    /// <summary>About 70,000 files.</summary>
    public const long DefaultBytes = 600L << 20;

    private static readonly string[] Languages = ["de", "fr", "es", "it", "pt_BR", "ru", "ja", "zh_CN", "pl", "nl", "sv", "cs"];
    private static readonly string[] DocNames = ["README", "NEWS", "changelog.Debian", "AUTHORS", "TODO", "README.Debian", "THANKS"];
    private static readonly string[] IconSizes = ["16x16", "24x24", "32x32", "48x48", "64x64", "128x128", "scalable"];

    public static IReadOnlyList<FileSpec> Create(long totalBytes, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, 64 * KiB);
        var rng = new Xoshiro256StarStar(seed);
        var files = new List<FileSpec>();
        var licenses = new List<FileSpec>();
        long used = 0;
        for (var package = 0; used < totalBytes; package++)
        {
            var name = $"pkg{package:D4}";
            // Packages group under a first letter, as lib*, python3-* and the like do: one more level.
            var root = $"usr/share/doc/{(char)('a' + package % 26)}/{name}";
            foreach (var doc in DocNames.Take(2 + (int)rng.Below(DocNames.Length - 1)))
            {
                used += Add(files, $"{root}/{doc}", ContentKind.Source, Size(rng), rng);
            }

            // The copyright file: one of a few license texts, word for word (as GPL-2 is in hundreds of packages).
            if (licenses.Count < 12 || rng.Below(4) == 0)
            {
                var license = new FileSpec($"{root}/copyright", ContentKind.Source, rng.Between(2 * KiB, 18 * KiB), rng.Next(), CorpusPlan.Mtime(rng));
                licenses.Add(license);
                files.Add(license);
                used += license.Size;
            }
            else
            {
                var source = licenses[rng.Below(licenses.Count)];
                files.Add(new FileSpec($"{root}/copyright", ContentKind.Copy, source.Size, rng.Next(), CorpusPlan.Mtime(rng), source));
                used += source.Size;
            }

            for (var example = 0; example < (int)rng.Below(6); example++)
            {
                used += Add(files, $"{root}/examples/{(example % 2 == 0 ? "conf" : "scripts")}/example{example}.txt", ContentKind.Source, Size(rng), rng);
            }

            // Translations: a .mo catalog per language for about half the packages (mostly the translated strings).
            if (rng.Below(2) == 0)
            {
                foreach (var language in Languages.Take(3 + (int)rng.Below(Languages.Length - 2)))
                {
                    used += Add(files, $"usr/share/locale/{language}/LC_MESSAGES/{name}.mo", ContentKind.Source, Size(rng), rng);
                }
            }

            // Man pages, gzip'd as Debian ships them.
            for (var page = 0; page < 1 + (int)rng.Below(3); page++)
            {
                var section = 1 + (int)rng.Below(8);
                used += Add(files, $"usr/share/man/man{section}/{name}-{page}.{section}.gz", ContentKind.GzipArchive, rng.Between(600, 9 * KiB), rng);
            }

            // Icons for a package in five: small, incompressible.
            if (rng.Below(5) == 0)
            {
                foreach (var icons in IconSizes.Take(2 + (int)rng.Below(IconSizes.Length - 1)))
                {
                    used += Add(files, $"usr/share/icons/hicolor/{icons}/apps/{name}.png", ContentKind.Random, rng.Between(300, 6 * KiB), rng);
                }
            }
        }

        return files;
    }

    /// <summary>Nine in ten 100 B–12 KiB, one in ten 12–256 KiB, log-uniform within each.</summary>
    private static long Size(Xoshiro256StarStar rng) => rng.Below(10) == 0 ? rng.LogUniform(12 * KiB, 256 * KiB) : rng.LogUniform(100, 12 * KiB);

    private static long Add(List<FileSpec> files, string path, ContentKind kind, long size, Xoshiro256StarStar rng)
    {
        files.Add(new FileSpec(path, kind, size, rng.Next(), CorpusPlan.Mtime(rng)));
        return size;
    }
}
