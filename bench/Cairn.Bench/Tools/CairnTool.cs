namespace Cairn.Bench.Tools;

/// <summary>cairn, by its apphost or, for a .dll, through the dotnet host. Flags are restic's.</summary>
internal sealed class CairnTool(string program, CompressionSetting compression) : IBackupTool
{
    public string Name => "cairn";

    public ToolCommand Version() => Command(["version"]);

    public ToolCommand Init(string repository) => Command(["-r", repository, "init"]);

    public ToolCommand Backup(string repository, string source, int sequence) =>
        Command(["-r", repository, "--compression", Mode, "-q", "backup", source]);

    public ToolCommand Restore(string repository, string target, int sequence) =>
        Command(["-r", repository, "-q", "restore", "latest", "--target", target]);

    private string Mode => compression == CompressionSetting.Off ? "off" : "auto";

    private ToolCommand Command(string[] arguments) => program.EndsWith(".dll", StringComparison.Ordinal)
        ? new ToolCommand("dotnet", [program, .. arguments])
        : new ToolCommand(program, arguments);
}
