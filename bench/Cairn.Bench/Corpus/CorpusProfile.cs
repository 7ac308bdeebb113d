namespace Cairn.Bench.Corpus;

/// <summary>
/// What kind of tree the corpus is (docs/performance.md, "Corpus profiles"): <see cref="Mixed"/>, a home folder of
/// every kind of file by bytes; <see cref="TinyFiles"/>, a system's documentation and locale tree (60,000+ files,
/// median under 4 KiB, deep folders, mostly text); <see cref="MillionFiles"/>, 1,000,000 files of 0–8 KiB.
/// </summary>
internal enum CorpusProfile
{
    Mixed,
    TinyFiles,
    MillionFiles,
}

internal static class CorpusProfiles
{
    public static readonly IReadOnlyList<CorpusProfile> All = [CorpusProfile.Mixed, CorpusProfile.TinyFiles, CorpusProfile.MillionFiles];

    /// <summary>The name on the command line and in the results.</summary>
    public static string Name(this CorpusProfile profile) => profile switch
    {
        CorpusProfile.Mixed => "mixed",
        CorpusProfile.TinyFiles => "tiny-files",
        CorpusProfile.MillionFiles => "million-files",
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    public static CorpusProfile Parse(string name)
    {
        foreach (var profile in All)
        {
            if (profile.Name() == name)
            {
                return profile;
            }
        }

        throw new ArgumentException($"--profile {name}: one of {string.Join(", ", All.Select(p => p.Name()))}");
    }

    /// <summary>The corpus size when --size is not given: 2 GiB mixed; about 70,000 files tiny; 1,000,000 files million.</summary>
    public static long DefaultSize(this CorpusProfile profile) => profile switch
    {
        CorpusProfile.Mixed => 2L << 30,
        CorpusProfile.TinyFiles => TinyFilesPlan.DefaultBytes,
        CorpusProfile.MillionFiles => MillionFilesPlan.DefaultBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    /// <summary>The files of a corpus of this profile, size and seed (the same three give the same files).</summary>
    public static IReadOnlyList<FileSpec> Plan(this CorpusProfile profile, long totalBytes, ulong seed) => profile switch
    {
        CorpusProfile.Mixed => CorpusPlan.Create(totalBytes, seed),
        CorpusProfile.TinyFiles => TinyFilesPlan.Create(totalBytes, seed),
        CorpusProfile.MillionFiles => MillionFilesPlan.Create(totalBytes, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };
}
