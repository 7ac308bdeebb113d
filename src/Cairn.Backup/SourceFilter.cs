using System.Text;
using Cairn.Platform;
using Cairn.Repository.Filtering;

namespace Cairn.Backup;

/// <summary>
/// Decides what of the sources a backup leaves out, with restic's rules: path patterns (--exclude, and --iexclude
/// without regard to case), files above a size (--exclude-larger-than), the contents of folders that hold a tag file
/// (--exclude-caches, --exclude-if-present; the tag file itself is kept), and with --one-file-system the contents of
/// folders on another file system than the backup paths (the mount point itself is kept, empty).
/// </summary>
public sealed class SourceFilter
{
    private readonly PathPatternSet _excludes;
    private readonly PathPatternSet _caseInsensitiveExcludes;
    private readonly IReadOnlyList<TagFileRule> _tagFiles;
    private readonly long? _largerThan;
    private readonly HashSet<ulong>? _devices;

    /// <param name="devices">The file systems (st_dev) a backup may enter; null for any.</param>
    public SourceFilter(
        PathPatternSet excludes,
        PathPatternSet? caseInsensitiveExcludes = null,
        IReadOnlyList<TagFileRule>? tagFiles = null,
        long? excludeLargerThan = null,
        IEnumerable<ulong>? devices = null)
    {
        ArgumentNullException.ThrowIfNull(excludes);
        _excludes = excludes;
        _caseInsensitiveExcludes = caseInsensitiveExcludes ?? new PathPatternSet([], ignoreCase: true);
        _tagFiles = tagFiles ?? [];
        _largerThan = excludeLargerThan;
        _devices = devices is null ? null : [.. devices];
    }

    /// <summary>Leaves out what these patterns match, nothing else.</summary>
    public static SourceFilter FromPatterns(IEnumerable<string> excludes) => new(new PathPatternSet(excludes));

    /// <summary>The file systems the given paths are on, for <c>devices</c>: what --one-file-system stays within.</summary>
    public static IEnumerable<ulong> DevicesOf(IEnumerable<RawPath> paths, string workingDirectory) =>
        paths.Select(p => PosixFileSystem.LStat(SourcePath.Absolute(p, workingDirectory)).DeviceId).Distinct();

    /// <summary>Whether any pattern is set, so a caller must build the path of each entry to ask <see cref="RejectsPath"/>.</summary>
    public bool HasPatterns => !_excludes.IsEmpty || !_caseInsensitiveExcludes.IsEmpty;

    /// <summary>Whether a pattern leaves out this absolute path.</summary>
    public bool RejectsPath(ReadOnlySpan<byte> absolutePath) =>
        _excludes.IsMatch(absolutePath) || _caseInsensitiveExcludes.IsMatch(absolutePath);

    /// <summary>Whether an entry with this status is left out whatever its path: a file above the size limit.</summary>
    public bool RejectsStatus(in FileStatus status) => _largerThan is { } limit && status.Kind == FileKind.File && status.Size > limit;

    /// <summary>Whether a folder is on a file system the backup does not enter: it is kept, but not its contents.</summary>
    public bool IsOtherFileSystem(in FileStatus folder) => _devices is not null && !_devices.Contains(folder.DeviceId);

    /// <summary>
    /// The entries of a folder that stay in the backup as far as tag files go: all of them, or, in a folder holding a
    /// tag file (with the header asked for), only that tag file.
    /// </summary>
    public DirectoryEntry[] KeepInFolder(RawPath folder, DirectoryEntry[] entries)
    {
        if (_tagFiles.Count == 0)
        {
            return entries;
        }

        List<TagFileRule>? tagged = null;
        foreach (var rule in _tagFiles)
        {
            if (entries.Any(e => e.Name.AsSpan().SequenceEqual(rule.Name)) && rule.HeaderMatches(folder.Join(rule.Name)))
            {
                (tagged ??= []).Add(rule);
            }
        }

        // Each rule that applies leaves out everything but its own tag file.
        return tagged is null ? entries : [.. entries.Where(e => tagged.All(r => e.Name.AsSpan().SequenceEqual(r.Name)))];
    }
}

/// <summary>A tag file whose presence (starting with <see cref="Header"/>) marks a folder's contents as left out.</summary>
public sealed class TagFileRule
{
    /// <summary>The header of a cache folder's CACHEDIR.TAG (https://bford.info/cachedir/).</summary>
    public static readonly TagFileRule CacheDirectory = new("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55"u8.ToArray());

    /// <summary>A rule that skips a folder holding a file of this name whose content starts with <paramref name="header"/>.</summary>
    public TagFileRule(string fileName, byte[] header)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(header);
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"a tag file is a name, not a path: \"{fileName}\"", nameof(fileName));
        }

        Name = Encoding.UTF8.GetBytes(fileName);
        Header = header;
    }

    /// <summary>The tag file's name, as bytes.</summary>
    public byte[] Name { get; }

    /// <summary>The bytes the tag file must start with.</summary>
    public byte[] Header { get; }

    /// <summary>restic's --exclude-if-present syntax: <c>name[:header]</c>.</summary>
    public static TagFileRule Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new TagFileRule(spec, []) : new TagFileRule(spec[..colon], Encoding.UTF8.GetBytes(spec[(colon + 1)..]));
    }

    /// <summary>Whether the file starts with the header; a file that cannot be read does not tag its folder.</summary>
    public bool HeaderMatches(RawPath tagFile)
    {
        if (Header.Length == 0)
        {
            return true;
        }

        try
        {
            using var handle = PosixFileSystem.OpenRead(tagFile);
            var start = new byte[Header.Length];
            var filled = 0;
            while (filled < start.Length && RandomAccess.Read(handle, start.AsSpan(filled), filled) is var n and > 0)
            {
                filled += n;
            }

            return filled == start.Length && start.AsSpan().SequenceEqual(Header);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
