namespace Cairn.Bench.Tools;

/// <summary>restic as Debian ships it (0.14): repository format 2, compression as given.</summary>
internal sealed class ResticTool(CompressionSetting compression) : IBackupTool
{
    public string Name => "restic";

    public ToolCommand Version() => new("restic", ["version"]);

    public ToolCommand Init(string repository) => new("restic", ["-r", repository, "init", "--repository-version", "2"]);

    public ToolCommand Backup(string repository, string source, int sequence) =>
        new("restic", ["-r", repository, "--compression", compression == CompressionSetting.Off ? "off" : "auto", "-q", "backup", source]);

    public ToolCommand Restore(string repository, string target, int sequence) =>
        new("restic", ["-r", repository, "-q", "restore", "latest", "--target", target]);
}
