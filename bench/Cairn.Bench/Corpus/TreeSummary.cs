using System.Security.Cryptography;
using System.Text;

namespace Cairn.Bench.Corpus;

/// <summary>
/// A cheap fingerprint of a folder's regular files: their count and total size, a hash of every relative path with its
/// size, and a hash of the content of a sample of files. Two folders with equal summaries hold the same listing and,
/// for the sampled files, the same bytes.
/// </summary>
internal sealed record TreeSummary(int Files, long Bytes, string ListingHash, int SampledFiles, string SampleHash)
{
    /// <summary>Every file whose position in the sorted listing is a multiple of the stride, plus the named ones.</summary>
    public static TreeSummary Compute(string root, int sampleStride, IReadOnlySet<string>? alwaysSample = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleStride, 1);
        var files = List(root);
        using var listing = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sample = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        long bytes = 0;
        var sampled = 0;
        for (var i = 0; i < files.Count; i++)
        {
            var (relative, size) = files[i];
            bytes += size;
            listing.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{size}\n"));
            if (i % sampleStride == 0 || alwaysSample?.Contains(relative) == true)
            {
                sampled++;
                sample.AppendData(Encoding.UTF8.GetBytes(relative + "\0"));
                using var stream = new FileStream(Path.Combine(root, relative), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    sample.AppendData(buffer, 0, read);
                }
            }
        }

        return new TreeSummary(files.Count, bytes, Convert.ToHexStringLower(listing.GetHashAndReset()), sampled, Convert.ToHexStringLower(sample.GetHashAndReset()));
    }

    /// <summary>Regular files under the root (symbolic links are not followed), by relative path in ordinal order.</summary>
    public static List<(string Path, long Size)> List(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        var files = new DirectoryInfo(root).EnumerateFiles("*", options)
            .Select(f => (Path.GetRelativePath(root, f.FullName), f.Length))
            .ToList();
        files.Sort(static (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return files;
    }

    /// <summary>Size of everything under a folder (apparent sizes), as a repository's "bytes stored".</summary>
    public static long FolderBytes(string root) => Directory.Exists(root)
        ? new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Sum(f => f.Length)
        : 0;
}
