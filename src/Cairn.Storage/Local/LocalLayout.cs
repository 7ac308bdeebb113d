namespace Cairn.Storage;

/// <summary>
/// Where restic keeps each object under a repository folder: <c>config</c>, <c>keys/&lt;id&gt;</c>,
/// <c>locks/&lt;id&gt;</c>, <c>snapshots/&lt;id&gt;</c>, <c>index/&lt;id&gt;</c> and
/// <c>data/&lt;first two hex characters&gt;/&lt;id&gt;</c> (docs/format.md, "Layout").
/// </summary>
internal sealed class LocalLayout(string root)
{
    /// <summary>Temporary files start with this; a dot can never begin a valid object name, so listings skip them.</summary>
    public const string TempPrefix = ".tmp-";

    public string Root { get; } = root;

    public string ConfigPath => Path.Combine(Root, ObjectName.ConfigName);

    public string KindFolder(ObjectKind kind) => Path.Combine(Root, kind.FolderName());

    public string FolderOf(ObjectName name) => name.Kind switch
    {
        ObjectKind.Config => Root,
        ObjectKind.Pack => Path.Combine(Root, "data", name.Name[..2]),
        _ => KindFolder(name.Kind),
    };

    public string PathOf(ObjectName name) => name.Kind == ObjectKind.Config
        ? ConfigPath
        : Path.Combine(FolderOf(name), name.Name);

    /// <summary>Every folder <c>restic init</c> makes, the 256 <c>data/xx</c> subfolders included.</summary>
    public IEnumerable<string> AllFolders()
    {
        yield return Root;
        foreach (var kind in ObjectKinds.All)
        {
            if (kind != ObjectKind.Config)
            {
                yield return KindFolder(kind);
            }
        }

        var data = KindFolder(ObjectKind.Pack);
        for (var i = 0; i < 256; i++)
        {
            yield return Path.Combine(data, i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static string NewTempName() => TempPrefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
