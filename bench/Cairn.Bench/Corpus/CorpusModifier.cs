namespace Cairn.Bench.Corpus;

/// <summary>
/// Changes about 5% of the corpus's files in a way fixed by the seed (a 4 KiB overwrite at a chosen offset, every
/// fourth file also grows by 8-64 KiB) and later puts them back exactly, originals and modification times included.
/// </summary>
internal sealed class CorpusModifier(string root, string stash, ulong seed, double fraction = 0.05)
{
    private readonly List<(string Path, DateTime Mtime)> _changed = [];

    /// <summary>The relative paths changed by the last <see cref="Apply"/>.</summary>
    public IReadOnlySet<string> Changed => _changed.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);

    /// <summary>Marker beside the corpus while files are changed, so a crashed run is noticed and the corpus rebuilt.</summary>
    public string DirtyMarker => root.TrimEnd('/') + ".dirty";

    public void Apply()
    {
        if (_changed.Count > 0)
        {
            throw new InvalidOperationException("the corpus is already modified");
        }

        File.WriteAllText(DirtyMarker, "modified by the benchmark; rebuild if this file is left behind\n");
        Directory.CreateDirectory(stash);
        var files = TreeSummary.List(root);
        var count = Math.Max(1, (int)Math.Round(files.Count * fraction));
        var rng = new Xoshiro256StarStar(seed ^ 0xC4A7_6E5D_0000_0005UL);
        var indexes = Enumerable.Range(0, files.Count).ToArray();
        var block = new byte[4096];
        for (var n = 0; n < count; n++)
        {
            // A partial Fisher-Yates shuffle picks distinct files.
            var pick = n + rng.Below(files.Count - n);
            (indexes[n], indexes[pick]) = (indexes[pick], indexes[n]);
            var (relative, size) = files[indexes[n]];
            var path = Path.Combine(root, relative);
            var mtime = File.GetLastWriteTimeUtc(path);
            File.Copy(path, Path.Combine(stash, n.ToString(System.Globalization.CultureInfo.InvariantCulture)), overwrite: true);
            _changed.Add((relative, mtime));

            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                rng.Fill(block);
                var length = (int)Math.Min(block.Length, size);
                stream.Position = size > length ? rng.Between(0, size - length) : 0;
                stream.Write(block, 0, length);
                if (n % 4 == 0 || size == 0)
                {
                    var extra = new byte[rng.Between(8 * 1024, 64 * 1024)];
                    rng.Fill(extra);
                    stream.Position = stream.Length;
                    stream.Write(extra);
                }
            }

            File.SetLastWriteTimeUtc(path, mtime.AddHours(1));
        }
    }

    public void Revert()
    {
        for (var n = 0; n < _changed.Count; n++)
        {
            var (relative, mtime) = _changed[n];
            var path = Path.Combine(root, relative);
            File.Copy(Path.Combine(stash, n.ToString(System.Globalization.CultureInfo.InvariantCulture)), path, overwrite: true);
            File.SetLastWriteTimeUtc(path, mtime);
        }

        _changed.Clear();
        Directory.Delete(stash, recursive: true);
        File.Delete(DirtyMarker);
    }
}
