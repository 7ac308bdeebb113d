namespace Cairn.Bench.Tools;

/// <summary>
/// borg 1.2 (Debian 1.2.4). repokey-blake2 is borg's fast authenticated-encryption mode, the nearest to restic's
/// AES-CTR with Poly1305; zstd level 3 is what cairn's and restic's "auto" compression is (docs/performance.md).
/// </summary>
internal sealed class BorgTool(CompressionSetting compression) : IBackupTool
{
    public string Name => "borg";

    public ToolCommand Version() => new("borg", ["--version"]);

    public ToolCommand Init(string repository) => new("borg", ["init", "--encryption=repokey-blake2", repository]);

    public ToolCommand Backup(string repository, string source, int sequence) =>
        new("borg", ["create", "--compression", compression == CompressionSetting.Off ? "none" : "zstd,3", $"{repository}::s{sequence}", source]);

    /// <summary>borg extract writes below its working directory, paths without the leading slash.</summary>
    public ToolCommand Restore(string repository, string target, int sequence) =>
        new("borg", ["extract", $"{repository}::s{sequence}"], target);
}
