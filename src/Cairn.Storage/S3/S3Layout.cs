namespace Cairn.Storage;

/// <summary>
/// restic's S3 layout under a prefix: <c>{prefix}/config</c>, <c>{prefix}/data/xx/{id}</c> (xx the id's first two
/// characters), <c>{prefix}/{keys,locks,snapshots,index}/{id}</c>; the local layout with keys for paths.
/// </summary>
internal sealed class S3Layout(string prefix)
{
    private readonly string _root = prefix.Length == 0 ? "" : prefix + "/";

    public string KeyOf(ObjectName name) => name.Kind switch
    {
        ObjectKind.Config => _root + ObjectName.ConfigName,
        ObjectKind.Pack => $"{_root}data/{name.Name[..2]}/{name.Name}",
        _ => $"{_root}{name.Kind.FolderName()}/{name.Name}",
    };

    /// <summary>What a listing of a kind asks for; the trailing slash keeps <c>keys</c> from matching <c>keys-old</c>.</summary>
    public string FolderOf(ObjectKind kind) => $"{_root}{kind.FolderName()}/";

    /// <summary>Everything of this repository, for a scan of stray multipart uploads.</summary>
    public string Root => _root;

    /// <summary>The object a listed key names, or false for anything that is not one (junk, a misplaced pack, another prefix).</summary>
    public bool TryParse(ObjectKind kind, string key, out ObjectName name)
    {
        name = default;
        var folder = FolderOf(kind);
        if (!key.StartsWith(folder, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(folder.Length);
        if (kind == ObjectKind.Pack)
        {
            if (rest.Length != 67 || rest[2] != '/' || !rest[..2].SequenceEqual(rest[3..5]))
            {
                return false;
            }

            rest = rest[3..];
        }

        if (!ObjectName.IsValid(kind, rest))
        {
            return false;
        }

        name = new ObjectName(kind, rest.ToString());
        return true;
    }
}
